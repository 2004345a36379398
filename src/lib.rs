//! The willitbemax single-process stack and CLI, as a library so the `wibm`
//! binary stays thin and tests can reuse the pieces.

pub mod cli;
pub mod firststart;
pub mod gateway;
pub mod progress;
pub mod replay;
pub mod stack;
