//! What every response carries for browsers: which other sites may call the API (CORS), and
//! the headers that stop content sniffing and referrer leaks.
//!
//! **Cross-origin calls.** The widget runs on the customer's own site (`https://shop.example`)
//! and calls Baton on another origin, so the contact API must answer browsers' preflights.
//! Contacts authenticate with bearer tokens, never cookies, so allowing an origin gives that
//! site nothing it could not already do with a token it holds. `allowed_origins` narrows it:
//!
//! | `allowed_origins` | contact API (`/v1/conversations…`, `/widget.js`) | user, admin and bot API |
//! | --- | --- | --- |
//! | empty (default) | any origin | same origin only (the inbox is served by Baton itself) |
//! | listed origins | those origins | those origins |
//! | contains `"*"` | any origin | any origin |
//!
//! The CORS layer sits outside the router, so a preflight is answered before routing (which
//! would otherwise answer `OPTIONS` with 405).

use std::time::Duration;

use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may reuse a preflight's answer.
pub const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Whether `path` belongs to the API a contact's browser calls from the customer's site.
pub fn is_contact_path(path: &str) -> bool {
    path == "/widget.js" || path == "/v1/conversations" || path.starts_with("/v1/conversations/")
}

/// Checks the configured origins: each is `*` or `scheme://host[:port]`, nothing more.
pub fn validate_origins(origins: &[String]) -> anyhow::Result<()> {
    for origin in origins {
        if origin == "*" {
            continue;
        }
        let Some((scheme, rest)) = origin.split_once("://") else {
            anyhow::bail!("allowed_origins: {origin:?} is not an origin such as https://shop.example");
        };
        let host_ok = !rest.is_empty() && !rest.contains(['/', '?', '#', ' ', '@']);
        if !matches!(scheme, "http" | "https") || !host_ok || HeaderValue::from_str(origin).is_err() {
            anyhow::bail!(
                "allowed_origins: {origin:?} is not an origin such as https://shop.example (scheme and host, no path)"
            );
        }
    }
    Ok(())
}

/// The CORS layer for `allowed_origins` (validated by [`validate_origins`]).
pub fn cors(allowed_origins: &[String]) -> CorsLayer {
    let any = allowed_origins.iter().any(|o| o == "*");
    let listed: Vec<HeaderValue> = allowed_origins
        .iter()
        .filter(|o| *o != "*")
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    let open_contact_api = allowed_origins.is_empty();
    let allow = AllowOrigin::predicate(move |origin: &HeaderValue, request: &Parts| {
        any || listed.contains(origin) || (open_contact_api && is_contact_path(request.uri.path()))
    });
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Headers for every response: no MIME sniffing (a JSON answer is never run as a script), and
/// no URLs (which may carry a websocket token) in the referrer sent to other sites.
pub async fn browser_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("no-referrer"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_host_only() {
        let good = ["https://shop.example", "http://127.0.0.1:8081", "*"].map(String::from);
        validate_origins(&good).unwrap();
        for bad in
            ["shop.example", "https://shop.example/path", "ftp://shop.example", "https://", "https://a b"]
        {
            assert!(validate_origins(&[bad.to_owned()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn contact_paths_are_the_conversation_api_and_the_widget() {
        assert!(is_contact_path("/v1/conversations"));
        assert!(is_contact_path("/v1/conversations/abc/messages"));
        assert!(is_contact_path("/widget.js"));
        assert!(!is_contact_path("/v1/handoffs"));
        assert!(!is_contact_path("/v1/conversationsX"));
        assert!(!is_contact_path("/v1/auth/login"));
    }
}
