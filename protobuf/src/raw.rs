//! Answers sent as the bytes they were encoded to.
//!
//! data_scheduler keeps read answers encoded in its cache. [`Raw`] is a
//! `prost::Message` whose encoding is those bytes, verbatim, so tonic sends
//! a cached answer without decoding it first. Protobuf concatenation is a
//! merge: `encode(metadata as field 1) ++ encode(answer without metadata)`
//! decodes, on the client, to the whole answer with its metadata.
use bytes::{Buf, BufMut, Bytes};
use prost::Message;
use prost::encoding::{DecodeContext, WireType};

use crate::v1::Metadata;

/// An encoded message, sent as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Raw(pub Bytes);

impl Raw {
    /// `metadata` as field 1 (every read answer's), followed by `body`: an
    /// answer encoded without its metadata.
    pub fn with_metadata(metadata: &Metadata, body: &Bytes) -> Self {
        let mut out = Vec::with_capacity(metadata.encoded_len() + 8 + body.len());
        prost::encoding::message::encode(1, metadata, &mut out);
        out.extend_from_slice(body);
        Self(Bytes::from(out))
    }
}

impl Message for Raw {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.0);
    }

    /// Never decoded on the server side (clients decode the generated types);
    /// kept for completeness: collects fields back into bytes is not needed,
    /// so unknown input is skipped.
    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), prost::DecodeError> {
        prost::encoding::skip_field(wire_type, tag, buf, ctx)
    }

    fn encoded_len(&self) -> usize {
        self.0.len()
    }

    fn clear(&mut self) {
        self.0 = Bytes::new();
    }
}

/// The servers of data_scheduler's services, whose cached reads answer [`Raw`] bytes.
#[allow(clippy::all, clippy::pedantic)]
pub mod server {
    include!(concat!(env!("OUT_DIR"), "/raw/willitbemax.v1.rs"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v1::{CacheClass, Round, RoundsResponse};

    #[test]
    fn metadata_then_body_decodes_to_the_whole_answer() {
        let answer = RoundsResponse {
            metadata: None,
            rounds: vec![Round { season: 2024, round: 1, name: "Bahrain".into(), ..Default::default() }],
        };
        let body = Bytes::from(answer.encode_to_vec());
        let metadata = Metadata { date: 7, cached: true, cache_class: CacheClass::CompletedSeason as i32 };
        let raw = Raw::with_metadata(&metadata, &body);
        assert_eq!(raw.encoded_len(), raw.0.len());
        let decoded = RoundsResponse::decode(raw.encode_to_vec().as_slice()).unwrap();
        assert_eq!(decoded, RoundsResponse { metadata: Some(metadata), ..answer });
    }
}
