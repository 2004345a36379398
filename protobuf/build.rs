//! Compiles the .proto files with a protoc from crates.io, so a fresh machine
//! needs no system protoc, and emits the descriptor set for gRPC reflection.
use std::{env, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(env::var("OUT_DIR")?);
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc);
    tonic_prost_build::configure()
        .file_descriptor_set_path(out.join("willitbemax_descriptor.bin"))
        .compile_with_config(
            config,
            &[PathBuf::from("proto/content.proto"), PathBuf::from("proto/services.proto")],
            &[PathBuf::from("proto"), protoc_bin_vendored::include_path()?],
        )?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
