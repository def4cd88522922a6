//! Building and running a Baton server: `App::new` connects and prepares everything,
//! `App::serve` runs it on a listener until the shutdown future resolves. Tests bind port 0
//! and drive the same code as production.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use baton_store::{SqlStore, Store};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::realtime::bus::Bus;
use crate::service::users::ensure_default_bot;
use crate::settings::Settings;
use crate::state::{AppState, Clock, SharedState, SystemClock};

/// How many events a slow websocket may fall behind before it resynchronises from the store.
const BUS_CAPACITY: usize = 4096;

pub struct App {
    state: SharedState,
    stop: watch::Sender<bool>,
}

impl App {
    /// Connects to the database (creating and migrating it), and on an empty one creates the
    /// demo bot.
    pub async fn new(settings: Settings) -> anyhow::Result<Self> {
        Self::with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn with_clock(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        settings.validate()?;
        crate::metrics::handle();
        let store: Arc<dyn Store> = Arc::new(SqlStore::connect(&settings.database_url).await?);
        let http = baton_ai::outbound::Outbound::new(settings.outbound.allow_private_addresses)
            .map_err(|e| anyhow::anyhow!("building the HTTP client: {e}"))?;
        let semantic = crate::service::semantic::index(settings.embeddings.as_ref(), &http)?;
        let judge = crate::service::judge::judge(settings.judge.as_ref(), &http);
        let (stop, shutdown) = watch::channel(false);
        let limits = crate::limits::RateLimits::new(&settings.limits);
        let mailer = crate::email::Mailer::from_settings(&settings.smtp)?;
        let cluster = crate::cluster::Cluster::connect(&settings).await?;
        let state = Arc::new(AppState {
            settings,
            store,
            clock,
            http,
            semantic,
            judge,
            mailer,
            bus: Bus::new(BUS_CAPACITY),
            limits,
            session_ends: Default::default(),
            tail: Default::default(),
            progress: Default::default(),
            consumers: Default::default(),
            contact_tokens: crate::auth::ContactTokens::default(),
            bot_turns: Mutex::new(HashMap::new()),
            routing: tokio::sync::Mutex::new(Default::default()),
            routing_requests: Default::default(),
            cluster,
            inboxes: Mutex::new(HashMap::new()),
            contact_widgets: Mutex::new(HashMap::new()),
            shutdown,
        });
        crate::cluster::while_setting_up(state.store.as_ref(), ensure_default_bot(&state))
            .await?
            .map_err(|e| anyhow::anyhow!("creating the demo bot: {e}"))?;
        Ok(Self { state, stop })
    }

    pub fn state(&self) -> SharedState {
        self.state.clone()
    }

    pub fn router(&self) -> Router {
        router(self.state.clone())
    }

    /// Serves until `shutdown` resolves, then closes websockets and finishes open requests.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // Once, on a database from before analytics, before its consumer starts (by one of
        // several instances starting together).
        let backfill = crate::events::analytics::backfill(&self.state);
        let backfilled = crate::cluster::while_setting_up(self.state.store.as_ref(), backfill)
            .await?
            .map_err(|e| anyhow::anyhow!("giving the stored handoffs their analytics: {e}"))?;
        if backfilled > 0 {
            tracing::info!(handoffs = backfilled, "counted the stored handoffs for analytics");
        }
        let state = &self.state;
        let notices = tokio::spawn(crate::cluster::run(state.clone()));
        let consumers = crate::events::spawn_all(state);
        // Alone (SQLite, or the first instance on PostgreSQL) this process coordinates from the
        // start, and prepares before serving, as a lone server always has.
        let hold = crate::cluster::claim(state).await;
        if hold.is_some() {
            take_over(state).await?;
        }
        let holder = tokio::spawn(crate::cluster::hold_or_claim(state.clone(), hold));
        let coordinating = tokio::spawn(crate::cluster::while_coordinating(
            state.clone(),
            state.cluster.coordinating(),
            coordinate,
        ));
        let webhooks = tokio::spawn(crate::webhooks::sender::run(state.clone()));
        let channel_sender = tokio::spawn(crate::channels::sender::run(state.clone()));
        let housekeeping = tokio::spawn(housekeeping(state.clone()));

        let stop = self.stop;
        let router = router(self.state.clone());
        let settings = &self.state.settings;
        let limits = crate::serve::ConnectionLimits {
            max_connections: settings.max_connections,
            max_connections_per_address: settings.max_connections_per_address,
            header_read_timeout: Duration::from_secs(settings.header_read_timeout_seconds),
        };
        crate::serve::run(listener, router, limits, async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await?;
        for consumer in consumers {
            consumer.await?;
        }
        coordinating.await?;
        // Freed only now that the coordinating work has stored its cursors.
        if let Some(hold) = holder.await? {
            hold.release().await;
        }
        webhooks.await?;
        channel_sender.await?;
        housekeeping.await?;
        if let Err(error) = notices.await? {
            tracing::warn!(?error, "listening to the other instances failed");
        }
        Ok(())
    }
}

/// What a process does when it starts to coordinate (see `crate::cluster`), before the
/// coordinating work runs: whatever changed while nobody coordinated is made right.
async fn take_over(state: &SharedState) -> anyhow::Result<()> {
    // Nobody's inbox counts as open until it shows itself: each online user gets the grace
    // period (one open on another instance answers when it ends).
    crate::service::presence::resume(state)
        .await
        .map_err(|e| anyhow::anyhow!("starting presence grace periods: {e}"))?;
    // Whatever changed meanwhile (presence, office hours) is routed, from scratch: what this
    // process remembers announcing and arming may be from an earlier term, since changed by
    // another coordinator.
    *state.routing.lock().await = Default::default();
    crate::service::routing::reroute(state)
        .await
        .map_err(|e| anyhow::anyhow!("routing the waiting handoffs: {e}"))?;
    resume_turns(state).await;
    Ok(())
}

/// The work only the coordinating instance does, until shutdown or until it stops
/// coordinating: the durable event consumers, the timers, the mailboxes, and a look every
/// minute for bot turns nobody is taking.
async fn coordinate(state: SharedState, takeover: bool) {
    if takeover {
        // Retried until it works (or the server stops): routing and presence must be right
        // before anything else runs.
        let mut shutdown = state.shutdown.clone();
        while let Err(error) = take_over(&state).await {
            tracing::error!(?error, "taking over coordination failed; trying again");
            tokio::select! {
                () = tokio::time::sleep(crate::cluster::CLAIM_EVERY) => {}
                () = crate::state::stopped(&mut shutdown) => return,
            }
        }
    }
    // Spawned, so they use every core; dropping the set (the role was lost) aborts them all.
    let mut work = crate::events::coordinated(&state);
    work.spawn(crate::timers::run(state.clone()));
    work.spawn(crate::channels::email::run(state.clone()));
    work.spawn(look_for_orphaned_turns(state));
    while work.join_next().await.is_some() {}
}

async fn look_for_orphaned_turns(state: SharedState) {
    let mut shutdown = state.shutdown.clone();
    loop {
        tokio::select! {
            () = tokio::time::sleep(ORPHANED_TURNS_EVERY) => {}
            () = crate::state::stopped(&mut shutdown) => return,
        }
        // Only messages waiting longer than any turn takes: a turn still running elsewhere
        // is left alone. (One taken twice all the same stores one answer: each reply carries
        // its turn's `client_id`.)
        let before = state.now().plus_millis(-(ORPHANED_TURNS_EVERY.as_millis() as i64));
        match crate::service::turns::resume_waiting_since(&state, before).await {
            Ok(0) => {}
            Ok(resumed) => tracing::warn!(resumed, "taking bot turns nobody took (an instance stopped?)"),
            Err(error) => tracing::error!(?error, "looking for bot turns nobody took failed"),
        }
    }
}

/// How often the coordinator looks for bot turns nobody is taking (those of an instance that
/// died mid-turn), and how long a contact's message must have waited to count.
const ORPHANED_TURNS_EVERY: Duration = Duration::from_secs(60);

/// Wakes every conversation with contact messages the bot has not answered.
async fn resume_turns(state: &SharedState) {
    match crate::service::turns::resume(state).await {
        Ok(0) => {}
        Ok(resumed) => tracing::info!(resumed, "resuming the bot's pending turns"),
        Err(error) => tracing::error!(?error, "resuming the bot's pending turns failed"),
    }
}

/// Once a minute, until shutdown: the rate limiters forget clients that have gone quiet, and
/// expired sessions are deleted.
async fn housekeeping(state: SharedState) {
    let mut shutdown = state.shutdown.clone();
    loop {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
            () = crate::state::stopped(&mut shutdown) => return,
        }
        if let Some(limits) = &state.limits {
            limits.forget_idle();
        }
        crate::service::inactivity::forget_idle(&state);
        crate::events::prune(&state).await;
        forget_old_records(&state).await;
        if let Err(error) = crate::service::users::forget_expired_sessions(&state).await {
            tracing::warn!(?error, "deleting expired sessions failed");
        }
    }
}

