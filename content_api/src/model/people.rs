use content_types::{Constructor, Driver};
use protobuf::v1;

use super::opt;

pub fn driver(d: v1::Driver) -> Driver {
    Driver {
        code: opt(&d.code),
        permanent_number: (d.permanent_number > 0).then_some(d.permanent_number),
        date_of_birth: opt(&d.date_of_birth),
        date_of_death: opt(&d.date_of_death),
        id: d.id,
        first_name: d.first_name,
        last_name: d.last_name,
        full_name: d.full_name,
        nationality: d.nationality,
        country_code: d.country_code,
    }
}

pub fn constructor(c: v1::Constructor) -> Constructor {
    Constructor {
        color: opt(&c.color),
        id: c.id,
        name: c.name,
        full_name: c.full_name,
        nationality: c.nationality,
        country_code: c.country_code,
    }
}
