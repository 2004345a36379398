//! Session data: one session's timing records in OpenF1's kinds (2018 on,
//! archive or live), keyed by F1's `session_key` and linked to our season,
//! round and session type when it is one of ours.
//!
//! Stored as a summary (`SessionDataIndex`, the head and counts), a link
//! (`SessionDataLinks`, season/round/type to `session_key`) and the records
//! in parts (`SessionData`, see [`parts`]). A write deletes every stored
//! part of the session and writes the new ones, summary and link in the
//! same batch: all or nothing, and a re-sync with fewer records leaves none
//! of the old ones. Session data never touches `Sessions`: it is timing
//! data and must not replace a classification.
mod parts;
mod validate;

use protobuf::v1::{CacheClass, SessionData, SessionDataFilter, SessionDataIndexResponse, SessionDataKey};
use protobuf::v1::{SessionDataResponse, SessionDataSummary};
use protobuf::{DomainError, domain::FIRST_SEASON};

use super::keys::{self, tag};
use super::{Answer, Loaded, Repo, Result, Written, decode, decode_all, latest};
use crate::store::{Batch, Collection};
use validate::Key;

impl Repo {
    /// Replaces every stored record of the session with `data`'s, in one
    /// batch; counts the records written and those of the copy replaced.
    pub async fn write_session_data(&self, mut data: SessionData) -> Result<Written> {
        let year = validate::session_data(&data)?;
        let session_key = data.session_key;
        let stored = self.summary(session_key).await?;
        let now = protobuf::domain::now_unix();
        let summary = parts::summary(&data, now);
        let records: i64 = summary.counts.values().sum();

        let mut batch = Batch::default();
        batch.delete_prefix(Collection::SessionData, keys::session_data_prefix(session_key));
        for (part, records) in parts::split(&mut data, parts::CHUNK_BYTES) {
            batch.put(keys::put_session_data_part(session_key, &part, prost::Message::encode_to_vec(&records)));
        }
        batch.put(keys::put_session_data_summary(&summary));
        if summary.season != 0 {
            let link =
                SessionDataKey { session_key, season: summary.season, round: summary.round, r#type: summary.r#type };
            batch.put(keys::put_session_data_link(&link));
        }
        let mut tags = vec![tag::session_data(year, session_key), tag::session_data_index(year)];
        if let Some(old) = &stored {
            // A corrected link files the session under another year: the
            // answers of the old one go too.
            let old_year = parts::year(old);
            tags.extend([tag::session_data(old_year, session_key), tag::session_data_index(old_year)]);
        }
        let mut written = self.commit_counting(batch, tags, now, Some(records)).await?;
        written.replaced = stored.map_or(0, |s| s.counts.values().sum());
        Ok(written)
    }

    /// One session's records, by F1's `session_key` or our season, round
    /// and type; NOT_FOUND when none are stored.
    pub async fn session_data(&self, key: SessionDataKey) -> Result<Answer> {
        let summary = match validate::key(&key)? {
            Key::SessionKey(k) => self.summary(k).await?,
            Key::Link(season, round, t) => {
                let link = self.store.get(Collection::SessionDataLinks, &keys::session(season, round, t)).await?;
                match link.map(|d| decode::<SessionDataKey>(&d)).transpose()? {
                    // The summary names its link: one it no longer names
                    // (a corrected link) leads nowhere.
                    Some(link) => self
                        .summary(link.session_key)
                        .await?
                        .filter(|s| (s.season, s.round, s.r#type) == (season, round, t as i32)),
                    None => None,
                }
            }
        };
        let not_found = || DomainError::not_found(describe(&key));
        let summary = summary.ok_or_else(not_found)?;
        let (year, session_key) = (parts::year(&summary), summary.session_key);
        let tags = vec![tag::session_data(year, session_key)];
        self.read_through(&format!("session_data:{session_key}"), tags, || async {
            // Read again inside the loader: the answer is built from one
            // read of the summary and parts, after the tags' versions.
            let summary = self.summary(session_key).await?.ok_or_else(not_found)?;
            let docs = self.store.scan(Collection::SessionData, &keys::session_data_prefix(session_key)).await?;
            let data = parts::join(&summary, docs.iter().map(|d| d.body.as_slice()))
                .map_err(|e| DomainError::Internal(format!("corrupt session data {session_key}: {e}")))?;
            let class = if summary.complete { self.season_class(year).await? } else { CacheClass::Live };
            let value = SessionDataResponse { metadata: None, data: Some(data) };
            Ok(Loaded { value, written_at: summary.updated_at.max(latest(&docs)), extra_tags: vec![], class })
        })
        .await
    }

    /// The stored sessions' summaries, newest first (by the session's
    /// start), of one season (or year) and/or meeting when asked.
    pub async fn session_data_index(&self, filter: SessionDataFilter) -> Result<Answer> {
        let (season, meeting_key) = validate::filter(&filter)?;
        // Without a season, the answer may hold any year's sessions: it
        // depends on every year's index (a tag per year, so a write still
        // announces only its own season).
        let years: Vec<i32> = match season {
            Some(y) => vec![y],
            None => (FIRST_SEASON..=protobuf::Year::last()).collect(),
        };
        let tags = years.iter().map(|y| tag::session_data_index(*y)).collect();
        let key = format!("session_data_index:{season:?}:{meeting_key:?}");
        self.read_through(&key, tags, || async {
            let docs = self.store.scan(Collection::SessionDataIndex, "").await?;
            let mut sessions: Vec<SessionDataSummary> = decode_all(&docs)?;
            sessions.retain(|s| {
                season.is_none_or(|y| parts::year(s) == y) && meeting_key.is_none_or(|m| s.meeting_key == m)
            });
            sessions.sort_by_key(|s| std::cmp::Reverse((s.session.as_ref().and_then(|x| x.date_start), s.session_key)));
            let class = match season {
                Some(y) => self.season_class(y).await?,
                None => CacheClass::CurrentSeason,
            };
            let written_at = sessions.iter().map(|s| s.updated_at).max().unwrap_or(0);
            let value = SessionDataIndexResponse { metadata: None, sessions };
            Ok(Loaded { value, written_at, extra_tags: vec![], class })
        })
        .await
    }

    async fn summary(&self, session_key: i64) -> Result<Option<SessionDataSummary>> {
        let doc = self.store.get(Collection::SessionDataIndex, &keys::session_data_summary(session_key)).await?;
        doc.map(|d| decode(&d)).transpose()
    }
}

fn describe(k: &SessionDataKey) -> String {
    if k.session_key != 0 {
        format!("session data of session {}", k.session_key)
    } else {
        let t = protobuf::v1::SessionType::try_from(k.r#type).unwrap_or_default();
        format!("session data of {} round {} {}", k.season, k.round, t.slug())
    }
}
