//! Team colours. f1db has none, so this small table gives the constructors
//! of recent seasons (2010 on) the colour their cars and the broadcast
//! graphics are known by; every other constructor gets [`NEUTRAL`]. Values
//! are approximations chosen for charts, not official brand codes.

/// The colour of constructors without an entry.
pub const NEUTRAL: &str = "#9e9e9e";

/// (f1db constructor id, `#rrggbb`).
pub const TEAM_COLOURS: &[(&str, &str)] = &[
    ("alfa-romeo", "#c92d4b"),
    ("alphatauri", "#5e8faa"),
    ("alpine", "#0093cc"),
    ("aston-martin", "#229971"),
    ("audi", "#f50537"),
    ("cadillac", "#c0c0c0"),
    ("caterham", "#005030"),
    ("ferrari", "#e8002d"),
    ("force-india", "#f596c8"),
    ("haas", "#b6babd"),
    ("hrt", "#a6904f"),
    ("kick-sauber", "#52e252"),
    ("lotus-f1", "#ffb800"),
    ("lotus-racing", "#ffb800"),
    ("manor", "#6e0000"),
    ("marussia", "#6e0000"),
    ("mclaren", "#ff8000"),
    ("mercedes", "#27f4d2"),
    ("racing-bulls", "#6692ff"),
    ("racing-point", "#f596c8"),
    ("rb", "#6692ff"),
    ("red-bull", "#3671c6"),
    ("renault", "#fff500"),
    ("sauber", "#9b0000"),
    ("toro-rosso", "#469bff"),
    ("virgin", "#c82e37"),
    ("williams", "#64c4ff"),
];

/// The colour of constructor `id` (f1db id), or [`NEUTRAL`].
pub fn team_colour(id: &str) -> &'static str {
    TEAM_COLOURS.iter().find(|(c, _)| *c == id).map_or(NEUTRAL, |(_, colour)| colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_teams() {
        assert_eq!(team_colour("red-bull"), "#3671c6");
        assert_eq!(team_colour("brabham"), NEUTRAL);
    }

    #[test]
    fn every_colour_is_rrggbb_and_ids_are_unique() {
        let mut ids: Vec<&str> = TEAM_COLOURS.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), TEAM_COLOURS.len());
        for (id, c) in TEAM_COLOURS.iter().chain([("neutral", NEUTRAL)].iter()) {
            assert!(c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit()), "{id}: {c}");
        }
    }
}
