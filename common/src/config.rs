//! Typed configuration from `WIBM_*` environment variables.
//!
//! Each service declares a `serde` struct whose fields carry their defaults
//! (`#[serde(default = ...)]`); [`load`] fills it from the environment, the
//! `WIBM_` prefix stripped and the name lower-cased (`WIBM_MONGODB_DB` →
//! `mongodb_db`). Values stay strings until serde asks for a field's type, so
//! a database named `2024` or a password `true` arrive as written, and a
//! bad value is an error naming its variable; an empty one is the same as
//! an unset one (its default). This is the only module that reads the
//! environment.
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

const PREFIX: &str = "WIBM_";

/// A variable renamed in this release: the old name still works, with a
/// warning, and is read as the new one (`scale` converts its unit).
struct Renamed {
    old: &'static str,
    new: &'static str,
    scale: u64,
}

/// Old names accepted for one release. The data_scheduler deadline had four
/// names in two units; it has one now.
const RENAMED: [Renamed; 3] = [
    Renamed { old: "WIBM_CONTENT_GRPC_TIMEOUT_MS", new: "WIBM_DATA_SCHEDULER_TIMEOUT_MS", scale: 1 },
    Renamed { old: "WIBM_SCHEDULER_GRPC_TIMEOUT_MS", new: "WIBM_DATA_SCHEDULER_TIMEOUT_MS", scale: 1 },
    Renamed { old: "WIBM_DATA_SCHEDULER_TIMEOUT_SECS", new: "WIBM_DATA_SCHEDULER_TIMEOUT_MS", scale: 1000 },
];

/// Builds `T` from its defaults and the `WIBM_*` environment variables.
/// Old variable names are logged once per process, as warnings.
pub fn load<T: DeserializeOwned>() -> Result<T, ConfigError> {
    let mut vars = Vec::new();
    for (name, value) in std::env::vars_os() {
        let Some(name) = name.to_str().filter(|n| n.starts_with(PREFIX)).map(str::to_string) else { continue };
        let value = value.into_string().map_err(|_| ConfigError(format!("{name} is not valid UTF-8 text")))?;
        vars.push((name, value));
    }
    let loaded = load_from(vars)?;
    static WARNED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    for warning in loaded.warnings {
        if !warned.contains(&warning) {
            tracing::warn!("{warning}");
            warned.push(warning);
        }
    }
    Ok(loaded.value)
}

/// A configuration and what was said about the variables it came from.
#[derive(Debug)]
pub struct Loaded<T> {
    pub value: T,
    /// One line per old variable name in use.
    pub warnings: Vec<String>,
}

/// Builds `T` from `vars` (`WIBM_*` names and their values): what [`load`]
/// does with the environment, for tests.
pub fn load_from<T: DeserializeOwned>(
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<Loaded<T>, ConfigError> {
    // An empty value is no value: compose passes `WIBM_X: ${WIBM_X:-}` for
    // every variable a service reads, set in .env or not.
    let mut map: BTreeMap<String, String> =
        vars.into_iter().filter(|(k, v)| k.starts_with(PREFIX) && !v.is_empty()).collect();
    let mut warnings = Vec::new();
    for r in RENAMED {
        let Some(value) = map.remove(r.old) else { continue };
        if map.contains_key(r.new) {
            warnings.push(format!("{} is ignored: {} is set (the old name goes in the next release)", r.old, r.new));
            continue;
        }
        let value = match r.scale {
            1 => value,
            scale => value
                .trim()
                .parse::<u64>()
                .ok()
                .and_then(|n| n.checked_mul(scale))
                .map(|n| n.to_string())
                .ok_or_else(|| ConfigError(format!("{}: `{value}` is not a whole number", r.old)))?,
        };
        warnings.push(format!("{} is deprecated: use {} (the old name goes in the next release)", r.old, r.new));
        map.insert(r.new.to_string(), value);
    }
    let entries = map.into_iter().map(|(name, value)| (name[PREFIX.len()..].to_ascii_lowercase(), name, value));
    let value = T::deserialize(Vars(entries.collect::<Vec<_>>().into_iter())).map_err(|e| ConfigError(e.0))?;
    Ok(Loaded { value, warnings })
}

/// `T` with every field at its default: what an empty environment gives.
pub fn defaults<T: DeserializeOwned>() -> T {
    match load_from(std::iter::empty()) {
        Ok(loaded) => loaded.value,
        Err(e) => panic!("every configuration field has a default: {e}"),
    }
}

/// Whether we run inside a container (Docker sets `/.dockerenv`); used to
/// refuse unsafe defaults there.
pub fn in_container() -> bool {
    std::path::Path::new("/.dockerenv").exists()
}

/// Reads a raw environment variable that is not ours (e.g. `CI`).
pub fn env_flag(name: &str) -> bool {
    std::env::var(name).map(|v| matches!(v.as_str(), "1" | "true" | "yes")).unwrap_or(false)
}

/// Reads a raw environment variable (used by test helpers for `WIBM_TEST_*`).
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Logging settings shared by every service: `WIBM_LOG_JSON=true` switches to JSON lines.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LogConfig {
    #[serde(default)]
    pub log_json: bool,
}

/// data_scheduler's gRPC address, the same default for every service (`WIBM_DATA_SCHEDULER_URL`).
pub fn default_data_scheduler_url() -> String {
    "http://127.0.0.1:50051".into()
}

macro_rules! duration_type {
    ($name:ident, $unit:literal, $per:expr) => {
        #[doc = concat!("A duration above zero, configured as a whole number of ", $unit, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// Panics on zero: for defaults and tests, where a zero is a bug.
            pub const fn of(n: u64) -> Self {
                assert!(n > 0, "a configured duration is above zero");
                Self(n)
            }

            pub fn count(self) -> u64 {
                self.0
            }

            pub fn get(self) -> Duration {
                $per(self.0)
            }
        }

        impl From<$name> for Duration {
            fn from(d: $name) -> Duration {
                d.get()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match u64::deserialize(d)? {
                    0 => Err(de::Error::custom(concat!("must be above 0 (", $unit, ")"))),
                    n => Ok(Self(n)),
                }
            }
        }
    };
}

