//! One module per upstream source. Each holds its HTTP client (or file
//! reader), its parser, and the mapping to `protobuf::v1` records.

pub mod f1db;
pub mod formula1;
pub mod identify;
pub mod jolpica;
pub mod layouts;
pub mod livetiming;
