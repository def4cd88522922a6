//! The pages and scripts of `web/`, compiled into the binary so Baton is one file to deploy.
//!
//! Every page carries a Content-Security-Policy that lets it load only Baton's own scripts and
//! talk only to Baton, so an injected `<script>` or a stolen-token beacon to another host does
//! not run. The inbox also refuses to be framed (clickjacking); the demo page stands in for a
//! customer's site, so it may be framed and keeps its inline styles.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::state::SharedState;

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The inbox and the admin console: their own scripts and stylesheets, their own API and
/// websockets, never in a frame.
pub const INBOX_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The demo shop: the widget injects a `<style>` element and the page has inline styles.
pub const DEMO_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

fn page(body: &'static str, policy: &'static str, frameable: bool) -> Response {
    let mut response = asset(HTML, body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(policy));
    if !frameable {
        // For browsers that predate `frame-ancestors`.
        headers.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
    }
    response
}

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/demo") }))
        .route("/widget.js", get(|| async { asset(JS, include_str!("../../../web/widget.js")) }))
        .route("/demo", get(|| async { page(include_str!("../../../web/demo.html"), DEMO_POLICY, true) }))
        .route("/inbox", get(|| async { page(include_str!("../../../web/inbox.html"), INBOX_POLICY, false) }))
        .route("/admin", get(|| async { page(include_str!("../../../web/admin.html"), INBOX_POLICY, false) }))
        .route(
            "/set-password",
            get(|| async { page(include_str!("../../../web/set-password.html"), INBOX_POLICY, false) }),
        )
        .route(
            "/assets/set-password.js",
            get(|| async { asset(JS, include_str!("../../../web/set-password.js")) }),
        )
        .route("/assets/admin.js", get(|| async { asset(JS, include_str!("../../../web/admin.js")) }))
        .route(
            "/assets/admin-hours.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-hours.js")) }),
        )
        .route(
            "/assets/admin-bots.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-bots.js")) }),
        )
        .route(
            "/assets/admin-policy.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-policy.js")) }),
        )
        .route(
            "/assets/admin-people.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-people.js")) }),
        )
        .route(
            "/assets/admin-analytics.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-analytics.js")) }),
        )
        .route(
            "/assets/admin-audit.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-audit.js")) }),
        )
        .route(
            "/assets/admin-integrations.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-integrations.js")) }),
        )
        .route(
            "/assets/admin-channels.js",
            get(|| async { asset(JS, include_str!("../../../web/admin-channels.js")) }),
        )
        .route("/assets/admin.css", get(|| async { asset(CSS, include_str!("../../../web/admin.css")) }))
        .route("/assets/demo.js", get(|| async { asset(JS, include_str!("../../../web/demo.js")) }))
        .route("/assets/common.js", get(|| async { asset(JS, include_str!("../../../web/common.js")) }))
        .route("/assets/inbox.js", get(|| async { asset(JS, include_str!("../../../web/inbox.js")) }))
        .route(
            "/assets/inbox-canned.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-canned.js")) }),
        )
        .route(
            "/assets/inbox-keys.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-keys.js")) }),
        )
        .route(
            "/assets/inbox-typing.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-typing.js")) }),
        )
        .route(
            "/assets/inbox-alerts.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-alerts.js")) }),
        )
        .route(
            "/assets/inbox-layout.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-layout.js")) }),
        )
        .route(
            "/assets/inbox-attachments.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-attachments.js")) }),
        )
        .route(
            "/assets/inbox-contact.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-contact.js")) }),
        )
        .route(
            "/assets/inbox-history.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-history.js")) }),
        )
        .route(
            "/assets/inbox-copilot.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-copilot.js")) }),
        )
        .route(
            "/assets/inbox-channel.js",
            get(|| async { asset(JS, include_str!("../../../web/inbox-channel.js")) }),
        )
        .route("/assets/inbox.css", get(|| async { asset(CSS, include_str!("../../../web/inbox.css")) }))
}
