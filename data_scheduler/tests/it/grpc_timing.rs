//! Race timings (laps and pit stops): each source's part survives the
//! other's write, reads are cached and invalidated, bad rows are refused.
use protobuf::v1::*;
use testkit::data_scheduler::TestDataScheduler;
use tonic::Code;

fn lap(lap: i32, driver: &str, position: i32, time: &str) -> LapTiming {
    LapTiming { lap, driver_id: driver.into(), position, time: time.into() }
}

fn stop(driver: &str, lap: i32, stop: i32, duration: &str) -> PitStop {
    PitStop { driver_id: driver.into(), lap, stop, time: String::new(), duration: duration.into() }
}

#[tokio::test]
async fn laps_and_pit_stops_are_kept_apart_and_read_back_in_order() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    let key = RoundKey { season: 2023, round: 1 };
    assert_eq!(c.get_race_timing(key).await.unwrap_err().code(), Code::NotFound);
    let laps = vec![
        lap(2, "max-verstappen", 1, "1:37.0"),
        lap(1, "charles-leclerc", 2, "1:40.230"),
        lap(1, "max-verstappen", 1, "1:39.019"),
    ];
    c.write_race_timings(WriteRaceTimingsRequest {
        races: vec![RaceTiming { season: 2023, round: 1, laps, pit_stops: vec![] }],
    })
    .await
    .unwrap();
    let first = c.get_race_timing(key).await.unwrap().into_inner();
    let t = first.timing.unwrap();
    let order: Vec<(i32, i32)> = t.laps.iter().map(|l| (l.lap, l.position)).collect();
    assert_eq!(order, [(1, 1), (1, 2), (2, 1)]);
    assert!(c.get_race_timing(key).await.unwrap().into_inner().metadata.unwrap().cached);

    // Pit stops from another source keep the laps, and the read is fresh.
    let stops = vec![stop("pierre-gasly", 9, 1, "25.885")];
    c.write_race_timings(WriteRaceTimingsRequest {
        races: vec![RaceTiming { season: 2023, round: 1, laps: vec![], pit_stops: stops }],
    })
    .await
    .unwrap();
    let r = c.get_race_timing(key).await.unwrap().into_inner();
    assert!(!r.metadata.unwrap().cached);
    let t = r.timing.unwrap();
    assert_eq!((t.laps.len(), t.pit_stops.len()), (3, 1));
}

#[tokio::test]
async fn bad_rows_are_refused_and_nothing_is_written() {
    let ds = TestDataScheduler::start().await;
    let mut c = ds.client().sport();
    let good = RaceTiming { season: 2023, round: 2, laps: vec![lap(1, "a", 1, "1:40.0")], pit_stops: vec![] };
    let bad = RaceTiming { season: 2023, round: 3, laps: vec![], pit_stops: vec![stop("", 0, 1, "22.1")] };
    let err = c.write_race_timings(WriteRaceTimingsRequest { races: vec![good, bad] }).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().contains("races[1].pit_stops[0]"), "{}", err.message());
    let none = c.get_race_timing(RoundKey { season: 2023, round: 2 }).await.unwrap_err();
    assert_eq!(none.code(), Code::NotFound, "the good race of the refused write is not stored either");
    let err = c
        .write_race_timings(WriteRaceTimingsRequest {
            races: vec![RaceTiming { season: 1800, round: 1, ..Default::default() }],
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
}
