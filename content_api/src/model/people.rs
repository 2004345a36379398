use protobuf::v1::{Constructor, Driver};
use serde::Serialize;
use utoipa::ToSchema;

use super::opt;

#[derive(Debug, Serialize, ToSchema)]
pub struct DriverJson {
    pub id: String,
    pub code: Option<String>,
    pub permanent_number: Option<i32>,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub nationality: String,
    pub country_code: String,
    pub date_of_birth: Option<String>,
}

impl From<Driver> for DriverJson {
    fn from(d: Driver) -> Self {
        Self {
            code: opt(&d.code),
            permanent_number: (d.permanent_number > 0).then_some(d.permanent_number),
            date_of_birth: opt(&d.date_of_birth),
            id: d.id,
            first_name: d.first_name,
            last_name: d.last_name,
            full_name: d.full_name,
            nationality: d.nationality,
            country_code: d.country_code,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConstructorJson {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub nationality: String,
    pub country_code: String,
    /// Team colour as `#rrggbb`.
    pub color: Option<String>,
}

impl From<Constructor> for ConstructorJson {
    fn from(c: Constructor) -> Self {
        Self {
            color: opt(&c.color),
            id: c.id,
            name: c.name,
            full_name: c.full_name,
            nationality: c.nationality,
            country_code: c.country_code,
        }
    }
}
