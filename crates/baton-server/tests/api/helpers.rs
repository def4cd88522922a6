//! Starts the real server on port 0 with a real database and talks to it over HTTP and
//! websockets, like any client would.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use baton_core::time::Timestamp;

use baton_core::ids::ConversationId;
use baton_core::user::Role;
use baton_server::App;
use baton_server::settings::Settings;
use baton_server::state::{Clock, SharedState, SystemClock};
use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for something that should happen promptly before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The server's clock in tests: real time, plus however far a test has moved it on, so a
/// test waits for no timer.
#[derive(Default)]
pub struct TestClock {
    ahead_ms: AtomicI64,
}

impl TestClock {
    pub fn advance(&self, by: Duration) {
        self.ahead_ms.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }

    /// Sets the clock to `at`; it runs on from there at the real pace.
    pub fn set(&self, at: Timestamp) {
        self.ahead_ms.store(at.as_millis() - SystemClock.now().as_millis(), Ordering::SeqCst);
    }
}

/// Settings for scenarios that move the clock far: presence grace periods (which a restart
/// starts for every online user) that never end within a test.
pub fn steady_presence(settings: &mut Settings) {
    settings.presence_grace_seconds = 86_400;
}

/// Bot settings with the defaults but for `policy` (a partial policy document).
pub fn bot_settings(policy: Value) -> baton_core::policy::BotSettings {
    serde_json::from_value(json!({ "policy": policy })).expect("a valid policy")
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millis(SystemClock.now().as_millis() + self.ahead_ms.load(Ordering::SeqCst))
    }
}

pub struct TestApp {
    pub base: String,
    pub state: SharedState,
    pub clock: Arc<TestClock>,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

pub struct Contact {
    pub id: ConversationId,
    pub token: String,
}

#[derive(Clone)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub token: String,
}

/// The database URL for a fresh, empty database. PostgreSQL tests are marked ignored unless
/// `BATON_TEST_DATABASE_URL` was set when they were built (see `build/test_services.rs`).
pub async fn database_url(backend: Backend, dir: &tempfile::TempDir) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("baton.db").display()),
        Backend::Postgres => {
            let base = std::env::var("BATON_TEST_DATABASE_URL")
                .expect("BATON_TEST_DATABASE_URL names the PostgreSQL server for these tests");
            let name = format!("baton_api_{}", uuid::Uuid::now_v7().simple());
            baton_store::testing::create_postgres_database(&base, &name).await.expect("create database")
        }
    }
}

