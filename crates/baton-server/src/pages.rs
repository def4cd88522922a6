//! The pages and scripts of `web/`, compiled into the binary so Baton is one file to deploy.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::state::SharedState;

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/demo") }))
        .route("/widget.js", get(|| async { asset(JS, include_str!("../../../web/widget.js")) }))
        .route("/demo", get(|| async { asset(HTML, include_str!("../../../web/demo.html")) }))
        .route("/inbox", get(|| async { asset(HTML, include_str!("../../../web/inbox.html")) }))
        .route("/assets/inbox.js", get(|| async { asset(JS, include_str!("../../../web/inbox.js")) }))
        .route("/assets/inbox.css", get(|| async { asset(CSS, include_str!("../../../web/inbox.css")) }))
}
