//! The agents: human users created through the admin, set online, each with one inbox
//! websocket, and the claiming of queued handoffs.
//!
//! An inbox socket receives every event of every conversation, so each agent sees every
//! `message.created` frame. The readers stay light: they read the frame's `type` first and
//! parse further only `handoff.queued` and `message.created`. A message's latency sample is
//! taken on the socket of the agent who owns its conversation (the first arrival there);
//! copies on the other agents' sockets are ignored. A handoff is claimed by the agent
//! `fnv1a(handoff id) % agents`, so exactly one agent tries each.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Client, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::api::{self, Instances, Socket};
use crate::stats::Tracker;

const PASSWORD: &str = "load-agent-password";

pub struct Agent {
    pub email: String,
    pub token: String,
    /// The instance (in `Instances`) its inbox and claims go to.
    pub instance: usize,
}

/// Creates (or reuses) `count` agents, logs each in and sets it online.
pub async fn create(
    client: &Client,
    instances: &Instances,
    admin_token: &str,
    count: usize,
) -> anyhow::Result<Vec<Agent>> {
    let mut agents = Vec::with_capacity(count);
    for n in 1..=count {
        let email = format!("load-agent-{n}@baton.local");
        let instance = (n - 1) % instances.len();
        let base = instances.get(instance).http.as_str();
        let body = json!({ "email": email, "password": PASSWORD, "role": "agent" });
        let (status, body) = api::post(client, base, "/v1/users", Some(admin_token), &body).await?;
        if !(status == StatusCode::CONFLICT && api::problem_code(&body) == "email_taken") {
            api::expect_success(&format!("creating {email}"), status, &body)?;
        }
        let token = api::login(client, base, &email, PASSWORD).await?;
        let body = json!({ "status": "online" });
        let (status, body) = api::put(client, base, "/v1/me/status", Some(&token), &body).await?;
        api::expect_success(&format!("setting {email} online"), status, &body)?;
        agents.push(Agent { email, token, instance });
    }
    Ok(agents)
}

/// A `handoff.queued` frame seen by the agent that should claim it.
#[derive(Debug)]
pub struct Queued {
    pub agent: u32,
    pub handoff_id: String,
    pub conversation_id: String,
}

/// What one inbox reader saw.
#[derive(Debug, Default)]
pub struct InboxCounters {
    pub frames: AtomicU64,
    /// `resync` frames: the server's bus dropped events for this socket because it lagged.
    pub resyncs: AtomicU64,
    /// Frames that were not the JSON expected.
    pub unparsed: AtomicU64,
    /// Sockets the server closed (or that failed) before the run ended.
    pub closed: AtomicU64,
}

#[derive(Deserialize)]
struct Kind<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

#[derive(Deserialize)]
struct MessageData {
    client_id: Option<String>,
}

#[derive(Deserialize)]
struct HandoffData {
    id: String,
    conversation_id: String,
}

/// The agent that claims a handoff.
pub fn pick(handoff_id: &str, agents: usize) -> u32 {
    let hash = handoff_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (hash % agents.max(1) as u64) as u32
}

/// What every inbox reader shares.
pub struct InboxShared {
    /// How many agents there are, for [`pick`].
    pub agents: usize,
    pub tracker: Arc<Tracker>,
    /// Where the `handoff.queued` frames to claim go.
    pub queued: mpsc::UnboundedSender<Queued>,
    pub counters: Arc<InboxCounters>,
    pub stop: watch::Receiver<bool>,
}

