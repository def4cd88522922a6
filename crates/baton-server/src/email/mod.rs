//! Email: telling people who have no inbox open, through the SMTP server of `[smtp]`.
//!
//! [`Emails`] is an event consumer. It mails
//! - the users a queued handoff is routed to, once it has waited their `email_after_seconds`
//!   while they have no inbox open (a durable timer per handoff; one mail lists every chat
//!   waiting for them, so a busy queue is one digest, not a storm);
//! - the user a chat is offered or transferred to, when they have no inbox open;
//! - the users a new ticket is routed to;
//! - the admins of the teams a queued chat is routed to when nobody has taken it within their
//!   first-response time, and the admins of the assignee's teams when a chat they took misses
//!   it (`sla.breached`): every admin, if none is in those teams;
//! - the contact who left a ticket, when the user who took it answers while the contact has
//!   no chat window open, with a `Reply-To` that names the ticket.
//!
//! Each user chooses whether they get mail and after how long (`/v1/me/notifications`), and
//! reads it in their first language. Every mail is logged by recipient, kind and what it is
//! about (the handoff, or the answer), and one already logged is not sent again: at most one
//! mail per handoff and kind, even when the consumer sees an event twice.
//!
//! A mail is logged once the SMTP server has taken it, so a crash in between can send it twice;
//! it is never lost. A transient failure (the server is down) is retried, with the consumer's
//! backoff; a permanent one (the server refuses the address) is logged and counted, and the
//! consumer goes on.

mod consumer;

use std::time::Duration;

use baton_core::attachment::AttachmentRef;
use baton_core::ids::HandoffId;
use baton_core::notification::Mail;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

pub use consumer::{Emails, fire_unclaimed, fire_waiting};

use crate::settings::SmtpSettings;

/// Sends mail through one SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Where a mail belongs in a thread: its own message id and the thread's earlier mails, oldest
/// first (all without angle brackets).
pub struct Threading<'a> {
    pub message_id: &'a str,
    pub references: &'a [String],
}

/// The domain of an address, for the message ids Baton makes.
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("localhost", |(_, domain)| domain)
}

/// An answer on the email channel.
pub struct Answer<'a> {
    pub from: Mailbox,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    /// Its own message id, without angle brackets.
    pub message_id: &'a str,
    /// The thread's earlier mails, oldest first: the last is the one it answers.
    pub references: &'a [String],
    /// A file the answer carries (a team member's attachment; the text is then its name).
    pub file: Option<(&'a AttachmentRef, &'a [u8])>,
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Sending it again will fail again (a malformed or refused address): give up on it.
    #[error("the mail was refused: {0}")]
    Permanent(String),
    /// The server could not be reached or asked to come back later: try again.
    #[error("the mail could not be sent now: {0}")]
    Transient(String),
}

impl Mailer {
    /// The mailer `[smtp]` describes, or `None` when no `url` is set (no mail is sent). Needs
    /// the Tokio runtime (the connection pool lives on it).
    pub fn from_settings(settings: &SmtpSettings) -> anyhow::Result<Option<Self>> {
        if settings.url.is_empty() {
            return Ok(None);
        }
        let (transport, from) = Self::parse(settings)?;
        Ok(Some(Self { transport: transport.build(), from }))
    }

    /// Refuses `[smtp]` settings that could never work: a URL or sender that does not parse.
    pub fn check(settings: &SmtpSettings) -> anyhow::Result<()> {
        if !settings.url.is_empty() {
            Self::parse(settings)?;
        }
        Ok(())
    }