/// How long the log of mails sent and finished webhook deliveries are kept: long enough to
/// answer "was I told?" and to look into an endpoint's failures.
const RECORDS_KEPT_MS: i64 = 30 * 24 * 3600 * 1000;

async fn forget_old_records(state: &AppState) {
    let before = state.now().plus_millis(-RECORDS_KEPT_MS);
    if let Err(error) = state.store.prune_email_log(before).await {
        tracing::warn!(?error, "forgetting old mails failed");
    }
    if let Err(error) = state.store.prune_deliveries(before).await {
        tracing::warn!(?error, "deleting old webhook deliveries failed");
    }
}

pub fn router(state: SharedState) -> Router {
    let (api, openapi) = crate::api::router().split_for_parts();
    let openapi = Arc::new(openapi);
    let max_body = state.settings.max_body_bytes;
    let cors = crate::security::cors(&state.settings.allowed_origins);
    Router::new()
        .merge(api)
        .route(
            "/openapi.json",
            axum::routing::get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .route("/metrics", axum::routing::get(crate::metrics::scrape))
        .merge(crate::pages::router())
        .fallback(|| async { ApiError::NotFound { what: "page" } })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::events::settle_writes))
        .route_layer(axum::middleware::from_fn(crate::metrics::track_requests))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(state.settings.body_read_timeout_seconds)))
        .layer(axum::middleware::map_response(crate::error::problems_everywhere))
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        // Outside the router, so preflights are answered before routing.
        .layer(cors)
        .layer(axum::middleware::map_response(crate::security::browser_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Runs Baton on `listener` until `shutdown` resolves.
pub async fn launch(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    App::new(settings).await?.serve(listener, shutdown).await
}
