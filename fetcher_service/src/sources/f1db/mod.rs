//! f1db source (being written).
