//! The cars of a session: who drove each number, in which team colour, in
//! the classification's order (cars without a classification line last).
use std::collections::{BTreeSet, HashMap, HashSet};

use content_types::{Lap, Session};

use crate::chart::rows::Row;
use crate::views::{fmt, parts};

#[derive(Debug, Clone)]
pub struct Car {
    pub number: i32,
    /// Three letters (or the surname where a code is shared, or the number).
    pub code: String,
    pub name: String,
    pub driver_id: String,
    pub color: String,
    /// A team's second car, dashed so teammates differ.
    pub dashed: bool,
    /// Classified (a race: finished or lapped, not retired).
    pub classified: bool,
    pub position_text: String,
    pub grid: i32,
}

impl Car {
    /// The car's row of a rows chart (its code, its team colour), without
    /// bars or dots yet.
    pub fn row(&self) -> Row {
        Row {
            car: Some(self.number),
            key: self.number.to_string(),
            label: self.code.clone(),
            color: Some(self.color.clone()),
            bars: Vec::new(),
            dots: Vec::new(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Cars {
    /// In the classification's order.
    pub list: Vec<Car>,
    by_number: HashMap<i32, usize>,
}

impl Cars {
    pub fn new(s: &Session, laps: &[Lap], colors: &HashMap<String, String>) -> Self {
        let codes = parts::SharedCodes::of(s.results.iter().map(|r| (r.driver_id.as_str(), r.driver_code.as_str())));
        let mut teams = HashSet::new();
        let mut list: Vec<Car> = s
            .results
            .iter()
            .map(|r| {
                let color = colors
                    .get(&r.constructor_id)
                    .filter(|c| fmt::valid_color(c))
                    .cloned()
                    .unwrap_or_else(|| fmt::NO_COLOR.to_string());
                let code = codes.short(&r.driver_name, &r.driver_code);
                Car {
                    number: r.driver_number,
                    code: if code.is_empty() { r.driver_number.to_string() } else { code.to_string() },
                    name: r.driver_name.clone(),
                    driver_id: r.driver_id.clone(),
                    color,
                    dashed: !teams.insert(r.constructor_id.clone()),
                    classified: r.classified,
                    position_text: r.position_text.clone(),
                    grid: r.grid,
                }
            })
            .collect();
        let known: HashSet<i32> = list.iter().map(|c| c.number).collect();
        let others: BTreeSet<i32> = laps.iter().map(|l| l.driver_number).filter(|n| !known.contains(n)).collect();
        list.extend(others.into_iter().map(|n| Car {
            number: n,
            code: format!("#{n}"),
            name: format!("Car {n}"),
            driver_id: String::new(),
            color: fmt::NO_COLOR.to_string(),
            dashed: false,
            classified: false,
            position_text: String::new(),
            grid: 0,
        }));
        let by_number = list.iter().enumerate().map(|(i, c)| (c.number, i)).collect();
        Self { list, by_number }
    }

    pub fn get(&self, number: i32) -> Option<&Car> {
        self.by_number.get(&number).map(|i| &self.list[*i])
    }

    /// Car `number`'s row of a rows chart, as [`Car::row`], for a car
    /// that may have no classification line.
    pub fn row(&self, number: i32) -> Row {
        Row {
            car: Some(number),
            key: number.to_string(),
            label: self.code(number),
            color: Some(self.color(number).to_string()),
            bars: Vec::new(),
            dots: Vec::new(),
        }
    }

    pub fn code(&self, number: i32) -> String {
        self.get(number).map_or_else(|| format!("#{number}"), |c| c.code.clone())
    }

    pub fn color(&self, number: i32) -> &str {
        self.get(number).map_or(fmt::NO_COLOR, |c| c.color.as_str())
    }

    /// The cars that have records among `numbers`, in the classification's order.
    pub fn with<'a>(&'a self, numbers: &HashSet<i32>) -> impl Iterator<Item = &'a Car> + 'a {
        let numbers = numbers.clone();
        self.list.iter().filter(move |c| numbers.contains(&c.number))
    }
}
