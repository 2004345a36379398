//! Names as people type them: accent-folded slugs (`Nico Hülkenberg` ->
//! `nico-hulkenberg`), the one spelling both id derivation and name search
//! compare, so "perez" finds Sergio Pérez.
use crate::DomainError;

/// Lower-case ASCII slug of a name: `Nico Hülkenberg` -> `nico-hulkenberg`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Folds the accented Latin letters found in driver names to ASCII.
fn fold(c: char) -> Vec<char> {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'æ' => "ae",
        'ç' | 'č' | 'ć' => "c",
        'Ç' | 'Č' | 'Ć' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ě' | 'ę' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' | 'ń' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ß' => "ss",
        'š' | 'ś' => "s",
        'Š' | 'Ś' => "S",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        'ł' => "l",
        'Ł' => "L",
        other => return vec![other],
    };
    s.chars().collect()
}

/// A validated name search (`?q=`): its slug, at least one letter or
/// digit, at most [`NameQuery::MAX_LEN`] characters as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameQuery(String);

impl NameQuery {
    pub const MAX_LEN: usize = 100;

    /// Validates `raw`, naming `field` in the error.
    pub fn parse_field(field: &str, raw: &str) -> Result<Self, DomainError> {
        if raw.chars().count() > Self::MAX_LEN {
            return Err(DomainError::invalid(field, format!("longer than {} characters", Self::MAX_LEN)));
        }
        let folded = slug(raw);
        if folded.is_empty() {
            return Err(DomainError::invalid(field, "must contain a letter or a digit"));
        }
        Ok(Self(folded))
    }

    /// The slug compared against names.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether any of `names` contains the query, accents and case aside
    /// (`senna` matches `Ayrton Senna`; `ayrton senna` too).
    pub fn matches<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        names.into_iter().any(|n| slug(n).contains(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents() {
        assert_eq!(slug("Nico Hülkenberg"), "nico-hulkenberg");
        assert_eq!(slug("Sergio Pérez"), "sergio-perez");
        assert_eq!(slug("  Kimi Räikkönen "), "kimi-raikkonen");
        assert_eq!(slug("de Vries"), "de-vries");
    }

    #[test]
    fn a_query_matches_names_whatever_their_accents() {
        let q = NameQuery::parse_field("q", "perez").unwrap();
        assert!(q.matches(["Sergio Pérez"]));
        assert!(NameQuery::parse_field("q", "PÉREZ").unwrap().matches(["Sergio Perez"]));
        assert!(NameQuery::parse_field("q", "ayrton  senna").unwrap().matches(["Ayrton Senna"]));
        assert!(!q.matches(["Ayrton Senna", "Williams"]));
    }

    #[test]
    fn a_query_needs_a_letter_and_a_bound() {
        for raw in ["", "  ", "!?"] {
            let e = NameQuery::parse_field("q", raw).unwrap_err();
            assert!(matches!(e, DomainError::Invalid { ref field, .. } if field == "q"), "{raw:?}");
        }
        assert!(NameQuery::parse_field("q", &"a".repeat(101)).is_err());
    }
}
