//! Stand-ins for a data_scheduler that misbehaves: one answering every
//! call with a chosen gRPC status, one that accepts calls and never answers.
use axum::Router;
use axum::response::Response;

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// Answers every gRPC call with `status`.
pub async fn answering(status: fn() -> tonic::Status) -> String {
    serve(Router::new().fallback(move || async move { status().into_http::<axum::body::Body>() })).await
}

/// Accepts every gRPC call and never answers it.
pub async fn silent() -> String {
    serve(Router::new().fallback(std::future::pending::<Response>)).await
}