/// The settings tests start from: the defaults, on port 0, with rate limits off, because one
/// test plays many clients from one address (50 users logging in at once, say), and live chats
/// never closed for the contact's inactivity, because tests move the clock on by hours with
/// live chats whose contacts hold no widget open; the tests of those features turn them on.
pub fn test_settings(database_url: String) -> Settings {
    let mut settings = Settings { listen: "127.0.0.1:0".into(), database_url, ..Settings::default() };
    settings.limits.enabled = false;
    settings.contact_inactive_minutes = 0;
    // The fake LLMs, bots and embeddings servers listen on this machine.
    settings.outbound.allow_private_addresses = true;
    settings
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = database_url(backend, &dir).await;
        Self::start(test_settings(database_url), dir).await
    }

    /// Like [`spawn`](Self::spawn), with the settings changed by `configure` first.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = database_url(backend, &dir).await;
        let mut settings = test_settings(database_url);
        configure(&mut settings);
        Self::start(settings, dir).await
    }

    /// Starts the server with `settings`; `dir` holds its SQLite file, if any.
    pub async fn start(settings: Settings, dir: tempfile::TempDir) -> Self {
        Self::start_with_clock(settings, dir, Arc::new(TestClock::default())).await
    }

    async fn start_with_clock(settings: Settings, dir: tempfile::TempDir, clock: Arc<TestClock>) -> Self {
        let app = App::with_clock(settings, clock.clone()).await.expect("start app");
        let state = app.state();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.serve(listener, async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            state,
            clock,
            client: baton_ai::http_client().unwrap(),
            stop: Some(stop),
            server: Some(server),
            _dir: dir,
        }
    }

    /// Stops the server and starts a new one on the same database, as after a restart.
    pub async fn restart(mut self) -> Self {
        let settings = self.state.settings.clone();
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().unwrap());
        let clock = self.clock.clone();
        self.shutdown().await;
        Self::start_with_clock(settings, dir, clock).await
    }

    /// [`restart`](Self::restart) with changed settings, as an operator would after editing
    /// the configuration.
    pub async fn restart_with(mut self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = self.state.settings.clone();
        change(&mut settings);
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().unwrap());
        let clock = self.clock.clone();
        self.shutdown().await;
        Self::start_with_clock(settings, dir, clock).await
    }

    /// Stops the server gracefully, as Ctrl-C would, and waits for it.
    pub async fn shutdown(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let server = self.server.take().unwrap();
        tokio::time::timeout(PATIENCE, server).await.expect("graceful shutdown").unwrap().unwrap();
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    /// A team member attaches a file (`name` URL-encoded) in the conversation; the message.
    pub async fn attach(
        &self,
        token: &str,
        conversation: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Value {
        let (status, body) = self.upload(token, conversation, name, content_type, bytes, None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Uploads a file to a conversation (`name` already URL-encoded), whatever the answer.
    pub async fn upload(
        &self,
        token: &str,
        conversation: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        client_id: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut url = format!("{}/v1/conversations/{conversation}/attachments?name={name}", self.base);
        if let Some(id) = client_id {
            url += &format!("&client_id={id}");
        }
        let response = self
            .client
            .post(url)
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.request(Method::PUT, path, token, Some(body)).await
    }

    /// Fires every timer that is due. The server's own timer worker may have taken some
    /// first; a timer is removed only once its action is done, so this waits until none due
    /// is left.
    pub async fn fire_timers(&self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            baton_server::timers::fire_due(&self.state).await.unwrap();
            match self.state.store.next_timer_due().await.unwrap() {
                Some(due) if due <= self.state.now() => {
                    assert!(
                        tokio::time::Instant::now() < deadline,
                        "a due timer is still there: its action failed, or it is due again as soon as it fires"
                    );
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                _ => return,
            }
        }
    }

    /// Moves the clock on by `by` and fires whatever came due, once every event consumer has
    /// taken what was written so far (some of them set timers).
    pub async fn later(&self, by: Duration) {
        self.consumers_caught_up().await;
        self.clock.advance(by);
        self.fire_timers().await;
    }

    /// Waits until every event consumer has taken the events committed so far.
    pub async fn consumers_caught_up(&self) {
        let head = *self.state.store.watch_events().borrow();
        for consumer in [
            "websockets",
            "routing",
            "webhooks",
            "metrics",
            "watchdog",
            "email",
            "analytics",
            "channels",
            "slack",
            "mail_leads",
            "helpdesk",
        ] {
            let mut cursor = self.state.progress.watch(consumer);
            tokio::time::timeout(PATIENCE, cursor.wait_for(|at| *at >= head))
                .await
                .unwrap_or_else(|_| panic!("the {consumer} consumer did not catch up"))
                .unwrap();
        }
    }

    /// Sets the clock to `at` and fires whatever came due, once every event consumer has taken
    /// what was written so far (some of them set timers), as [`later`](Self::later) does.
    pub async fn at(&self, at: Timestamp) {
        self.consumers_caught_up().await;
        self.clock.set(at);
        self.fire_timers().await;
    }

    pub async fn start_conversation(&self) -> Contact {
        self.open_conversation(json!({"contact": {"name": "Ana"}})).await
    }

    /// Starts a conversation with `bot` (its id).
    pub async fn conversation_with(&self, bot: &str) -> Contact {
        self.open_conversation(json!({"bot_id": bot})).await
    }

    /// `POST /v1/conversations` with `body`, which must succeed.
    pub async fn open_conversation(&self, body: Value) -> Contact {
        let (status, body) = self.post("/v1/conversations", None, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        Contact {
            id: body["id"].as_str().unwrap().parse().unwrap(),
            token: body["token"].as_str().unwrap().to_owned(),
        }
    }

    /// Stores a bot with `settings` directly, as an admin would configure it; returns its id.
    pub async fn add_bot(&self, name: &str, settings: baton_core::policy::BotSettings) -> String {
        let id = self.state.new_id();
        let bot = baton_store::Bot {
            id,
            name: name.into(),
            is_default: false,
            settings,
            created_at: self.state.now(),
        };
        self.state.store.create_bot(bot).await.unwrap();
        id.to_string()
    }

    /// A bot whose policy is `policy` (a partial document); returns its id.
    pub async fn bot_with_policy(&self, policy: Value) -> String {
        self.add_bot("routed", bot_settings(policy)).await
    }

    /// The contact presses "talk to a human"; returns the new handoff.
    pub async fn ask_for_human(&self, contact: &Contact) -> Value {
        let path = format!("/v1/conversations/{}/handoff", contact.id);
        let (status, handoff) = self.post(&path, Some(&contact.token), json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{handoff}");
        handoff
    }

    /// `GET /v1/handoffs/{id}` as `token`.
    pub async fn handoff(&self, id: &str, token: &str) -> Value {
        let (status, handoff) = self.get(&format!("/v1/handoffs/{id}"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{handoff}");
        handoff
    }

    /// A user created the way `baton user add` does, logged in over HTTP.
    pub async fn agent(&self, email: &str, role: Role) -> Agent {
        let password = "correct horse battery";
        baton_server::service::users::add_user(&self.state, email, password, role, None)
            .await
            .expect("add user");
        let (status, body) =
            self.post("/v1/auth/login", None, json!({"email": email, "password": password})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        Agent {
            id: body["user"]["id"].as_str().unwrap().to_owned(),
            name: body["user"]["name"].as_str().unwrap().to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn online_agent(&self, email: &str) -> Agent {
        let agent = self.agent(email, Role::Agent).await;
        let (status, body) = self
            .request(Method::PUT, "/v1/me/status", Some(&agent.token), Some(json!({"status": "online"})))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        agent
    }

    pub async fn say(&self, contact: &Contact, text: &str) -> Value {
        let (status, body) = self
            .post(
                &format!("/v1/conversations/{}/messages", contact.id),
                Some(&contact.token),
                json!({"text": text}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    pub async fn messages(&self, conversation: ConversationId, token: &str) -> Vec<Value> {
        let (status, body) =
            self.get(&format!("/v1/conversations/{conversation}/messages"), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["messages"].as_array().unwrap().clone()
    }

    /// The team's full view of the conversation (owner, handoff with its evidence), as
    /// `GET /v1/conversations/{id}` shows it to a user who may see it.
    pub async fn conversation(&self, contact: &Contact) -> Value {
        let view = baton_server::api::contact::conversation_view(&self.state, contact.id).await.unwrap();
        serde_json::to_value(view).unwrap()
    }

    /// The conversation as its contact sees it, over HTTP with the contact's token.
    pub async fn contact_view(&self, contact: &Contact) -> Value {
        let (status, body) =
            self.get(&format!("/v1/conversations/{}", contact.id), Some(&contact.token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Waits until the bot has taken every queued turn of `conversation`.
    pub async fn bot_idle(&self, conversation: ConversationId) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.state.bot_turns.lock().unwrap().contains_key(&conversation) {
            assert!(tokio::time::Instant::now() < deadline, "the bot did not finish its turns");
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub async fn contact_socket(&self, contact: &Contact, after: i64) -> Socket {
        let url = format!(
            "{}/v1/conversations/{}/ws?token={}&after={after}",
            self.ws_base(),
            contact.id,
            contact.token
        );
        Socket::connect(&url).await
    }

    pub async fn inbox_socket(&self, agent: &Agent) -> Socket {
        Socket::connect(&format!("{}/v1/ws?token={}", self.ws_base(), agent.token)).await
    }

    fn ws_base(&self) -> String {
        self.base.replacen("http", "ws", 1)
    }
}

/// Whether `app` counts a chat window of `conversation` as open.
pub fn widget_open(app: &TestApp, conversation: ConversationId) -> bool {
    baton_server::service::inactivity::widget_open(&app.state, conversation)
}

/// A websocket client that reads `{type, data}` frames.
pub struct Socket {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    pub async fn connect(url: &str) -> Self {
        let (stream, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
        Self { stream }
    }

    /// The next frame, as (type, data).
    pub async fn next(&mut self) -> (String, Value) {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.stream.next())
                .await
                .expect("a frame in time")
                .expect("the socket stays open")
                .expect("a valid frame");
            if let WsMessage::Text(text) = frame {
                let value: Value = serde_json::from_str(&text).unwrap();
                return (value["type"].as_str().unwrap().to_owned(), value["data"].clone());
            }
        }
    }

    /// Reads frames until the server closes the socket; returns the close code it gave.
    pub async fn closed_by_server(&mut self) -> Option<u16> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.stream.next()).await.expect("closed in time");
            match frame {
                Some(Ok(WsMessage::Close(close))) => return close.map(|c| u16::from(c.code)),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    }

    /// Reads frames until one of type `kind` satisfies `matches`; returns it.
    pub async fn until(&mut self, kind: &str, matches: impl Fn(&Value) -> bool) -> Value {
        loop {
            let (frame_kind, data) = self.next().await;
            if frame_kind == kind && matches(&data) {
                return data;
            }
        }
    }

    /// Reads frames until a message by `author` arrives; returns it.
    pub async fn message_from(&mut self, author: &str) -> Value {
        self.until("message.created", |m| m["author"]["kind"] == author).await
    }

    pub async fn close(mut self) {
        let _ = self.stream.send(WsMessage::Close(None)).await;
    }
}

/// Runs each test on SQLite and on PostgreSQL; `settings = f;` first changes the settings with
/// `f` (see [`TestApp::spawn_with`]).
#[macro_export]
macro_rules! on_both_backends {
    (settings = $configure:expr; $($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   let app = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Sqlite, $configure);
                   super::$name(app.await).await
               } )*
        }
        mod on_postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
               async fn $name() {
                   let app = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Postgres, $configure);
                   super::$name(app.await).await
               } )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await).await } )*
        }
        mod on_postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
               async fn $name() { super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await).await } )*
        }
    };
}
