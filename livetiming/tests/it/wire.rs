//! Recorded sessions through the wire and back: what data_scheduler stores
//! is exactly the records derived (the `proto` feature).
use livetiming::openf1::{ResultTime, SessionRecords};
use livetiming::wire::{Head, Link, Source, from_wire, to_wire};
use prost::Message;
use protobuf::v1::{SessionData, SessionType};

use crate::archive::{BAKU_2018, MONZA_2019_Q, records};

/// The records sent as bytes, as a writer and a reader would.
fn through_the_wire(r: &SessionRecords, head: Head) -> (SessionData, SessionRecords) {
    let bytes = to_wire(r, head).encode_to_vec();
    let data = SessionData::decode(bytes.as_slice()).unwrap();
    let back = from_wire(&data).unwrap();
    (data, back)
}

#[test]
fn a_recorded_race_round_trips_through_the_wire() {
    let r = records(BAKU_2018);
    assert!(!r.laps.is_empty() && !r.stints.is_empty() && !r.race_control.is_empty() && !r.track_status.is_empty());
    let link = Link { season: 2018, round: 4, session_type: SessionType::Race };
    let head = Head { meeting_key: 982, session_key: 5090, link: Some(link), source: Source::Archive, complete: true };
    let (data, back) = through_the_wire(&r, head);
    assert_eq!((data.season, data.round, data.r#type), (2018, 4, SessionType::Race as i32));
    assert_eq!((data.source.as_str(), data.complete), ("archive", true));
    assert_eq!(data.laps.len(), r.laps.len());
    assert_eq!(back, r);
}

#[test]
fn a_recorded_qualifying_keeps_its_times_per_part() {
    let r = records(MONZA_2019_Q);
    assert!(r.session_result.iter().any(|x| matches!(x.duration, ResultTime::Parts(_))));
    let session = r.session.as_ref().unwrap();
    let head = Head {
        meeting_key: session.meeting_key,
        session_key: session.session_key,
        link: None,
        source: Source::Live,
        complete: false,
    };
    let (data, back) = through_the_wire(&r, head);
    assert_eq!((data.season, data.r#type, data.source.as_str()), (0, 0, "live"));
    assert!(data.session_result.iter().all(|x| x.by_part));
    assert_eq!(back, r);
}
