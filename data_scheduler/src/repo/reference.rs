//! Drivers, constructors, circuits (and their images) and id aliases.
use std::collections::HashSet;

use prost::Message;
use protobuf::names::NameQuery;
use protobuf::v1::{
    CacheClass, Circuit, CircuitImage, CircuitImageResponse, CircuitResponse, CircuitsResponse, Constructor,
    ConstructorResponse, ConstructorsResponse, Driver, DriverResponse, DriversResponse, IdAlias, IdAliasFilter,
    IdAliasesResponse, IdsFilter, Metadata,
};
use protobuf::v1::{Round, Session, SessionType};
use protobuf::{DomainError, PageSpec, Year};

use super::keys::{self, tag};
use super::{Answer, Loaded, Repo, Result, decode, decode_all, latest};
use crate::store::Collection;

/// One record kind addressed by a string id.
struct Kind {
    collection: Collection,
    noun: &'static str,
    tag: fn(&str) -> String,
}

const DRIVERS: Kind = Kind { collection: Collection::Drivers, noun: "driver", tag: tag::driver };
const CONSTRUCTORS: Kind = Kind { collection: Collection::Constructors, noun: "constructor", tag: tag::constructor };
const CIRCUITS: Kind = Kind { collection: Collection::Circuits, noun: "circuit", tag: tag::circuit };

/// A listed record: its id and the names a search looks at.
trait Listed: Message + Default {
    fn id(&self) -> &str;
    fn names(&self) -> Vec<&str>;
}

impl Listed for Driver {
    fn id(&self) -> &str {
        &self.id
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.full_name, &self.first_name, &self.last_name, &self.code, &self.id]
    }
}

impl Listed for Constructor {
    fn id(&self) -> &str {
        &self.id
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.name, &self.full_name, &self.id]
    }
}

impl Listed for Circuit {
    fn id(&self) -> &str {
        &self.id
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.name, &self.full_name, &self.locality, &self.country, &self.id]
    }
}

