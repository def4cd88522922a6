//! The email channel's mail: reading a customer's mail ([`parse`]), sending answers in their
//! thread ([`send_answer`]), and reading each channel's mailbox on its schedule ([`run`]).
//!
//! A mail is read as a chat message: the sender's address is the contact's address on the
//! channel, the new words (without quoted history or signature, `core::email_reply`) are the
//! text, and its attachments are files in the chat. Answers go out from the channel's address
//! through `[smtp]`, with `In-Reply-To` and `References` naming the thread's mails and the
//! thread's subject, so the customer's mail program shows one thread.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use baton_core::channel::{ChannelKind, ChannelSettings, ConversationChannel, EmailSettings};
use baton_core::email_reply::{fresh_text, html_text, message_ids, reply_subject};
use baton_core::event::Event;
use baton_core::ids::ChannelId;
use baton_store::{ChannelDelivery, StoredEvent};
use lettre::message::Mailbox;
use mailparse::{DispositionType, MailHeaderMap};

use super::SendOutcome;
use crate::email::{Answer, SendError};
use crate::error::ApiError;
use crate::events::Consumer;
use crate::state::{AppState, SharedState, stopped};

/// How often the schedule is looked at; each mailbox is read every `poll_seconds`.
const TICK: Duration = Duration::from_secs(1);

/// A customer's mail, as the chat needs it.
#[derive(Debug)]
pub struct IncomingMail {
    /// Its `Message-ID`, without angle brackets.
    pub message_id: String,
    /// The sender's address, in lower case.
    pub from: String,
    pub from_name: Option<String>,
    pub subject: String,
    /// The mails it answers (`In-Reply-To`, then `References`, newest first).
    pub answers: Vec<String>,
    /// What the customer wrote this time.
    pub text: String,
    pub files: Vec<MailFile>,
    /// Sent by a program (an out-of-office answer, a bounce, a mailing list), not a person.
    pub automatic: bool,
}

#[derive(Debug)]
pub struct MailFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Reads a mail as the server holds it; `Err` when it has no usable sender.
pub fn parse(raw: &[u8]) -> Result<IncomingMail, String> {
    let mail = mailparse::parse_mail(raw).map_err(|error| error.to_string())?;
    let headers = &mail.headers;
    let sender = headers
        .get_first_header("Reply-To")
        .or_else(|| headers.get_first_header("From"))
        .ok_or("the mail names no sender")?;
    let sender = mailparse::addrparse_header(sender).map_err(|error| format!("From: {error}"))?;
    let sender = sender
        .extract_single_info()
        .filter(|single| single.addr.contains('@'))
        .ok_or("the sender is not one address")?;
    let value = |name: &str| headers.get_first_value(name).unwrap_or_default();
    let own_id = message_ids(&value("Message-ID")).into_iter().next().unwrap_or_else(|| {
        // A mail without an id still needs one that is the same each time it is read.
        format!("{}@no-message-id.invalid", crate::auth::hash_token(&String::from_utf8_lossy(raw)))
    });
    let mut answers = message_ids(&value("In-Reply-To"));
    answers.extend(message_ids(&value("References")).into_iter().rev());
    let lower = |name: &str| value(name).to_ascii_lowercase();
    let automatic = !matches!(lower("Auto-Submitted").trim(), "" | "no")
        || matches!(lower("Precedence").trim(), "bulk" | "junk" | "list" | "auto_reply")
        || headers.get_first_header("List-Id").is_some()
        || sender.addr.to_ascii_lowercase().starts_with("mailer-daemon@");
    let mut plain = None;
    let mut html = None;
    let mut files = Vec::new();
    for part in mail.parts() {
        if !part.subparts.is_empty() {
            continue;
        }
        let disposition = part.get_content_disposition();
        let name = disposition
            .params
            .get("filename")
            .or_else(|| part.ctype.params.get("name"))
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty());
        let mimetype = part.ctype.mimetype.to_ascii_lowercase();
        let attached = disposition.disposition == DispositionType::Attachment
            || (name.is_some() && !mimetype.starts_with("text/"));
        if attached {
            if let Ok(bytes) = part.get_body_raw() {
                files.push(MailFile {
                    name: name.unwrap_or_else(|| "attachment".into()),
                    content_type: mimetype,
                    bytes,
                });
            }
        } else if mimetype == "text/plain" && plain.is_none() {
            plain = part.get_body().ok();
        } else if mimetype == "text/html" && html.is_none() {
            html = part.get_body().ok();
        }
    }
    let body = match (plain, html) {
        (Some(plain), _) => plain,
        (None, Some(html)) => html_text(&html),
        (None, None) => String::new(),
    };
    let name = sender.display_name.map(|name| name.trim().to_owned()).filter(|name| !name.is_empty());
    Ok(IncomingMail {
        message_id: own_id,
        from: sender.addr.trim().to_ascii_lowercase(),
        from_name: name,
        subject: value("Subject").trim().to_owned(),
        answers,
        text: fresh_text(&body),
        files,
        automatic,
    })
}

/// The message id of Baton's mail for `delivery`: the same for every attempt.
fn answer_id(delivery: &ChannelDelivery, settings: &EmailSettings) -> String {
    format!("baton.{}@{}", delivery.message_id, crate::email::domain_of(&settings.address))
}

