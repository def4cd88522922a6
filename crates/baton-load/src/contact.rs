//! The contacts: opening conversations with their websockets, asking for a human, and the
//! paced message sender.
//!
//! The sender is open-loop: message `seq` is due at `start + seq / rate` whatever the server's
//! response times, so a slow server shows up as latency rather than as a lower offered rate.
//! At most `max_in_flight` POSTs are outstanding; when that many are pending the sender waits
//! for one (the send instant is taken when the POST is actually issued, so the wait is not in
//! the latency), and messages still unsent when the sending window closes are counted as
//! `not_sent`. Each tick takes the next target conversation round-robin.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{StreamExt, stream};
use reqwest::Client;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::{Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::api::{self, Instances};
use crate::stats::Tracker;

pub struct Conversation {
    pub id: String,
    pub token: String,
    /// The instance (in `Instances`) its contact talks to.
    pub instance: usize,
}

pub struct Opened {
    pub conversations: Vec<Conversation>,
    pub failures: u64,
    /// The socket readers; they end when `stop` turns true.
    pub readers: Vec<JoinHandle<()>>,
    pub seconds: f64,
}

impl Opened {
    /// Adds a later batch.
    pub fn absorb(&mut self, other: Opened) {
        self.conversations.extend(other.conversations);
        self.readers.extend(other.readers);
        self.failures += other.failures;
        self.seconds += other.seconds;
    }
}

/// What the contact socket readers saw.
#[derive(Debug, Default)]
pub struct ContactCounters {
    /// Text frames received (greetings, the contacts' own messages, system messages).
    pub frames: AtomicU64,
    /// Sockets the server closed (or that failed) before the run ended.
    pub closed: AtomicU64,
}

/// Opens `count` conversations, `concurrency` at a time, each with its contact websocket read
/// (and discarded, counting frames) by a task of its own.
pub async fn open_all(
    client: &Client,
    instances: &Instances,
    first: usize,
    count: usize,
    concurrency: usize,
    counters: Arc<ContactCounters>,
    stop: watch::Receiver<bool>,
) -> Opened {
    let started = Instant::now();
    let results: Vec<_> = stream::iter(first..first + count)
        .map(|index| open_one(client, instances, index, counters.clone(), stop.clone()))
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut opened = Opened {
        conversations: Vec::with_capacity(count),
        failures: 0,
        readers: Vec::with_capacity(count),
        seconds: 0.0,
    };
    for result in results {
        match result {
            Ok((conversation, reader)) => {
                opened.conversations.push(conversation);
                opened.readers.push(reader);
            }
            Err(error) => {
                if opened.failures < 5 {
                    eprintln!("opening a conversation failed: {error:#}");
                }
                opened.failures += 1;
            }
        }
    }
    opened.seconds = started.elapsed().as_secs_f64();
    opened
}

async fn open_one(
    client: &Client,
    instances: &Instances,
    index: usize,
    counters: Arc<ContactCounters>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<(Conversation, JoinHandle<()>)> {
    let at = instances.get(index);
    let (status, body) = api::post(client, &at.http, "/v1/conversations", None, &json!({})).await?;
    api::expect_success("creating a conversation", status, &body)?;
    let instance = index % instances.len();
    let conversation =
        Conversation { id: api::field(&body, "id")?, token: api::field(&body, "token")?, instance };
    let url =
        format!("{}/v1/conversations/{}/ws?token={}&after=0", at.ws, conversation.id, conversation.token);
    let mut socket = api::connect(&url).await?;
    let reader = tokio::spawn(async move {
        loop {
            tokio::select! {
                frame = socket.next() => match frame {
                    Some(Ok(WsMessage::Text(_))) => { counters.frames.fetch_add(1, Ordering::Relaxed); }
                    Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => {
                        counters.closed.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    Some(Ok(_)) => {}
                },
                _ = stop.wait_for(|stopped| *stopped) => break,
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
    });
    Ok((conversation, reader))
}

/// Asks for a human in every conversation. Returns (queued, in another state, failed).
pub async fn request_handoffs(
    client: &Client,
    instances: &Instances,
    conversations: &[Conversation],
    concurrency: usize,
) -> (u64, u64, u64) {
    let results: Vec<_> = stream::iter(conversations)
        .map(|c| async move {
            let path = format!("/v1/conversations/{}/handoff", c.id);
            api::post(client, &instances.get(c.instance).http, &path, Some(&c.token), &json!({})).await
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let (mut queued, mut other, mut failed) = (0, 0, 0);
    for result in results {
        match result {
            Ok((status, body)) if status.is_success() => match body.get("state").and_then(Value::as_str) {
                Some("queued") => queued += 1,
                _ => other += 1,
            },
            Ok((status, body)) => {
                if failed < 5 {
                    eprintln!("handoff request: HTTP {status} {}", api::problem_code(&body));
                }
                failed += 1;
            }
            Err(error) => {
                if failed < 5 {
                    eprintln!("handoff request failed: {error:#}");
                }
                failed += 1;
            }
        }
    }
    (queued, other, failed)
}

/// A conversation messages go to, and the agent who owns it.
pub struct Target {
    pub id: String,
    pub token: String,
    pub owner: u32,
    /// The instance its contact talks to.
    pub instance: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct SendOutcome {
    /// `rate × duration`, capped by the tracker's capacity.
    pub scheduled: u64,
    /// POSTs issued (= the seqs `0..sent` in the tracker).
    pub sent: u64,
    /// Scheduled but not issued before the window closed (in-flight limit reached).
    pub not_sent: u64,
    /// Sent over the sending window.
    pub send_rate: f64,
    pub window_s: f64,
}

/// Sends `rate` messages a second for `duration`, round-robin over `targets`.
pub async fn send_messages(
    client: &Client,
    instances: &Instances,
    targets: &[Target],
    rate: u64,
    duration: Duration,
    max_in_flight: usize,
    tracker: &Arc<Tracker>,
) -> SendOutcome {
    let scheduled = ((rate as f64 * duration.as_secs_f64()) as u64).min(tracker.capacity() as u64);
    let mut outcome = SendOutcome { scheduled, ..SendOutcome::default() };
    if targets.is_empty() || rate == 0 {
        return outcome;
    }
    let limit = Arc::new(Semaphore::new(max_in_flight.max(1)));
    let failures = Arc::new(AtomicU64::new(0));
    let mut posts = JoinSet::new();
    let start = Instant::now();
    let end = start + duration;
    for seq in 0..scheduled as usize {
        let due = start + Duration::from_secs_f64(seq as f64 / rate as f64);
        tokio::time::sleep_until(due).await;
        let permit = tokio::select! {
            permit = limit.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            _ = tokio::time::sleep_until(end) => break,
        };
        if Instant::now() >= end {
            break;
        }
        let target = &targets[seq % targets.len()];
        let request = client
            .post(format!("{}/v1/conversations/{}/messages", instances.get(target.instance).http, target.id))
            .bearer_auth(&target.token)
            .json(&json!({ "text": format!("load message {seq}"), "client_id": tracker.client_id(seq) }));
        tracker.mark_sent(seq, target.owner);
        let (tracker, failures) = (tracker.clone(), failures.clone());
        posts.spawn(async move {
            let result = request.send().await;
            let ok = matches!(&result, Ok(response) if response.status().is_success());
            tracker.mark_answered(seq, ok);
            if !ok && failures.fetch_add(1, Ordering::Relaxed) < 5 {
                match &result {
                    Ok(response) => eprintln!("message {seq}: HTTP {}", response.status()),
                    Err(error) => eprintln!("message {seq}: {error}"),
                }
            }
            if let Ok(response) = result {
                // Read the body so the connection goes back to the pool.
                let _ = response.bytes().await;
            }
            drop(permit);
        });
        outcome.sent += 1;
        while posts.try_join_next().is_some() {}
    }
    outcome.window_s = start.elapsed().as_secs_f64().max(duration.as_secs_f64());
    outcome.not_sent = scheduled - outcome.sent;
    outcome.send_rate = outcome.sent as f64 / outcome.window_s;
    // Every POST ends by itself: the client's request timeout bounds it.
    while posts.join_next().await.is_some() {}
    outcome
}
