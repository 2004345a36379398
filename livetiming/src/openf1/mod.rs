//! Session records in OpenF1's shape.
