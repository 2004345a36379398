//! jolpica source (being written).
