//! Reading Ergast JSON with errors that name the URL path and the field
//! (`Races[0].Results[3].position`), never a silent default for a field
//! the model needs.
use serde_json::Value;

use crate::upstream::{SourceName, UpstreamError};

/// A JSON value and where it sits in one answer.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub value: &'a Value,
    /// URL path of the answer.
    pub url: &'a str,
    field: &'a str,
    parent: Option<&'a Node<'a>>,
    index: Option<usize>,
}

pub fn invalid(url: &str, field: impl Into<String>, message: impl Into<String>) -> UpstreamError {
    UpstreamError::Invalid {
        upstream: SourceName::Jolpica,
        path: url.to_string(),
        field: field.into(),
        message: message.into(),
    }
}

/// Parses an answer body; a body that is not JSON (a truncated answer, an
/// HTML error page) is an error naming the URL.
pub fn parse(url: &str, bytes: &[u8]) -> Result<Value, UpstreamError> {
    serde_json::from_slice(bytes).map_err(|e| invalid(url, "body", format!("not JSON: {e}")))
}

impl<'a> Node<'a> {
    pub fn root(value: &'a Value, url: &'a str) -> Self {
        Self { value, url, field: "", parent: None, index: None }
    }

    /// The field's path, e.g. `MRData.RaceTable.Races[0].round`.
    pub fn path(&self) -> String {
        let mut parts = Vec::new();
        let mut node = Some(self);
        while let Some(n) = node {
            let mut part = n.field.to_string();
            if let Some(i) = n.index {
                part.push_str(&format!("[{i}]"));
            }
            if !part.is_empty() {
                parts.push(part);
            }
            node = n.parent;
        }
        parts.reverse();
        parts.join(".").replace(".[", "[")
    }

    pub fn error(&self, message: impl Into<String>) -> UpstreamError {
        invalid(self.url, self.path(), message)
    }

    fn child(&'a self, field: &'a str) -> Option<Node<'a>> {
        let value = self.value.get(field).filter(|v| !v.is_null())?;
        Some(Node { value, url: self.url, field, parent: Some(self), index: None })
    }

    /// A field that must be present.
    pub fn get(&'a self, field: &'a str) -> Result<Node<'a>, UpstreamError> {
        self.child(field).ok_or_else(|| {
            let missing = Node { value: self.value, url: self.url, field, parent: Some(self), index: None };
            missing.error("missing")
        })
    }

    pub fn opt(&'a self, field: &'a str) -> Option<Node<'a>> {
        self.child(field)
    }

    /// The items of an array field (missing means none).
    pub fn items(&'a self, field: &'a str) -> Result<Vec<Node<'a>>, UpstreamError> {
        let Some(node) = self.child(field) else { return Ok(Vec::new()) };
        let array = node.value.as_array().ok_or_else(|| node.error("not an array"))?;
        Ok(array
            .iter()
            .enumerate()
            .map(|(i, value)| Node { value, url: self.url, field, parent: Some(self), index: Some(i) })
            .collect())
    }

    /// A string field that must be present and non-empty.
    pub fn str(&'a self, field: &'a str) -> Result<String, UpstreamError> {
        let node = self.get(field)?;
        match node.value {
            Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(node.error("expected a non-empty string")),
        }
    }

    pub fn opt_str(&'a self, field: &'a str) -> Result<Option<String>, UpstreamError> {
        match self.child(field) {
            None => Ok(None),
            Some(node) => match node.value {
                Value::String(s) if s.trim().is_empty() => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                Value::Number(n) => Ok(Some(n.to_string())),
                _ => Err(node.error("expected a string")),
            },
        }
    }

    /// An integer written as a string or a number.
    pub fn int(&'a self, field: &'a str) -> Result<i32, UpstreamError> {
        let node = self.get(field)?;
        number(&node)?.ok_or_else(|| node.error("expected an integer"))
    }

    pub fn opt_int(&'a self, field: &'a str) -> Result<Option<i32>, UpstreamError> {
        match self.child(field) {
            None => Ok(None),
            Some(node) => number(&node),
        }
    }

    /// A decimal written as a string or a number (points: `"0.5"`).
    pub fn float(&'a self, field: &'a str) -> Result<f64, UpstreamError> {
        let node = self.get(field)?;
        let parsed = match node.value {
            Value::String(s) => s.trim().parse().ok(),
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        parsed.ok_or_else(|| node.error("expected a number"))
    }
}

fn number(node: &Node<'_>) -> Result<Option<i32>, UpstreamError> {
    match node.value {
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| node.error(format!("`{s}` is not an integer"))),
        Value::Number(n) => {
            n.as_i64().and_then(|v| i32::try_from(v).ok()).map(Some).ok_or_else(|| node.error("not an integer"))
        }
        _ => Err(node.error("expected an integer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_path() {
        let v: Value = serde_json::json!({"MRData": {"Races": [{"round": "1"}, {"round": "x"}]}});
        let root = Node::root(&v, "/2024.json");
        let md = root.get("MRData").unwrap();
        let races = md.items("Races").unwrap();
        assert_eq!(races[0].int("round").unwrap(), 1);
        let err = races[1].int("round").unwrap_err();
        assert_eq!(
            err.to_string(),
            "jolpica: /2024.json: invalid answer: MRData.Races[1].round: `x` is not an integer"
        );
        let err = races[0].str("raceName").unwrap_err();
        assert!(err.to_string().contains("MRData.Races[0].raceName: missing"), "{err}");
    }

    #[test]
    fn truncated_bodies_are_errors() {
        let err = parse("/2024.json", br#"{"MRData": {"Ra"#).unwrap_err();
        assert!(err.to_string().starts_with("jolpica: /2024.json: invalid answer: body: not JSON"), "{err}");
    }
}
