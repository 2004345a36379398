//! formula1 source (being written).
