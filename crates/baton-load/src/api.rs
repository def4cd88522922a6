//! The few Baton HTTP and websocket calls the load generator makes, with problem+json errors
//! turned into readable `anyhow` errors.

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long one HTTP request or websocket handshake may take before it counts as failed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One HTTP client for everything: a connection pool to the server, no proxy (traffic stays
/// on the address given), a per-request timeout.
pub fn client(pool: usize) -> anyhow::Result<Client> {
    // TLS (for an https base URL) needs a crypto provider; an error means one is installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .pool_max_idle_per_host(pool)
        .no_proxy()
        .tcp_nodelay(true)
        .build()?)
}

/// `POST base+path` with a JSON body and an optional bearer token; returns the status and the
/// parsed body (`Value::Null` when empty or not JSON).
pub async fn post(
    client: &Client,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> anyhow::Result<(StatusCode, Value)> {
    send(client.post(format!("{base}{path}")), token, body).await
}

pub async fn put(
    client: &Client,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> anyhow::Result<(StatusCode, Value)> {
    send(client.put(format!("{base}{path}")), token, body).await
}

async fn send(
    mut request: reqwest::RequestBuilder,
    token: Option<&str>,
    body: &Value,
) -> anyhow::Result<(StatusCode, Value)> {
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.json(body).send().await?;
    let status = response.status();
    let bytes = response.bytes().await?;
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

/// The `code` of a problem+json body, if any.
pub fn problem_code(body: &Value) -> &str {
    body.get("code").and_then(Value::as_str).unwrap_or("")
}

/// Fails with the problem's status, code and detail unless `status` is a success.
pub fn expect_success(what: &str, status: StatusCode, body: &Value) -> anyhow::Result<()> {
    if status.is_success() {
        return Ok(());
    }
    let detail = body.get("detail").and_then(Value::as_str).unwrap_or("");
    bail!("{what}: HTTP {status} {} {detail}", problem_code(body))
}

/// A string field of a JSON object, or an error naming it.
pub fn field(body: &Value, name: &str) -> anyhow::Result<String> {
    body.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("the response has no string `{name}`: {body}"))
}

/// Logs in and returns the session token.
pub async fn login(client: &Client, base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({ "email": email, "password": password });
    let (status, body) = post(client, base, "/v1/auth/login", None, &body).await?;
    expect_success(&format!("logging in as {email}"), status, &body)?;
    field(&body, "token")
}

/// One Baton instance: its HTTP base and the same address for websockets.
#[derive(Debug, Clone)]
pub struct Instance {
    pub http: String,
    pub ws: String,
}

/// The instances under load; contacts and agents are spread over them by index.
#[derive(Debug, Clone)]
pub struct Instances(Vec<Instance>);

impl Instances {
    pub fn new(bases: &[String]) -> anyhow::Result<Self> {
        anyhow::ensure!(!bases.is_empty(), "--base names at least one server");
        let instances = bases
            .iter()
            .map(|base| {
                let http = base.trim_end_matches('/').to_owned();
                Ok(Instance { ws: ws_base(&http)?, http })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self(instances))
    }

    /// The instance the `index`th contact or agent uses.
    pub fn get(&self, index: usize) -> &Instance {
        &self.0[index % self.0.len()]
    }

    pub fn first(&self) -> &Instance {
        &self.0[0]
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn describe(&self) -> String {
        self.0.iter().map(|instance| instance.http.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// `http://host:port` → `ws://host:port`.
pub fn ws_base(base: &str) -> anyhow::Result<String> {
    match base.split_once("://") {
        Some(("http", rest)) => Ok(format!("ws://{rest}")),
        Some(("https", _)) => bail!("https is not supported: this build has no TLS"),
        _ => bail!("--base must look like http://127.0.0.1:8080, not {base}"),
    }
}

/// Opens a websocket, bounded by [`REQUEST_TIMEOUT`].
pub async fn connect(url: &str) -> anyhow::Result<Socket> {
    let (socket, _) = tokio::time::timeout(REQUEST_TIMEOUT, tokio_tungstenite::connect_async(url))
        .await
        .context("websocket handshake timed out")??;
    Ok(socket)
}
