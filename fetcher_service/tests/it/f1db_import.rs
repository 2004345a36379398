//! The f1db import through gRPC into the embedded store, checked against
//! facts anyone can look up.
use fetcher_service::sources::f1db::{F1dbSource, SeasonImported, import_into};
use protobuf::v1::{
    IdAliasFilter, IdKey, RoundFormat, RoundKey, SeasonKey, SeasonStatus, SessionType, StandingsFilter,
};
use testkit::data_scheduler::TestDataScheduler;

#[tokio::test]
async fn seasons_2021_to_2024_land_with_their_champions() {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    let mut grpc = ds.client().sport();
    let mut seen: Vec<SeasonImported> = Vec::new();
    let report =
        import_into(&client, F1dbSource::Bundled, Some(2021), Some(2024), |s| seen.push(s.clone())).await.unwrap();
    assert_eq!(report.seasons, 4);
    assert_eq!(seen.iter().map(|s| s.season).collect::<Vec<_>>(), [2021, 2022, 2023, 2024]);
    assert_eq!(seen[3].rounds, 24);
    assert!(report.records > seen.iter().map(|s| s.records).sum::<i64>(), "reference data counts too");

    let s2021 = grpc.get_season(SeasonKey { season: 2021 }).await.unwrap().into_inner().season.unwrap();
    assert_eq!(s2021.status, SeasonStatus::Completed as i32);
    assert_eq!(
        (s2021.champion_driver_id.as_str(), s2021.champion_driver_name.as_str()),
        ("max-verstappen", "Max Verstappen")
    );
    let final_2021 = grpc.get_standings(StandingsFilter { season: 2021, after_round: None }).await.unwrap();
    let leader = &final_2021.into_inner().standings.unwrap().drivers[0];
    assert_eq!((leader.driver_id.as_str(), leader.points), ("max-verstappen", 395.5));

    let s2024 = grpc.get_season(SeasonKey { season: 2024 }).await.unwrap().into_inner().season.unwrap();
    assert_eq!((s2024.total_rounds, s2024.current_round), (24, 24));
    assert_eq!(s2024.champion_driver_id, "max-verstappen");
    let final_2024 = grpc.get_standings(StandingsFilter { season: 2024, after_round: Some(24) }).await.unwrap();
    let standings = final_2024.into_inner().standings.unwrap();
    assert_eq!((standings.drivers[0].driver_id.as_str(), standings.drivers[0].points), ("max-verstappen", 437.0));
    assert_eq!(standings.drivers[0].wins, 9);
    assert_eq!(standings.constructors[0].constructor_id, "mclaren");

    let rounds = grpc.get_rounds(SeasonKey { season: 2024 }).await.unwrap().into_inner().rounds;
    assert_eq!(rounds.len(), 24);
    let china = &rounds[4];
    assert_eq!((china.round, china.name.as_str(), china.format), (5, "Chinese Grand Prix", RoundFormat::Sprint as i32));
    let types: Vec<i32> = china.sessions.iter().map(|s| s.r#type).collect();
    assert!(types.contains(&(SessionType::SprintQualifying as i32)) && types.contains(&(SessionType::Sprint as i32)));
    assert_eq!(china.circuit.as_ref().map(|c| c.name.as_str()), Some("Shanghai"));
    let progression = grpc.get_standings_progression(SeasonKey { season: 2024 }).await.unwrap().into_inner();
    assert_eq!(progression.rounds.len(), 24, "standings after every round");

    let shanghai = grpc.get_circuit(IdKey { id: "shanghai".into() }).await.unwrap().into_inner().circuit.unwrap();
    assert_eq!((shanghai.turns, shanghai.country_code.as_str()), (16, "CN"));
    let aliases = grpc.get_id_aliases(IdAliasFilter { kind: "driver".into(), source: "ergast".into() }).await.unwrap();
    let ver = aliases.into_inner().aliases.into_iter().find(|a| a.source_id == "max_verstappen").unwrap();
    assert_eq!(ver.id, "max-verstappen");

    // Pit stops land with their season (f1db has no lap timings).
    let bahrain = grpc.get_race_timing(RoundKey { season: 2023, round: 1 }).await.unwrap().into_inner();
    let bahrain = bahrain.timing.unwrap();
    assert!(bahrain.laps.is_empty());
    let gasly = bahrain.pit_stops.iter().find(|p| p.driver_id == "pierre-gasly" && p.stop == 1).unwrap();
    assert_eq!((gasly.lap, gasly.duration.as_str()), (9, "25.885"));
}

#[tokio::test]
async fn a_directory_tree_imports_like_the_bundle_and_a_bad_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(fetcher_service::sources::f1db::BUNDLED));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        if !path.starts_with("seasons/") || path.starts_with("seasons/2024/") {
            entry.unpack_in(dir.path()).unwrap();
        }
    }
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    let report = import_into(&client, F1dbSource::Dir(dir.path().to_path_buf()), None, None, |_| {}).await.unwrap();
    assert_eq!(report.seasons, 1);
    let season = client.sport().get_season(SeasonKey { season: 2024 }).await.unwrap().into_inner().season.unwrap();
    assert_eq!(season.champion_driver_id, "max-verstappen");

    std::fs::write(dir.path().join("seasons/2024/races/05-china/race-results.yml"), "- position: [oops\n").unwrap();
    let err = import_into(&client, F1dbSource::Dir(dir.path().to_path_buf()), None, None, |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("seasons/2024/races/05-china/race-results.yml"), "{err}");
    let empty = import_into(&client, F1dbSource::Bundled, Some(2027), None, |_| {}).await.unwrap_err();
    assert!(empty.to_string().contains("no season"), "{empty}");
}

