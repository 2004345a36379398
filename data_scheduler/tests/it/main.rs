//! data_scheduler integration tests: conformance suites run against every
//! reachable backend, gRPC through a real client over loopback, crash
//! safety of the embedded store, and a Redis outage.

mod backends;
mod backup;
mod cache_conformance;
mod crash;
mod fixtures;
mod grpc_answers;
mod grpc_changes;
mod grpc_guard;
mod grpc_reads;
mod grpc_session_data;
mod grpc_timing;
mod grpc_validation;
mod grpc_watch;
mod http;
mod lease_conformance;
mod mongo_faults;
mod redis_outage;
mod session_data;
mod store_conformance;
mod write_order;
