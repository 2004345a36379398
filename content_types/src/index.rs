//! The indexes of `/content/v1`: drivers, constructors and circuits, one
//! page at a time (the paging of [`crate::SeasonList`]), and the root that
//! links to them.
use serde::{Deserialize, Serialize};

use crate::{Circuit, Constructor, Driver};

/// One page of drivers in id order (`/content/v1/drivers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverList {
    /// Drivers matching the filters, across every page.
    pub total: i32,
    pub page: u32,
    pub per_page: u32,
    pub drivers: Vec<Driver>,
}

/// One page of constructors in id order (`/content/v1/constructors`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstructorList {
    /// Constructors matching the filters, across every page.
    pub total: i32,
    pub page: u32,
    pub per_page: u32,
    pub constructors: Vec<Constructor>,
}

/// One page of circuits in id order (`/content/v1/circuits`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircuitList {
    /// Circuits matching the filters, across every page.
    pub total: i32,
    pub page: u32,
    pub per_page: u32,
    pub circuits: Vec<Circuit>,
}

/// `/content/v1`: where to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiRoot {
    pub name: String,
    /// The human documentation.
    pub docs: String,
    /// The OpenAPI 3.1 document.
    pub openapi: String,
    /// The Ergast-compatible API.
    pub ergast: String,
    pub collections: Vec<Collection>,
}

/// A collection the API serves, with the query parameters it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Collection {
    pub name: String,
    pub href: String,
    pub parameters: Vec<String>,
}

/// A round held at a circuit, with its race winner once known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircuitRound {
    pub season: i32,
    pub round: i32,
    pub name: String,
    /// The race day.
    pub date: Option<String>,
    pub winner: Option<crate::Named>,
    /// The winner's team.
    pub team: Option<crate::Named>,
}

/// `/content/v1/circuits/{id}/rounds`: every round held there, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircuitRounds {
    pub rounds: Vec<CircuitRound>,
}