impl Repo {
    /// The answer `wrap(record)` for the record `id` of `kind`.
    async fn by_id<M, A>(&self, kind: &Kind, id: &str, wrap: fn(M) -> A) -> Result<Answer>
    where
        M: Message + Default,
        A: Message + Default,
    {
        if id.trim().is_empty() {
            return Err(DomainError::invalid("id", "must not be empty"));
        }
        self.read_through(&format!("{}:{id}", kind.noun), vec![(kind.tag)(id)], || async {
            let doc = self.store.get(kind.collection, id).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("{} {id}", kind.noun)))?;
            let value = wrap(decode::<M>(&doc)?);
            Ok(Loaded { value, written_at: doc.updated_at, extra_tags: vec![], class: CacheClass::Reference })
        })
        .await
    }

    /// The records named by `filter.ids` (unknown ids are left out) or all of
    /// them, in id order, narrowed to those whose names match `filter.q` and
    /// that took part in `filter.season`, paginated; returns the page, the
    /// total and the metadata.
    async fn list<M: Listed>(&self, kind: &Kind, filter: &IdsFilter) -> Result<(Vec<M>, i32, Metadata)> {
        let page = PageSpec::from_wire(filter.page.as_ref())?;
        let query = (!filter.q.is_empty()).then(|| NameQuery::parse_field("q", &filter.q)).transpose()?;
        let in_season = match filter.season {
            0 => None,
            year => Some(self.taking_part(kind, Year::new(year)?.get()).await?),
        };
        let (docs, written_at) = if filter.ids.is_empty() {
            let docs = self.store.scan(kind.collection, "").await?;
            let at = latest(&docs);
            (docs, at)
        } else {
            let mut docs = Vec::new();
            for id in &filter.ids {
                if let Some(d) = self.store.get(kind.collection, id).await? {
                    docs.push(d);
                }
            }
            let at = latest(&docs);
            (docs, at)
        };
        let mut all: Vec<M> = decode_all(&docs)?;
        all.retain(|m| {
            in_season.as_ref().is_none_or(|ids| ids.contains(m.id()))
                && query.as_ref().is_none_or(|q| q.matches(m.names()))
        });
        let total = all.len() as i32;
        let metadata = Metadata { date: written_at, cached: false, cache_class: CacheClass::Reference as i32 };
        Ok((page.slice(all), total, metadata))
    }

    /// The ids of the records of `kind` that took part in `year`: drivers
    /// and constructors with a race entry (as in their careers; not a
    /// practice outing), circuits with one of its rounds.
    async fn taking_part(&self, kind: &Kind, year: i32) -> Result<HashSet<String>> {
        let prefix = keys::season_prefix(year);
        if kind.collection == Collection::Circuits {
            let rounds: Vec<Round> = decode_all(&self.store.scan(Collection::Rounds, &prefix).await?)?;
            return Ok(rounds.into_iter().map(|r| r.circuit_id).collect());
        }
        let suffix = format!("/{}", SessionType::Race.slug());
        let mut races = self.store.scan(Collection::Sessions, &prefix).await?;
        races.retain(|d| d.key.ends_with(&suffix));
        let races: Vec<Session> = decode_all(&races)?;
        let results = races.into_iter().flat_map(|s| s.results);
        Ok(if kind.collection == Collection::Drivers {
            results.map(|r| r.driver_id).collect()
        } else {
            results.map(|r| r.constructor_id).collect()
        })
    }

    pub async fn driver(&self, id: &str) -> Result<Answer> {
        self.by_id(&DRIVERS, id, |d: Driver| DriverResponse { metadata: None, driver: Some(d) }).await
    }

    pub async fn drivers(&self, filter: IdsFilter) -> Result<DriversResponse> {
        let (drivers, total, metadata) = self.list(&DRIVERS, &filter).await?;
        Ok(DriversResponse { metadata: Some(metadata), drivers, total })
    }

    pub async fn constructor(&self, id: &str) -> Result<Answer> {
        self.by_id(&CONSTRUCTORS, id, |c: Constructor| ConstructorResponse { metadata: None, constructor: Some(c) })
            .await
    }

    pub async fn constructors(&self, filter: IdsFilter) -> Result<ConstructorsResponse> {
        let (constructors, total, metadata) = self.list(&CONSTRUCTORS, &filter).await?;
        Ok(ConstructorsResponse { metadata: Some(metadata), constructors, total })
    }

    pub async fn circuit(&self, id: &str) -> Result<Answer> {
        self.by_id(&CIRCUITS, id, |c: Circuit| CircuitResponse { metadata: None, circuit: Some(c) }).await
    }

    pub async fn circuits(&self, filter: IdsFilter) -> Result<CircuitsResponse> {
        let (circuits, total, metadata) = self.list(&CIRCUITS, &filter).await?;
        Ok(CircuitsResponse { metadata: Some(metadata), circuits, total })
    }

    pub async fn circuit_image(&self, id: &str) -> Result<Answer> {
        if id.trim().is_empty() {
            return Err(DomainError::invalid("id", "must not be empty"));
        }
        self.read_through(&format!("circuit_image:{id}"), vec![tag::circuit_image(id)], || async {
            let doc = self.store.get(Collection::CircuitImages, id).await?;
            let doc = doc.ok_or_else(|| DomainError::not_found(format!("image of circuit {id}")))?;
            let value = CircuitImageResponse { metadata: None, image: Some(decode::<CircuitImage>(&doc)?) };
            Ok(Loaded { value, written_at: doc.updated_at, extra_tags: vec![], class: CacheClass::Reference })
        })
        .await
    }

    pub async fn aliases(&self, filter: IdAliasFilter) -> Result<IdAliasesResponse> {
        let prefix = match (filter.kind.is_empty(), filter.source.is_empty()) {
            (true, _) => String::new(),
            (false, true) => format!("{}/", filter.kind),
            (false, false) => format!("{}/{}/", filter.kind, filter.source),
        };
        let docs = self.store.scan(Collection::Aliases, &prefix).await?;
        let aliases: Vec<IdAlias> = decode_all(&docs)?;
        let metadata = Metadata { date: latest(&docs), cached: false, cache_class: CacheClass::Reference as i32 };
        Ok(IdAliasesResponse { metadata: Some(metadata), aliases })
    }
}
