//! `/seasons/{year}/what-if?p1=..&p2=..&p3=..`: the what-if panel's answer.
//! A plain GET form (works without scripts); the computation is content_api's.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::error::PageError;
use crate::state::AppState;
use crate::views;
use content_types::{Championship, HypotheticalSession, WhatIf, WhatIfRequest};

/// The places a visitor sets: first, second and third at the next session.
#[derive(Debug, Default, Deserialize)]
pub struct Picks {
    pub p1: Option<String>,
    pub p2: Option<String>,
    pub p3: Option<String>,
}

impl Picks {
    /// The chosen ids in order, or why they cannot be played.
    pub fn order(&self, c: &Championship) -> Result<Vec<String>, String> {
        let known: Vec<&str> = c.drivers.iter().flat_map(|f| &f.standings).map(|d| d.id.as_str()).collect();
        let mut order = Vec::new();
        for pick in [&self.p1, &self.p2, &self.p3].into_iter().flatten().filter(|p| !p.is_empty()) {
            if !known.contains(&pick.as_str()) {
                return Err("Pick drivers from the lists.".into());
            }
            if order.contains(pick) {
                return Err("Pick a different driver for each place.".into());
            }
            order.push(pick.clone());
        }
        if order.is_empty() {
            return Err("Pick at least the winner.".into());
        }
        Ok(order)
    }
}

pub async fn page(
    State(app): State<AppState>,
    Path(year): Path<String>,
    Query(picks): Query<Picks>,
) -> Result<Response, PageError> {
    let year = super::year(&year)?;
    let what = format!("{year} season");
    let base = format!("/content/v1/seasons/{year}/championship");
    let now: Championship = app.content.get(&base).await.map_err(|e| PageError::from_content(e, &what))?;
    let Some(next) = now.next_session.clone() else {
        return Err(PageError::not_found(format!("a session still to come in the {year} season")));
    };
    let outcome = match picks.order(&now) {
        Err(message) => Err(message),
        Ok(order) => {
            let body = WhatIfRequest {
                sessions: vec![HypotheticalSession {
                    round: next.round,
                    session: next.session,
                    order,
                    fastest_lap: None,
                }],
            };
            let w: WhatIf = app
                .content
                .post(&format!("{base}/what-if"), &body)
                .await
                .map_err(|e| PageError::from_content(e, &what))?;
            Ok(w)
        }
    };
    Ok(super::page(views::season::whatif::page(
        year,
        &now,
        [picks.p1.as_deref(), picks.p2.as_deref(), picks.p3.as_deref()],
        &outcome,
    )))
}
