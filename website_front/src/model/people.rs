use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
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
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Constructor {
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub nationality: String,
    pub country_code: String,
    pub color: Option<String>,
}
