//! Drivers, constructors, circuits (and their images) and id aliases.
use prost::Message;
use protobuf::v1::{
    CacheClass, Circuit, CircuitImage, CircuitImageResponse, CircuitResponse, CircuitsResponse, Constructor,
    ConstructorResponse, ConstructorsResponse, Driver, DriverResponse, DriversResponse, IdAlias, IdAliasFilter,
    IdAliasesResponse, IdsFilter, Metadata,
};
use protobuf::{DomainError, PageSpec};

use super::keys::tag;
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
    /// them, paginated; returns the page, the total and the metadata.
    async fn list<M: Message + Default>(&self, kind: &Kind, filter: &IdsFilter) -> Result<(Vec<M>, i32, Metadata)> {
        let page = PageSpec::from_wire(filter.page.as_ref())?;
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
        let all: Vec<M> = decode_all(&docs)?;
        let total = all.len() as i32;
        let metadata = Metadata { date: written_at, cached: false, cache_class: CacheClass::Reference as i32 };
        Ok((page.slice(all), total, metadata))
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
