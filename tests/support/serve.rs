//! Serving an axum router on 127.0.0.1 for the root crate's end-to-end tests.

/// Serves `app` on 127.0.0.1:0 in a background thread (its own current-thread runtime);
/// returns its base URL, `http://127.0.0.1:PORT`.
pub(crate) fn serve(app: axum::Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{address}")
}
