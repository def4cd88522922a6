//! Sends queued channel messages to their providers and records how each attempt went.
//!
//! [`send_due`] is one step (tests call it after moving their clock); [`run`] repeats it,
//! woken when messages are queued. A step claims the due messages under a lease a little
//! longer than an attempt may take, so a process that dies mid-attempt leaves them to be sent
//! again when the lease ends: nothing is lost across a restart. A provider that accepted a
//! message but whose answer never arrived may get it twice; WhatsApp gives no way to ask.

use std::collections::HashMap;
use std::time::Duration;

use baton_core::channel::ChannelSettings;
use baton_core::ids::{ChannelDeliveryId, ChannelId};
use baton_core::webhook::RetrySchedule;
use baton_store::{Channel, ChannelAttempt, ChannelDelivery};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use super::{SendOutcome, email, freshchat, twilio, whatsapp};
use crate::error::ApiError;
use crate::state::{AppState, SharedState, stopped};

/// Messages claimed per step.
const BATCH: i64 = 100;
/// Attempts in flight at once.
const CONCURRENCY: usize = 16;
/// The longest sleep between looks at the queue (messages other processes queued, retries
/// coming due, a clock moved on in tests).
const POLL: Duration = Duration::from_secs(1);
const MIN_PAUSE: Duration = Duration::from_millis(50);
/// How much longer than an attempt may take it holds its message.
const LEASE_MARGIN: Duration = Duration::from_secs(30);
/// How many request timeouts one attempt may take in all: a file is uploaded, then sent; an
/// SMS answer may go as several texts. An attempt still going then is cut off (and retried),
/// so the lease always outlives it and no other process sends the message meanwhile.
const ATTEMPT_TIMEOUTS: u32 = 2;
/// How much of a provider's error is kept for the delivery log.
const ERROR_CHARS: usize = 300;

/// Sends the messages due now; returns how many attempts were made.
#[tracing::instrument(skip_all)]
pub async fn send_due(state: &AppState) -> anyhow::Result<usize> {
    let now = state.now();
    let settings = &state.settings.channels;
    let timeout = Duration::from_secs(settings.timeout_seconds);
    let lease_until = now.plus_millis((timeout * ATTEMPT_TIMEOUTS + LEASE_MARGIN).as_millis() as i64);
    let claimed = state.store.claim_due_channel_deliveries(now, lease_until, BATCH).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let channels: HashMap<_, _> =
        state.store.channels().await?.into_iter().map(|channel| (channel.id, channel)).collect();
    let schedule = settings.retry_schedule()?;
    let attempts = claimed.len();
    // One conversation's messages go one after the other, in order; conversations in parallel.
    let mut by_conversation: HashMap<_, Vec<ChannelDelivery>> = HashMap::new();
    for delivery in claimed {
        by_conversation.entry(delivery.conversation_id).or_default().push(delivery);
    }
    let mut waiting = by_conversation.into_values();
    let mut in_flight = FuturesUnordered::new();
    let mut outcomes = Vec::with_capacity(attempts);
    let mut held_back = Vec::new();
    loop {
        while in_flight.len() < CONCURRENCY {
            let Some(deliveries) = waiting.next() else { break };
            in_flight.push(send_in_order(state, &channels, deliveries, &schedule, timeout));
        }
        match in_flight.next().await {
            Some((done, not_tried)) => {
                outcomes.extend(done);
                held_back.extend(not_tried);
            }
            None => break,
        }
    }
    // If this fails, the leases run out and the attempts are made again.
    state.store.record_channel_attempts(&outcomes).await?;
    if !held_back.is_empty() {
        state.store.release_channel_deliveries(&held_back, state.now()).await?;
    }
    Ok(outcomes.len())
}

/// Sends one conversation's messages in seq order, stopping at the first that is not sent;
/// returns the attempts and the messages not tried, which wait behind it.
async fn send_in_order(
    state: &AppState,
    channels: &HashMap<ChannelId, Channel>,
    deliveries: Vec<ChannelDelivery>,
    schedule: &RetrySchedule,
    timeout: Duration,
) -> (Vec<(ChannelDeliveryId, ChannelAttempt)>, Vec<ChannelDeliveryId>) {
    let mut outcomes = Vec::new();
    let mut deliveries = deliveries.into_iter();
    for delivery in deliveries.by_ref() {
        let outcome = match channels.get(&delivery.channel_id) {
            Some(channel) if channel.enabled => {
                let limit = timeout * ATTEMPT_TIMEOUTS;
                match tokio::time::timeout(limit, send(state, channel, &delivery, timeout)).await {
                    Ok(outcome) => outcome,
                    Err(_) => SendOutcome::Transient {
                        response_code: None,
                        error: format!("the attempt took longer than {} s", limit.as_secs()),
                    },
                }
            }
            Some(_) => {
                SendOutcome::Permanent { response_code: None, error: "the channel is disabled".into() }
            }
            None => SendOutcome::Permanent { response_code: None, error: "the channel was deleted".into() },
        };
        let at = state.now();
        let attempt = match outcome {
            SendOutcome::Sent { provider_id, response_code } => ChannelAttempt {
                at,
                response_code: Some(response_code),
                error: None,
                retry_at: None,
                provider_message_id: Some(provider_id),
            },
            SendOutcome::Transient { response_code, error } => {
                let retry_at = schedule
                    .delay_after(delivery.attempts + 1)
                    .map(|pause| at.plus_millis(pause.as_millis() as i64));
                ChannelAttempt {
                    at,
                    response_code,
                    error: Some(clip(&error)),
                    retry_at,
                    provider_message_id: None,
                }
            }
            SendOutcome::Permanent { response_code, error } => ChannelAttempt {
                at,
                response_code,
                error: Some(clip(&error)),
                retry_at: None,
                provider_message_id: None,
            },
        };
        let outcome = match (&attempt.error, attempt.retry_at) {
            (None, _) => "sent",
            (Some(_), Some(_)) => "retrying",
            (Some(_), None) => "failed",
        };
        metrics::counter!("baton_channel_sends_total", "outcome" => outcome).increment(1);
        if let Some(error) = &attempt.error {
            tracing::info!(delivery = %delivery.id, %error, outcome, "a channel message was not sent");
        }
        let sent = attempt.error.is_none();
        outcomes.push((delivery.id, attempt));
        if !sent {
            break;
        }
    }
    (outcomes, deliveries.map(|delivery| delivery.id).collect())
}