/// Sends one queued message as a mail in the conversation's thread.
pub async fn send_answer(
    state: &AppState,
    settings: &EmailSettings,
    delivery: &ChannelDelivery,
) -> SendOutcome {
    let Some(mailer) = &state.mailer else {
        return SendOutcome::Permanent {
            response_code: None,
            error: "no SMTP server is set ([smtp] url): the email channel cannot answer".into(),
        };
    };
    let thread = match state.store.email_thread(delivery.conversation_id).await {
        Ok(thread) => thread,
        Err(error) => return SendOutcome::Transient { response_code: None, error: format!("{error:#}") },
    };
    let (subject, references) = match thread {
        Some(thread) => (reply_subject(&thread.subject), thread.message_ids),
        None => (reply_subject(""), Vec::new()),
    };
    let from = match settings.address.parse() {
        Ok(address) => {
            let name = Some(settings.display_name.trim()).filter(|n| !n.is_empty()).map(str::to_owned);
            Mailbox::new(name, address)
        }
        Err(error) => {
            return SendOutcome::Permanent {
                response_code: None,
                error: format!("settings.address: {error}"),
            };
        }
    };
    let message_id = answer_id(delivery, settings);
    let file = match &delivery.attachment {
        None => None,
        Some(file) => match crate::service::attachments::open(state, delivery.conversation_id, file.id).await
        {
            Ok(opened) => Some(opened),
            Err(crate::error::ApiError::NotFound { .. }) => {
                return SendOutcome::Permanent {
                    response_code: None,
                    error: "the file is no longer kept (deleted with its contact)".into(),
                };
            }
            Err(error) => return SendOutcome::Transient { response_code: None, error: error.to_string() },
        },
    };
    let answer = Answer {
        from,
        to: &delivery.recipient,
        subject: &subject,
        text: &delivery.body,
        message_id: &message_id,
        references: &references,
        file: file.as_ref().map(|(file, bytes)| (file, bytes.as_slice())),
    };
    match mailer.send_answer(&answer).await {
        Ok(()) => {
            // Only the thread's look depends on this: a failure leaves the next answer naming
            // one mail fewer.
            if let Err(error) = state
                .store
                .record_thread_mail(&message_id, delivery.conversation_id, &subject, state.now())
                .await
            {
                tracing::warn!(?error, "an answer's message id was not recorded");
            }
            SendOutcome::Sent { provider_id: message_id, response_code: 250 }
        }
        Err(SendError::Transient(error)) => SendOutcome::Transient { response_code: None, error },
        Err(SendError::Permanent(error)) => SendOutcome::Permanent { response_code: None, error },
    }
}

/// While the team is offline, a mail's sender needs no lead form: a handoff of an email
/// conversation that goes offline leaves the lead with the sender's address at once, so it
/// becomes a ticket answered by mail.
pub struct MailLeads;

impl Consumer for MailLeads {
    fn name(&self) -> &'static str {
        "mail_leads"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            let Event::HandoffOffline(handoff) = &stored.event else { continue };
            let conversation = crate::service::conversations::load(state, handoff.conversation_id).await?;
            let Some(ConversationChannel { kind: ChannelKind::Email, address: Some(address), .. }) =
                &conversation.channel
            else {
                continue;
            };
            let name = conversation.contact.name.as_deref();
            match crate::service::conversations::capture_lead(state, conversation.id, address, name, None)
                .await
            {
                // Taken, or no longer offline (someone came on duty, a second look at the event).
                Ok(_) | Err(ApiError::Conflict { .. }) => {}
                Err(ApiError::Internal(error)) => return Err(error),
                Err(other) => tracing::info!(%other, "an email lead was not left"),
            }
        }
        Ok(())
    }
}

/// Reads every enabled email channel's mailbox on its schedule, until shutdown.
pub async fn run(state: SharedState) {
    let mut shutdown = state.shutdown.clone();
    let mut last_read: HashMap<ChannelId, Instant> = HashMap::new();
    loop {
        match state.store.channels().await {
            Ok(channels) => {
                for channel in channels.iter().filter(|channel| channel.enabled) {
                    let ChannelSettings::Email(settings) = &channel.settings else { continue };
                    let every = Duration::from_secs(settings.poll_seconds);
                    if last_read.get(&channel.id).is_some_and(|at| at.elapsed() < every) {
                        continue;
                    }
                    last_read.insert(channel.id, Instant::now());
                    // A read stops where it is at shutdown: what it stored is stored, and the
                    // mailbox position never passes a mail not yet stored.
                    let read = tokio::select! {
                        read = crate::service::mailbox::read(&state, channel, settings) => read,
                        () = stopped(&mut shutdown) => return,
                    };
                    let outcome = match read {
                        Ok(taken) => {
                            if taken > 0 {
                                tracing::debug!(channel = %channel.id, taken, "read a mailbox");
                            }
                            "read"
                        }
                        Err(error) => {
                            tracing::warn!(channel = %channel.id, %error, "reading a mailbox failed");
                            "failed"
                        }
                    };
                    metrics::counter!("baton_mailbox_reads_total", "outcome" => outcome).increment(1);
                }
                last_read.retain(|id, _| channels.iter().any(|channel| channel.id == *id));
            }
            Err(error) => tracing::error!(?error, "listing the channels to read failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(TICK) => {}
            () = stopped(&mut shutdown) => return,
        }
    }
}
