//! The sentences of the `/championship` answer: what a contender needs, and
//! the dropped-scores note.
use super::model::{ContenderNeeds, LeaderNeeds, NeedsKind, RivalLimit, SessionRef, ordinal};
use super::needs::Needs;
use super::rules::{PointsRules, Scoring, Side};
use super::table::Table;

fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub fn contender_needs(
    name: &str,
    session: SessionRef,
    n: Needs,
    rules: &PointsRules,
    kind: Scoring,
    name_of: &dyn Fn(&str) -> String,
) -> ContenderNeeds {
    let at = session.label();
    let scoring = rules.scoring_positions(kind);
    let (kind, finish_position, points, rivals, message) = match n {
        Needs::Finish { position, points, rivals } => {
            let rivals: Vec<RivalLimit> = rivals
                .into_iter()
                .map(|(id, q)| RivalLimit { name: name_of(&id), id, no_higher_than: q, outside_points: q > scoring })
                .collect();
            let own = if position == 1 {
                "winning it".to_string()
            } else {
                format!("finishing {} or better", ordinal(position))
            };
            let limits: Vec<String> = rivals
                .iter()
                .map(|r| {
                    if r.outside_points {
                        format!("{} outside the points", r.name)
                    } else {
                        format!("{} no higher than {}", r.name, ordinal(r.no_higher_than))
                    }
                })
                .collect();
            let with = if limits.is_empty() { String::new() } else { format!(" with {}", and_list(&limits)) };
            let message = format!("{name} clinches the title at {at} by {own}{with}");
            (NeedsKind::Finish, Some(position), Some(points), rivals, message)
        }
        Needs::Score { points } => {
            let message = format!("{name} clinches the title at {at} by scoring at least {points} points");
            (NeedsKind::Score, None, Some(points), Vec::new(), message)
        }
        Needs::NoSimpleCondition => {
            let message = format!("{name} can clinch the title at {at}, but no simple condition says when");
            (NeedsKind::NoSimpleCondition, None, None, Vec::new(), message)
        }
        Needs::CannotClinch => {
            (NeedsKind::CannotClinch, None, None, Vec::new(), format!("{name} cannot clinch the title at {at}"))
        }
    };
    let can_clinch = kind != NeedsKind::CannotClinch;
    ContenderNeeds { session, kind, can_clinch, finish_position, points, rivals, message }
}

/// The leader's needs on its own result alone (no rival named).
pub fn leader_needs(name: &str, n: ContenderNeeds) -> LeaderNeeds {
    let alone = matches!(n.kind, NeedsKind::Finish | NeedsKind::Score) && n.rivals.is_empty();
    if alone {
        LeaderNeeds {
            session: n.session,
            can_clinch: true,
            finish_position: n.finish_position,
            points: n.points,
            message: n.message,
        }
    } else {
        let message = format!("{name} cannot clinch the title at {} on their own result", n.session.label());
        LeaderNeeds { session: n.session, can_clinch: false, finish_position: None, points: None, message }
    }
}

/// With dropped scores: which results count, and who scored more in total
/// than someone ranked above them.
pub fn dropped_scores(rules: &PointsRules, table: &Table) -> Option<String> {
    let c = rules.counted(table.side)?;
    let rule = if c.best_second == 0 {
        format!("only the best {} results counted", c.best_first)
    } else {
        format!(
            "only the best {} results of the first {} rounds and the best {} of the rest counted",
            c.best_first, c.first_part_rounds, c.best_second
        )
    };
    let ranked = table.ranked();
    let leader = ranked.first()?;
    let more = ranked.iter().skip(1).find(|e| e.total > leader.total + 0.005);
    let who = match table.side {
        Side::Drivers => "",
        Side::Constructors => " (constructors)",
    };
    Some(match more {
        Some(e) => format!(
            "{rule}{who}: {} scored more points in total ({} to {}), {} leads on counted points ({} to {})",
            e.name,
            round2(e.total),
            round2(leader.total),
            leader.name,
            round2(leader.points),
            round2(e.points)
        ),
        None => format!("{rule}{who}"),
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22].into_iter().map(ordinal).collect();
        assert_eq!(got, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]);
    }

    #[test]
    fn lists() {
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }
}
