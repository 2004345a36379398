//! An interrupted first start: SIGKILL while the bundled history is being
//! imported leaves whole seasons and lacks the rest; `import-f1db --check`
//! says which, and the next start imports them.
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use testkit::replay::ReplayServer;

use crate::cli::wibm;
use crate::stack::{Stack, command, free_port};

const FROM: &str = "2016";
const TO: &str = "2024";
const RANGE: [(&str, &str); 2] = [("WIBM_IMPORT_FROM", FROM), ("WIBM_IMPORT_TO", TO)];

#[tokio::test]
async fn a_first_start_killed_during_the_import_is_completed_by_the_next_start() {
    let replay = ReplayServer::start(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jolpica")).await;
    let data = tempfile::tempdir().unwrap();

    // First start: kill it (SIGKILL, no clean-up) once three seasons are written.
    let mut child = command(data.path(), &replay.url(), free_port())
        .envs(RANGE)
        .env("RUST_LOG", "info")
        .env("WIBM_LOG_JSON", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let imported = tokio::task::spawn_blocking(move || {
        let mut seasons = 0;
        for line in stderr.lines().map_while(Result::ok) {
            // Logs to a pipe or a file are plain text, no colour codes.
            assert!(!line.contains('\u{1b}'), "an escape code in a piped log line: {line:?}");
            if line.contains("f1db season imported") {
                seasons += 1;
                if seasons == 3 {
                    break;
                }
            }
        }
        seasons
    });
    let seasons = tokio::time::timeout(Duration::from_secs(300), imported).await.unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(seasons, 3, "the import logged three seasons before the kill");

    // The store lacks the rest, and the check says so (exit 1).
    let check = wibm(data.path(), &["import-f1db", "--check", "--from", FROM, "--to", TO], None);
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(!check.status.success(), "{said}");
    assert!(said.contains("the store lacks seasons"), "{said}");
    assert!(!said.contains("2016"), "the first seasons were written whole: {said}");

    // The next start completes the import.
    let mut stack = Stack::start_with(data.path(), &replay.url(), &RANGE).await;
    let http = reqwest::Client::new();
    let seasons: Value =
        http.get(format!("{}/content/v1/seasons?per_page=100", stack.url)).send().await.unwrap().json().await.unwrap();
    let mut years: Vec<i64> =
        seasons["result"]["seasons"].as_array().unwrap().iter().map(|s| s["year"].as_i64().unwrap()).collect();
    years.sort();
    assert_eq!(years, (2016..=2024).collect::<Vec<i64>>(), "{seasons}");
    let round: Value = http
        .get(format!("{}/content/v1/seasons/2024/rounds/24", stack.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(round["result"]["sessions"].as_array().is_some_and(|s| !s.is_empty()), "{round}");
    stack.stop().await;

    let check = wibm(data.path(), &["import-f1db", "--check", "--from", FROM, "--to", TO], None);
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(check.status.success(), "{said}");
    assert!(said.contains("the store lacks nothing"), "{said}");
}

/// f1db's pit stops are written in a second call after their season's batch:
/// a first start killed between the two left the season without them, and
/// the old check (seasons only) never noticed. The check now looks at them
/// too, and the next start writes them.
#[tokio::test]
async fn a_season_stored_without_its_pit_stops_is_completed_by_the_next_start() {
    use fetcher_service::sources::f1db::{self, F1dbSource};
    use protobuf::v1::RoundKey;

    let ds = testkit::data_scheduler::TestDataScheduler::start().await;
    let client = ds.client();
    // What the kill left: the reference data and 2023's batch, no pit stops.
    let (reference, seasons) = f1db::load(F1dbSource::Bundled, Some(2023), Some(2023)).unwrap();
    client.write(reference).await.unwrap();
    client.write(seasons.into_iter().next().unwrap()).await.unwrap();
    let bahrain = RoundKey { season: 2023, round: 1 };
    let stored = client.sport().get_race_timing(bahrain).await;
    assert_eq!(stored.unwrap_err().code(), tonic::Code::NotFound, "no pit stops stored yet");

    let lack = willitbemax::firststart::lack(&client, &F1dbSource::Bundled, Some(2023), Some(2023)).await.unwrap();
    assert_eq!(lack.missing, [2023], "{lack:?}");

    let token = common::internal::InternalToken::generate();
    willitbemax::firststart::complete(&ds.url(), &token, Some(2023), Some(2023)).await.unwrap();
    let timing = client.sport().get_race_timing(bahrain).await.unwrap().into_inner().timing.unwrap();
    let gasly = timing.pit_stops.iter().find(|p| p.driver_id == "pierre-gasly" && p.stop == 1).unwrap();
    assert_eq!((gasly.lap, gasly.duration.as_str()), (9, "25.885"));
    let lack = willitbemax::firststart::lack(&client, &F1dbSource::Bundled, Some(2023), Some(2023)).await.unwrap();
    assert!(lack.missing.is_empty(), "{lack:?}");
}