/// Opens agent `index`'s inbox socket and reads it in a task until `stop` turns true or the
/// server closes it.
pub async fn spawn_inbox(
    instances: &Instances,
    agent: &Agent,
    index: u32,
    shared: &InboxShared,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let (agents, tracker) = (shared.agents, shared.tracker.clone());
    let (queued, counters) = (shared.queued.clone(), shared.counters.clone());
    let mut stop = shared.stop.clone();
    let ws_base = &instances.get(agent.instance).ws;
    let mut socket: Socket = api::connect(&format!("{ws_base}/v1/ws?token={}", agent.token))
        .await
        .map_err(|e| anyhow::anyhow!("opening {}'s inbox socket: {e}", agent.email))?;
    Ok(tokio::spawn(async move {
        loop {
            let frame = tokio::select! {
                frame = socket.next() => frame,
                _ = stop.wait_for(|stopped| *stopped) => break,
            };
            let text = match frame {
                Some(Ok(WsMessage::Text(text))) => text,
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => {
                    counters.closed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Some(Ok(_)) => continue,
            };
            counters.frames.fetch_add(1, Ordering::Relaxed);
            let Ok(Kind { kind }) = serde_json::from_str::<Kind>(&text) else {
                counters.unparsed.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            match kind.as_ref() {
                "message.created" => match serde_json::from_str::<Data<MessageData>>(&text) {
                    Ok(Data { data }) => {
                        if let Some(client_id) = data.client_id {
                            tracker.mark_delivered(&client_id, index);
                        }
                    }
                    Err(_) => {
                        counters.unparsed.fetch_add(1, Ordering::Relaxed);
                    }
                },
                "handoff.queued" => match serde_json::from_str::<Data<HandoffData>>(&text) {
                    Ok(Data { data }) if pick(&data.id, agents) == index => {
                        let _ = queued.send(Queued {
                            agent: index,
                            handoff_id: data.id,
                            conversation_id: data.conversation_id,
                        });
                    }
                    Ok(_) => {}
                    Err(_) => {
                        counters.unparsed.fetch_add(1, Ordering::Relaxed);
                    }
                },
                "resync" => {
                    counters.resyncs.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
    }))
}

#[derive(Debug, Default, Serialize)]
pub struct ClaimOutcome {
    /// Handoffs that came back `queued` from the request.
    pub queued: u64,
    /// Handoffs that came back `offline` (nobody online), or in another state.
    pub not_queued: u64,
    /// Handoff requests that failed.
    pub request_failures: u64,
    pub claimed: u64,
    /// Claims answered 409 (`already_assigned` or another conflict).
    pub conflicts: u64,
    /// Claims that failed otherwise.
    pub claim_failures: u64,
    pub seconds: f64,
    /// Conversation index → owning agent, for the claimed ones.
    #[serde(skip)]
    pub owners: HashMap<usize, u32>,
}

/// Requests a handoff for every conversation (`concurrency` at a time) while claiming the
/// queued ones as their `handoff.queued` frames arrive; stops when every queued handoff was
/// claimed (or its claim failed), or at `timeout`.
pub async fn request_and_claim(
    client: &Client,
    instances: &Instances,
    agents: &[Agent],
    conversations: &[crate::contact::Conversation],
    queued: &mut mpsc::UnboundedReceiver<Queued>,
    concurrency: usize,
    timeout: Duration,
) -> ClaimOutcome {
    let started = Instant::now();
    let deadline = started + timeout;
    let index: HashMap<&str, usize> =
        conversations.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let mut outcome = ClaimOutcome::default();
    let requests = crate::contact::request_handoffs(client, instances, conversations, concurrency);
    tokio::pin!(requests);
    let mut requests_done = false;
    let limit = Arc::new(Semaphore::new(concurrency));
    let mut claims = JoinSet::new();
    let mut seen = HashSet::new();
    loop {
        let resolved = outcome.claimed + outcome.conflicts + outcome.claim_failures;
        if requests_done && claims.is_empty() && resolved >= outcome.queued {
            break;
        }
        tokio::select! {
            counts = &mut requests, if !requests_done => {
                requests_done = true;
                (outcome.queued, outcome.not_queued, outcome.request_failures) = counts;
            }
            Some(frame) = queued.recv() => {
                let Some(&conversation) = index.get(frame.conversation_id.as_str()) else { continue };
                if !seen.insert(frame.handoff_id.clone()) {
                    continue;
                }
                let (client, limit) = (client.clone(), limit.clone());
                let agent = &agents[frame.agent as usize];
                let url = format!("{}/v1/handoffs/{}/claim", instances.get(agent.instance).http, frame.handoff_id);
                let token = agent.token.clone();
                claims.spawn(async move {
                    let _permit = limit.acquire_owned().await;
                    let result = client.post(url).bearer_auth(token).send().await;
                    (conversation, frame.agent, result.map(|r| r.status()))
                });
            }
            Some(done) = claims.join_next(), if !claims.is_empty() => match done {
                Ok((conversation, agent, Ok(status))) if status.is_success() => {
                    outcome.claimed += 1;
                    outcome.owners.insert(conversation, agent);
                }
                Ok((_, _, Ok(StatusCode::CONFLICT))) => outcome.conflicts += 1,
                Ok((_, _, Ok(status))) => {
                    eprintln!("claim failed: HTTP {status}");
                    outcome.claim_failures += 1;
                }
                Ok((_, _, Err(error))) => {
                    eprintln!("claim failed: {error}");
                    outcome.claim_failures += 1;
                }
                Err(_) => outcome.claim_failures += 1,
            },
            _ = tokio::time::sleep_until(deadline) => {
                eprintln!("gave up waiting for claims after {timeout:?}");
                claims.abort_all();
                break;
            }
        }
    }
    outcome.seconds = started.elapsed().as_secs_f64();
    outcome
}

#[cfg(test)]
mod tests {
    #[test]
    fn pick_spreads_and_is_stable() {
        let picks: Vec<u32> = (0..1000).map(|i| super::pick(&format!("h{i}"), 10)).collect();
        assert!(picks.iter().all(|&p| p < 10));
        for agent in 0..10 {
            assert!(picks.iter().filter(|&&p| p == agent).count() > 50);
        }
        assert_eq!(super::pick("x", 10), super::pick("x", 10));
    }
}