duration_type!(Millis, "milliseconds", Duration::from_millis);
duration_type!(Secs, "seconds", Duration::from_secs);
duration_type!(Mins, "minutes", |n: u64| Duration::from_secs(n.saturating_mul(60)));

/// The variables as a map for serde: keys are field names, values strings.
struct Vars(std::vec::IntoIter<(String, String, String)>);

#[derive(Debug)]
struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Self(msg.to_string())
    }
}

impl<'de> Deserializer<'de> for Vars {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(VarsAccess { iter: self.0, pending: None })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct VarsAccess {
    iter: std::vec::IntoIter<(String, String, String)>,
    /// The variable name and value whose key was just handed out.
    pending: Option<(String, String)>,
}

impl<'de> MapAccess<'de> for VarsAccess {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some((key, name, value)) = self.iter.next() else { return Ok(None) };
        self.pending = Some((name, value));
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (name, value) = self.pending.take().ok_or_else(|| DeError("a value without its name".into()))?;
        seed.deserialize(Value(&value)).map_err(|e| DeError(format!("{name}: {e}")))
    }
}

/// One variable's value: a string, parsed only when a field asks for a
/// number, a bool or an absent option.
struct Value<'a>(&'a str);

impl Value<'_> {
    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, DeError> {
        self.0.trim().parse().map_err(|_| DeError(format!("`{}` is not {what}", self.0)))
    }
}

macro_rules! parse_as {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            visitor.$visit(self.parse::<$ty>($what)?)
        })*
    };
}

