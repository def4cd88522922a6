//! The widget on another site: browsers' CORS preflights, `allowed_origins`, and the headers
//! every page and answer carries.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Backend, TestApp};

const SHOP: &str = "https://shop.example";

/// A browser's preflight for `method` on `path` from `origin`.
async fn preflight(app: &TestApp, path: &str, origin: &str, method: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, format!("{}{path}", app.base))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .send()
        .await
        .unwrap()
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> Option<&'r str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_site_may_embed_the_widget_by_default() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let contact = app.start_conversation().await;
    for (path, method) in [
        ("/v1/conversations".to_owned(), "POST"),
        (format!("/v1/conversations/{}/messages", contact.id), "POST"),
        (format!("/v1/conversations/{}", contact.id), "GET"),
        (format!("/v1/conversations/{}/feedback", contact.id), "POST"),
    ] {
        let response = preflight(&app, &path, SHOP, method).await;
        assert!(response.status().is_success(), "{path}: {}", response.status());
        assert_eq!(header(&response, "access-control-allow-origin"), Some(SHOP), "{path}");
        let methods = header(&response, "access-control-allow-methods").unwrap_or_default().to_uppercase();
        assert!(methods.contains(method), "{path}: {methods}");
        let headers = header(&response, "access-control-allow-headers").unwrap_or_default().to_lowercase();
        assert!(headers.contains("authorization") && headers.contains("content-type"), "{headers}");
        assert_eq!(header(&response, "access-control-max-age"), Some("86400"), "{path}");
    }
    // The real request carries the header too, so the browser lets the page read the answer.
    let response = app
        .client
        .post(format!("{}/v1/conversations", app.base))
        .header("Origin", SHOP)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "access-control-allow-origin"), Some(SHOP));

    // The team's API answers Baton's own pages only.
    for path in ["/v1/auth/login", "/v1/handoffs", "/v1/users", "/v1/bots"] {
        let response = preflight(&app, path, SHOP, "POST").await;
        assert_eq!(header(&response, "access-control-allow-origin"), None, "{path}");
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allowed_origins_narrow_the_contact_api_and_open_the_team_api() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.allowed_origins = vec![SHOP.into()];
    })
    .await;
    let response = preflight(&app, "/v1/conversations", SHOP, "POST").await;
    assert_eq!(header(&response, "access-control-allow-origin"), Some(SHOP));
    let response = preflight(&app, "/v1/conversations", "https://elsewhere.example", "POST").await;
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    let response = preflight(&app, "/v1/handoffs", SHOP, "GET").await;
    assert_eq!(header(&response, "access-control-allow-origin"), Some(SHOP));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_origin_setting_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let settings = baton_server::Settings {
        database_url: format!("sqlite://{}", dir.path().join("baton.db").display()),
        allowed_origins: vec!["shop.example/path".into()],
        ..baton_server::Settings::default()
    };
    let error = baton_server::App::new(settings).await.err().expect("refused");
    assert!(error.to_string().contains("allowed_origins"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_content_security_policy_and_the_inbox_cannot_be_framed() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let inbox = app.client.get(format!("{}/inbox", app.base)).send().await.unwrap();
    let policy = header(&inbox, "content-security-policy").expect("a CSP").to_owned();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(header(&inbox, "x-frame-options"), Some("DENY"));
    assert_eq!(header(&inbox, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&inbox, "referrer-policy"), Some("no-referrer"));

    let demo = app.client.get(format!("{}/demo", app.base)).send().await.unwrap();
    let policy = header(&demo, "content-security-policy").expect("a CSP");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    let body = demo.text().await.unwrap();
    assert!(!body.contains("<script>"), "no inline script for the policy to block");

    for path in ["/widget.js", "/assets/inbox.js", "/v1/conversations/nope"] {
        let response = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"), "{path}");
    }
    app.shutdown().await;
}