/// The fetcher's import on start (compose's first boot): an empty store gets
/// the seasons, a second start finds nothing lacking and writes nothing.
#[tokio::test]
async fn the_import_on_start_fills_an_empty_store_once() {
    use fetcher_service::sources::f1db::resume;
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    let first = resume::complete(&client, Some(2022), Some(2023)).await.unwrap();
    assert_eq!((first.stored, first.missing.as_slice()), (0, &[2022, 2023][..]));
    let stored = client.season(2023).await.unwrap().unwrap();
    assert_eq!(stored.year, 2023);
    let again = resume::complete(&client, Some(2022), Some(2023)).await.unwrap();
    assert!(again.missing.is_empty(), "{again:?}");
    assert_eq!(again.stored, 2);
}

/// The first import draws Monza's track map from the bundled circuit data
/// (no image stored yet); a later import leaves an image already stored
/// (formula1.com's, say) as it is.
#[tokio::test]
async fn the_bundled_track_map_is_drawn_unless_an_image_is_stored() {
    let ds = TestDataScheduler::start().await;
    let client = ds.client();
    import_into(&client, F1dbSource::Bundled, Some(2024), Some(2024), |_| {}).await.unwrap();
    let mut grpc = client.sport();
    let image = grpc.get_circuit_image(IdKey { id: "monza".into() }).await.unwrap().into_inner().image.unwrap();
    assert_eq!(image.content_type, "image/svg+xml");
    assert_eq!(image.source_url, "https://api.multiviewer.app/api/v1/circuits/39/2020");
    assert!(String::from_utf8_lossy(&image.data).contains("<title>Track map of Monza</title>"));
    let circuit = grpc.get_circuit(IdKey { id: "monza".into() }).await.unwrap().into_inner().circuit.unwrap();
    assert!(circuit.has_image, "the circuit says it has a map");

    let own = protobuf::v1::CircuitImage {
        circuit_id: "monza".into(),
        content_type: "image/png".into(),
        data: vec![0x89, b'P', b'N', b'G'],
        source_url: "https://www.formula1.com/monza.png".into(),
    };
    client
        .write(protobuf::v1::WriteBatchRequest { circuit_images: vec![own.clone()], ..Default::default() })
        .await
        .unwrap();
    import_into(&client, F1dbSource::Bundled, Some(2024), Some(2024), |_| {}).await.unwrap();
    let kept = grpc.get_circuit_image(IdKey { id: "monza".into() }).await.unwrap().into_inner().image.unwrap();
    assert_eq!(kept, own, "the stored image stays");
}