impl<'de> Deserializer<'de> for Value<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => visitor.visit_bool(true),
            "false" | "0" | "no" | "off" => visitor.visit_bool(false),
            _ => Err(DeError(format!("`{}` is not true or false", self.0))),
        }
    }

    parse_as! {
        deserialize_i8 visit_i8 i8, "a whole number";
        deserialize_i16 visit_i16 i16, "a whole number";
        deserialize_i32 visit_i32 i32, "a whole number";
        deserialize_i64 visit_i64 i64, "a whole number";
        deserialize_u8 visit_u8 u8, "a whole number at least 0";
        deserialize_u16 visit_u16 u16, "a whole number at least 0";
        deserialize_u32 visit_u32 u32, "a whole number at least 0";
        deserialize_u64 visit_u64 u64, "a whole number at least 0";
        deserialize_f32 visit_f32 f32, "a number";
        deserialize_f64 visit_f64 f64, "a number";
    }

    /// An empty variable is an unset option.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_empty() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_enum(self.0.trim().into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use secrecy::{ExposeSecret, SecretString};

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(default = "default_db")]
        mongodb_db: String,
        #[serde(default)]
        admin_password: Option<SecretString>,
        #[serde(default)]
        log_json: bool,
        #[serde(default = "default_timeout")]
        data_scheduler_timeout_ms: Millis,
        #[serde(default)]
        import_from: Option<i32>,
    }

    fn default_db() -> String {
        "willitbemax".into()
    }
    fn default_timeout() -> Millis {
        Millis::of(5000)
    }

    fn load(vars: &[(&str, &str)]) -> Result<Loaded<Sample>, ConfigError> {
        load_from(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn strings_of_digits_and_words_stay_strings() {
        let cfg = load(&[("WIBM_MONGODB_DB", "2024"), ("WIBM_ADMIN_PASSWORD", "true")]).unwrap().value;
        assert_eq!(cfg.mongodb_db, "2024");
        assert_eq!(cfg.admin_password.unwrap().expose_secret(), "true");
        let cfg = load(&[("WIBM_ADMIN_PASSWORD", "\"quoted\" 00123")]).unwrap().value;
        assert_eq!(cfg.admin_password.unwrap().expose_secret(), "\"quoted\" 00123");
    }

    #[test]
    fn typed_fields_are_parsed_and_defaults_fill_the_rest() {
        let loaded = load(&[("WIBM_LOG_JSON", "true"), ("WIBM_IMPORT_FROM", "2020"), ("OTHER", "x")]).unwrap();
        assert!(loaded.value.log_json);
        assert_eq!(loaded.value.import_from, Some(2020));
        assert_eq!(loaded.value.mongodb_db, "willitbemax");
        assert_eq!(loaded.value.data_scheduler_timeout_ms.get(), Duration::from_secs(5));
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn an_empty_value_is_the_default() {
        let loaded =
            load(&[("WIBM_MONGODB_DB", ""), ("WIBM_DATA_SCHEDULER_TIMEOUT_MS", ""), ("WIBM_ADMIN_PASSWORD", "")])
                .unwrap();
        assert_eq!(loaded.value.mongodb_db, "willitbemax");
        assert_eq!(loaded.value.data_scheduler_timeout_ms.get(), Duration::from_secs(5));
        assert!(loaded.value.admin_password.is_none());
    }

    #[test]
    fn bad_and_zero_durations_are_refused_naming_the_variable() {
        let err = load(&[("WIBM_DATA_SCHEDULER_TIMEOUT_MS", "0")]).unwrap_err();
        assert_eq!(err.0, "WIBM_DATA_SCHEDULER_TIMEOUT_MS: must be above 0 (milliseconds)");
        let err = load(&[("WIBM_DATA_SCHEDULER_TIMEOUT_MS", "3s")]).unwrap_err();
        assert_eq!(err.0, "WIBM_DATA_SCHEDULER_TIMEOUT_MS: `3s` is not a whole number at least 0");
        let err = load(&[("WIBM_LOG_JSON", "maybe")]).unwrap_err();
        assert!(err.0.starts_with("WIBM_LOG_JSON: "), "{err}");
    }

    #[test]
    fn old_deadline_names_work_and_warn() {
        for (old, value, ms) in [
            ("WIBM_CONTENT_GRPC_TIMEOUT_MS", "300", 300),
            ("WIBM_SCHEDULER_GRPC_TIMEOUT_MS", "700", 700),
            ("WIBM_DATA_SCHEDULER_TIMEOUT_SECS", "7", 7000),
        ] {
            let loaded = load(&[(old, value)]).unwrap();
            assert_eq!(loaded.value.data_scheduler_timeout_ms.get(), Duration::from_millis(ms), "{old}");
            assert_eq!(loaded.warnings.len(), 1, "{old}");
            assert!(loaded.warnings[0].contains(old) && loaded.warnings[0].contains("WIBM_DATA_SCHEDULER_TIMEOUT_MS"));
        }
        // The new name wins; the old one is reported as ignored.
        let loaded =
            load(&[("WIBM_DATA_SCHEDULER_TIMEOUT_MS", "900"), ("WIBM_DATA_SCHEDULER_TIMEOUT_SECS", "7")]).unwrap();
        assert_eq!(loaded.value.data_scheduler_timeout_ms.count(), 900);
        assert!(loaded.warnings[0].contains("ignored"), "{:?}", loaded.warnings);
        let err = load(&[("WIBM_DATA_SCHEDULER_TIMEOUT_SECS", "0")]).unwrap_err();
        assert!(err.0.starts_with("WIBM_DATA_SCHEDULER_TIMEOUT_MS: must be above 0"), "{err}");
    }
}
