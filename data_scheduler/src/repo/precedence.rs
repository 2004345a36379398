//! Source precedence for classifications and standings, decided here and
//! only here, inside the write transaction (see `store::KeepStored`): an
//! official record replaces anything, a provisional one never replaces an
//! official one, and between two of the same status the later write wins.
use prost::Message;
use protobuf::provenance::keeps_stored;
use protobuf::v1::{Provenance, Session, Standings};

use crate::store::{Batch, KeepStored, Put};

/// Stamps a provenance's `updated_at` with the write time, unless the writer
/// copied it from the store (then it still says when it was stored).
pub(super) fn stamp(p: &mut Option<Provenance>, now: i64) {
    if let Some(p) = p.as_mut().filter(|p| p.updated_at == 0) {
        p.updated_at = now;
    }
}

/// Provenance of a record body; a body that does not decode has none (and
/// so never outranks a write).
fn provenance<M: Message + Default>(body: &[u8], get: fn(M) -> Option<Provenance>) -> Option<Provenance> {
    M::decode(body).ok().and_then(get)
}

fn keep_session(stored: &[u8], incoming: &[u8]) -> bool {
    let get = |s: Session| s.provenance;
    keeps_stored(provenance(stored, get).as_ref(), provenance(incoming, get).as_ref())
}

fn keep_standings(stored: &[u8], incoming: &[u8]) -> bool {
    let get = |s: Standings| s.provenance;
    keeps_stored(provenance(stored, get).as_ref(), provenance(incoming, get).as_ref())
}

pub(super) fn put_session(batch: &mut Batch, put: Put) {
    batch.put_unless(put, KeepStored(keep_session));
}

pub(super) fn put_standings(batch: &mut Batch, put: Put) {
    batch.put_unless(put, KeepStored(keep_standings));
}