    fn parse(settings: &SmtpSettings) -> anyhow::Result<(AsyncSmtpTransportBuilder, Mailbox)> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.url)
            .map_err(|error| anyhow::anyhow!("smtp.url: {error}"))?
            .timeout(Some(Duration::from_secs(settings.timeout_seconds.max(1))));
        let from = settings.from.parse().map_err(|error| anyhow::anyhow!("smtp.from: {error}"))?;
        Ok((transport, from))
    }

    /// Where a contact's reply to a ticket goes: the sender's address, tagged with the ticket
    /// (`support+ticket-<handoff>@example.com`), so an inbound mail says which ticket it answers.
    pub fn ticket_address(&self, handoff: HandoffId) -> String {
        let address = &self.from.email;
        format!("{}+ticket-{}@{}", address.user(), handoff, address.domain())
    }

    /// The message id of Baton's mail of `message` (the same on every attempt).
    pub fn message_id_for(&self, message: impl std::fmt::Display) -> String {
        format!("baton.{message}@{}", self.from.email.domain())
    }

    /// Sends an answer on the email channel: plain text from the channel's own address, in the
    /// customer's thread. A transient failure is worth retrying: the message id stays the same,
    /// so a mail program shows a mail that arrives twice once.
    pub async fn send_answer(&self, answer: &Answer<'_>) -> Result<(), SendError> {
        let permanent = |error: &dyn std::fmt::Display| SendError::Permanent(error.to_string());
        let to: Mailbox = answer.to.parse().map_err(|error| permanent(&error))?;
        let mut builder = lettre::Message::builder()
            .from(answer.from.clone())
            .to(to)
            .subject(answer.subject)
            .message_id(Some(format!("<{}>", answer.message_id)));
        if let Some(last) = answer.references.last() {
            builder = builder.in_reply_to(format!("<{last}>"));
            let references: Vec<String> = answer.references.iter().map(|id| format!("<{id}>")).collect();
            builder = builder.references(references.join(" "));
        }
        let message = match answer.file {
            None => builder
                .header(header::MIME_VERSION_1_0)
                .header(header::ContentType::TEXT_PLAIN)
                .body(answer.text.to_owned()),
            Some((file, bytes)) => {
                let content_type = header::ContentType::parse(&file.content_type).unwrap_or_else(|_| {
                    header::ContentType::parse("application/octet-stream").expect("a MIME type")
                });
                let attachment = Attachment::new(file.name.clone()).body(bytes.to_vec(), content_type);
                let text = SinglePart::plain(answer.text.to_owned());
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(attachment))
            }
        }
        .map_err(|error| permanent(&error))?;
        self.deliver(message).await
    }

    async fn deliver(&self, message: lettre::Message) -> Result<(), SendError> {
        self.transport.send(message).await.map(drop).map_err(|error| {
            if error.is_permanent() {
                SendError::Permanent(format!("{error:#}"))
            } else {
                SendError::Transient(format!("{error:#}"))
            }
        })
    }

    /// Sends `mail` to `to` as plain text with an HTML alternative.
    pub async fn send(&self, to: &str, mail: &Mail, reply_to: Option<&str>) -> Result<(), SendError> {
        self.send_in_thread(to, mail, reply_to, None).await
    }

    /// [`send`](Self::send), as a mail of `thread` when given: with its own message id, and
    /// naming the thread's earlier mails so the reader's mail program shows one thread.
    pub async fn send_in_thread(
        &self,
        to: &str,
        mail: &Mail,
        reply_to: Option<&str>,
        thread: Option<&Threading<'_>>,
    ) -> Result<(), SendError> {
        let permanent = |error: &dyn std::fmt::Display| SendError::Permanent(error.to_string());
        let to: Mailbox = to.parse().map_err(|error| permanent(&error))?;
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .message_id(thread.map(|t| format!("<{}>", t.message_id)));
        if let Some(last) = thread.and_then(|t| t.references.last()) {
            let references: Vec<String> =
                thread.into_iter().flat_map(|t| t.references).map(|id| format!("<{id}>")).collect();
            builder = builder.in_reply_to(format!("<{last}>")).references(references.join(" "));
        }
        if let Some(reply_to) = reply_to {
            builder = builder.reply_to(reply_to.parse().map_err(|error| permanent(&error))?);
        }
        let message = builder
            .header(header::MIME_VERSION_1_0)
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
            .map_err(|error| permanent(&error))?;
        self.deliver(message).await
    }
}
