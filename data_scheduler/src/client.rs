//! A ready-made client for the other services: lazy connection (a service
//! may start before data_scheduler), request-id propagation, message size
//! limits, and a per-call deadline so a stalled data_scheduler never hangs
//! the caller.
use std::time::Duration;

use common::request_id::Propagate;
use protobuf::v1::data_scheduler_client::DataSchedulerClient;
use tonic::codegen::InterceptedService;
use tonic::transport::{Channel, Endpoint};

use crate::server::MAX_MESSAGE_BYTES;

pub type Client = DataSchedulerClient<InterceptedService<Channel, Propagate>>;

/// A client for `url` (e.g. `http://127.0.0.1:50051`) whose calls fail with
/// DEADLINE_EXCEEDED/UNAVAILABLE after `timeout`.
pub fn connect_lazy(url: &str, timeout: Duration) -> Result<Client, tonic::transport::Error> {
    let channel = Endpoint::from_shared(url.to_string())?
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .timeout(timeout)
        .tcp_nodelay(true)
        .connect_lazy();
    Ok(DataSchedulerClient::with_interceptor(channel, Propagate)
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES))
}
