//! livetiming source (being written).
