use serde::{Deserialize, Serialize};

/// `/content/v1/drivers/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Driver {
    pub id: String,
    pub code: Option<String>,
    pub permanent_number: Option<i32>,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub nationality: String,
    pub country_code: String,
    pub date_of_birth: Option<String>,
    /// Where the source knows it.
    pub date_of_death: Option<String>,
}

/// `/content/v1/constructors/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Constructor {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub nationality: String,
    pub country_code: String,
    /// Team colour as `#rrggbb`.
    pub color: Option<String>,
}