fn clip(error: &str) -> String {
    error.chars().take(ERROR_CHARS).collect()
}

async fn send(
    state: &AppState,
    channel: &Channel,
    delivery: &ChannelDelivery,
    timeout: Duration,
) -> SendOutcome {
    match &channel.settings {
        ChannelSettings::Email(settings) => email::send_answer(state, settings, delivery).await,
        ChannelSettings::Freshchat(settings) => {
            let user = match crate::service::helpdesk::remote_user(state, delivery.conversation_id).await {
                Ok(Some(user)) => user,
                Ok(None) => {
                    return SendOutcome::Permanent {
                        response_code: None,
                        error: "Freshchat no longer holds the conversation".into(),
                    };
                }
                Err(error) => {
                    return SendOutcome::Transient { response_code: None, error: error.to_string() };
                }
            };
            freshchat::send_message(
                &state.http,
                settings,
                &delivery.recipient,
                &user,
                &delivery.body,
                timeout,
            )
            .await
        }
        ChannelSettings::Whatsapp(settings) => {
            let to = &delivery.recipient;
            if let Some(template) = &delivery.template {
                return whatsapp::send_template(&state.http, settings, to, template, timeout).await;
            }
            let Some(file) = &delivery.attachment else {
                return whatsapp::send_text(&state.http, settings, to, &delivery.body, timeout).await;
            };
            match crate::service::attachments::open(state, delivery.conversation_id, file.id).await {
                Ok((file, bytes)) => {
                    whatsapp::send_file(&state.http, settings, to, &file, bytes, timeout).await
                }
                Err(ApiError::NotFound { .. }) => SendOutcome::Permanent {
                    response_code: None,
                    error: "the file is no longer kept (deleted with its contact)".into(),
                },
                Err(error) => SendOutcome::Transient { response_code: None, error: error.to_string() },
            }
        }
        ChannelSettings::Sms(settings) => {
            // Statuses come back to the channel's own webhook.
            let callback = super::webhook_url(state, channel.id);
            let to = format!("+{}", delivery.recipient);
            let mut first = None;
            for part in baton_core::sms::split(&delivery.body) {
                match twilio::send_sms(&state.http, settings, &to, &part, &callback, timeout).await {
                    SendOutcome::Sent { provider_id, response_code } => {
                        first.get_or_insert((provider_id, response_code));
                    }
                    // A message cut in parts is sent again whole: a part may arrive twice,
                    // but none is lost.
                    failed => return failed,
                }
            }
            match first {
                Some((provider_id, response_code)) => SendOutcome::Sent { provider_id, response_code },
                None => SendOutcome::Permanent { response_code: None, error: "the message is empty".into() },
            }
        }
        // The team's channel and phone calls carry no texts, so nothing is queued for them.
        ChannelSettings::Slack(_) | ChannelSettings::Voice(_) => SendOutcome::Permanent {
            response_code: None,
            error: "this channel carries no texts to customers".into(),
        },
    }
}

/// Sends channel messages until shutdown.
pub async fn run(state: SharedState) {
    let mut shutdown = state.shutdown.clone();
    let mut queued = state.store.watch_deliveries();
    loop {
        queued.borrow_and_update();
        let mut pause = POLL;
        match send_due(&state).await {
            Ok(made) if made as i64 == BATCH => continue,
            Ok(_) => {
                if let Ok(Some(due)) = state.store.next_channel_delivery_due().await {
                    let wait = Duration::from_millis(due.millis_since(state.now()).max(0) as u64);
                    pause = wait.clamp(MIN_PAUSE, POLL);
                }
            }
            Err(error) => tracing::error!(?error, "sending channel messages failed"),
        }
        tokio::select! {
            _ = queued.changed() => {}
            () = tokio::time::sleep(pause) => {}
            () = stopped(&mut shutdown) => return,
        }
    }
}
