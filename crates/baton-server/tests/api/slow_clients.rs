//! Clients that open connections and never finish their requests are cut off, and the server
//! keeps answering everyone else.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{Backend, PATIENCE, TestApp};

async fn healthy(app: &TestApp) {
    let response = tokio::time::timeout(PATIENCE, app.client.get(format!("{}/healthz", app.base)).send())
        .await
        .expect("/healthz answers in time")
        .expect("/healthz answers");
    assert!(response.status().is_success(), "{}", response.status());
}

/// Reads until the server closes the connection; what it sent, if anything.
async fn closed_by_server(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received))
        .await
        .expect("the server closes a connection that stalls")
        .ok();
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_and_the_server_stays_healthy() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.header_read_timeout_seconds = 1;
        settings.max_connections = 50;
    })
    .await;
    let address = app.base.trim_start_matches("http://").to_owned();
    // Four times the cap: the ones past it wait to be accepted, then time out in turn.
    let mut stalled = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: baton\r\nX-Slow: ").await.unwrap();
        stalled.push(stream);
    }
    healthy(&app).await;
    for stream in &mut stalled {
        let answer = closed_by_server(stream).await;
        assert!(!answer.contains("200 OK"), "a half-sent request was answered: {answer}");
    }
    healthy(&app).await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_arriving_is_given_up_on() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.body_read_timeout_seconds = 1).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let head = "POST /v1/conversations HTTP/1.1\r\nHost: baton\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"contact\"";
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = closed_by_server(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    healthy(&app).await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_hold_every_connection() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.max_connections_per_address = 5).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..5 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: baton\r\n").await.unwrap();
        held.push(stream);
    }
    // The sixth is closed at once, with nothing said.
    let mut sixth = TcpStream::connect(&address).await.unwrap();
    assert_eq!(closed_by_server(&mut sixth).await, "");
    // Once the client lets go, it is served again.
    drop(held);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match app.client.get(format!("{}/healthz", app.base)).send().await {
            Ok(response) if response.status().is_success() => break,
            _ => {
                assert!(tokio::time::Instant::now() < deadline, "not served after letting go");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    }
    app.shutdown().await;
}
