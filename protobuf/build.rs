//! Compiles the .proto files with a protoc from crates.io, so a fresh machine
//! needs no system protoc, and emits the descriptor set for gRPC reflection.
//!
//! The service is compiled a second time, server side only, into `raw/`:
//! there the cached read answers are `crate::raw::Raw` (encoded bytes sent
//! as they are) instead of messages, so data_scheduler serves a cache hit
//! without decoding and re-encoding it. Clients use the first compile.
use std::{env, path::PathBuf};

/// Read answers data_scheduler keeps encoded in its cache.
const RAW_ANSWERS: &[&str] = &[
    "SeasonResponse",
    "RoundsResponse",
    "RoundResponse",
    "SessionResponse",
    "StandingsResponse",
    "StandingsProgressionResponse",
    "DriverResponse",
    "ConstructorResponse",
    "CircuitResponse",
    "CircuitImageResponse",
    "DriverCareerResponse",
    "ConstructorCareerResponse",
    "CircuitRoundsResponse",
    "RaceTimingResponse",
    "SessionDataResponse",
    "SessionDataIndexResponse",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(env::var("OUT_DIR")?);
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let includes = [PathBuf::from("proto"), protoc_bin_vendored::include_path()?];

    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(&protoc);
    tonic_prost_build::configure()
        .file_descriptor_set_path(out.join("willitbemax_descriptor.bin"))
        .type_attribute(".willitbemax.v1.SyncKind", "#[derive(serde::Serialize)] #[serde(rename_all = \"snake_case\")]")
        // Its route and history name (`SyncKind::as_str`) has a hyphen.
        .field_attribute(".willitbemax.v1.SyncKind.SYNC_KIND_SESSION_DATA", "#[serde(rename = \"session-data\")]")
        .compile_with_config(
            config,
            &[
                PathBuf::from("proto/content.proto"),
                PathBuf::from("proto/session_data.proto"),
                PathBuf::from("proto/services.proto"),
            ],
            &includes,
        )?;

    let raw_dir = out.join("raw");
    std::fs::create_dir_all(&raw_dir)?;
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(&protoc);
    let mut raw = tonic_prost_build::configure()
        .build_client(false)
        .out_dir(&raw_dir)
        .extern_path(".willitbemax.v1", "crate::v1");
    for name in RAW_ANSWERS {
        raw = raw.extern_path(format!(".willitbemax.v1.{name}"), "crate::raw::Raw");
    }
    raw.compile_with_config(config, &[PathBuf::from("proto/services.proto")], &includes)?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
