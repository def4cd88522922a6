//! Telling people by email: each user's preferences, the kinds of mail Baton sends, and what
//! each says, in the reader's language, as plain text and as HTML with a link to the chat.
//!
//! Composing is pure; sending, and deciding who gets what when, is the server's email
//! consumer.

mod texts;

use serde::{Deserialize, Serialize};

use crate::handoff::Handoff;
use crate::user::User;
pub use texts::MailTexts;

/// How a user wants to hear of chats waiting for them outside the inbox.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationPrefs {
    /// Whether Baton emails them at all.
    pub email: bool,
    /// How long a chat routed to them waits in the queue, while they have no inbox open,
    /// before they are mailed about it.
    pub email_after_seconds: u32,
    /// The language of their mails (ISO 639-1). Absent: the language they answer in, if they
    /// answer in one only, else English.
    #[serde(default)]
    pub language: Option<String>,
}

impl NotificationPrefs {
    /// A day: longer than that, a mail about a waiting chat no longer helps anyone.
    pub const MAX_EMAIL_AFTER_SECONDS: u32 = 86_400;

    pub fn validate(&self) -> Result<(), String> {
        if self.email_after_seconds > Self::MAX_EMAIL_AFTER_SECONDS {
            return Err(format!(
                "email_after_seconds: must be at most a day ({} seconds)",
                Self::MAX_EMAIL_AFTER_SECONDS
            ));
        }
        if let Some(language) = &self.language
            && !(language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return Err(format!("language: '{language}' is not a two-letter ISO 639-1 code"));
        }
        Ok(())
    }

    /// The language `user`'s mails are in.
    pub fn language_for<'a>(&'a self, user: &'a User) -> Option<&'a str> {
        match (&self.language, user.languages.as_slice()) {
            (Some(language), _) => Some(language),
            (None, [only]) => Some(only),
            (None, _) => None,
        }
    }
}

impl Default for NotificationPrefs {
    fn default() -> Self {
        Self { email: true, email_after_seconds: 60, language: None }
    }
}

/// The kinds of mail, each sent at most once per recipient and subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    /// Chats routed to the reader have waited past their `email_after_seconds`.
    Waiting,
    /// A chat is offered to the reader.
    Offered,
    /// A chat was transferred to the reader.
    Transferred,
    /// A contact left a ticket for the reader's team.
    Ticket,
    /// A chat of the reader's team missed its first-response time.
    Escalation,
    /// A team member answered the contact's ticket.
    TicketReply,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Offered => "offered",
            Self::Transferred => "transferred",
            Self::Ticket => "ticket",
            Self::Escalation => "escalation",
            Self::TicketReply => "ticket_reply",
        }
    }
}

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Composes mails in one language, with links into the inbox at `public_url`.
pub struct Composer<'a> {
    texts: &'static MailTexts,
    public_url: &'a str,
}

impl<'a> Composer<'a> {
    /// `language` is an ISO 639-1 code; a language without a catalog gets English.
    pub fn new(language: Option<&str>, public_url: &'a str) -> Self {
        Self { texts: texts::of(language.unwrap_or("en")), public_url: public_url.trim_end_matches('/') }
    }

    /// The link to a handoff's conversation in the inbox.
    pub fn chat_link(&self, handoff: &Handoff) -> String {
        format!("{}/inbox#c={}", self.public_url, handoff.conversation_id)
    }

    /// Who is waiting, in a few words: their name, their email, or "a visitor".
    fn who(&self, handoff: &Handoff) -> String {
        let named =
            |name: Option<&str>| name.map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned);
        named(handoff.contact.name.as_deref())
            .or_else(|| named(handoff.lead.as_ref().and_then(|lead| lead.name.as_deref())))
            .or_else(|| handoff.lead.as_ref().map(|lead| lead.email.as_str().to_owned()))
            .or_else(|| named(handoff.contact.email.as_deref()))
            .unwrap_or_else(|| self.texts.a_visitor.to_owned())
    }

    /// Chats routed to the reader that have waited past their `email_after_seconds`: one mail
    /// for all of them.
    pub fn waiting(&self, waiting: &[&Handoff]) -> Mail {
        let t = self.texts;
        let n = waiting.len().to_string();
        let (subject, lead) = match waiting {
            [one] => (fill(t.waiting_subject_one, &[("who", &self.who(one))]), t.waiting_lead_one.to_owned()),
            _ => (fill(t.waiting_subject_many, &[("n", &n)]), fill(t.waiting_lead_many, &[("n", &n)])),
        };
        let links = waiting
            .iter()
            .map(|handoff| (format!("{}: {}", self.who(handoff), handoff.reason), self.chat_link(handoff)))
            .collect();
        self.mail(subject, vec![lead], links)
    }

    /// A chat offered (`transferred == false`) or transferred to the reader.
    pub fn assigned(&self, handoff: &Handoff, transferred: bool) -> Mail {
        let t = self.texts;
        let who = self.who(handoff);
        let (subject, lead) = if transferred {
            (t.transferred_subject, t.transferred_lead)
        } else {
            (t.offered_subject, t.offered_lead)
        };
        let paragraphs = vec![lead.to_owned(), fill(t.why, &[("reason", &handoff.reason)])];
        let links = vec![(fill(t.open_chat_with, &[("who", &who)]), self.chat_link(handoff))];
        self.mail(fill(subject, &[("who", &who)]), paragraphs, links)
    }

    /// A contact left their details while nobody was available: a ticket for the team.
    pub fn ticket(&self, handoff: &Handoff) -> Mail {
        let t = self.texts;
        let who = self.who(handoff);
        let reach = match handoff.lead.as_ref().map(|lead| lead.email.as_str()) {
            Some(email) if email != who => format!("{who} <{email}>"),
            _ => who.clone(),
        };
        let mut paragraphs = vec![fill(t.ticket_lead, &[("who", &reach)])];
        let message = handoff.lead.as_ref().and_then(|lead| lead.message.as_deref());
        if let Some(message) = message.filter(|message| !message.trim().is_empty()) {
            paragraphs.push(fill(t.ticket_message, &[("message", message)]));
        }
        paragraphs.push(t.ticket_answer.to_owned());
        let links = vec![(t.open_ticket.to_owned(), self.chat_link(handoff))];
        self.mail(fill(t.ticket_subject, &[("who", &who)]), paragraphs, links)
    }

    /// A live chat has had no first reply within its team's first-response time.
    pub fn escalation(&self, handoff: &Handoff, assignee: &str, sla_seconds: u32) -> Mail {
        let t = self.texts;
        let who = self.who(handoff);
        let minutes = sla_seconds.div_ceil(60).to_string();
        let values = [("agent", assignee), ("who", who.as_str()), ("minutes", minutes.as_str())];
        let links = vec![(t.open_chat.to_owned(), self.chat_link(handoff))];
        self.mail(fill(t.escalation_subject, &values), vec![fill(t.escalation_lead, &values)], links)
    }

    /// A queued chat nobody has taken within its team's first-response time.
    pub fn unclaimed(&self, handoff: &Handoff, sla_seconds: u32) -> Mail {
        let t = self.texts;
        let who = self.who(handoff);
        let minutes = sla_seconds.div_ceil(60).to_string();
        let values = [("who", who.as_str()), ("minutes", minutes.as_str())];
        let links = vec![(t.open_chat.to_owned(), self.chat_link(handoff))];
        self.mail(fill(t.unclaimed_subject, &values), vec![fill(t.unclaimed_lead, &values)], links)
    }

    /// A test of the mail server, from the admin console.
    pub fn test(&self) -> Mail {
        let t = self.texts;
        let links = vec![(t.open_chat.to_owned(), format!("{}/inbox", self.public_url))];
        self.mail(t.test_subject.to_owned(), vec![t.test_lead.to_owned()], links)
    }

    /// A team member's answer to a ticket, for the contact who left it.
    pub fn ticket_reply(&self, agent: Option<&str>, text: &str, request: Option<&str>) -> Mail {
        let t = self.texts;
        let agent = agent.map(str::trim).filter(|agent| !agent.is_empty()).unwrap_or(t.our_team);
        let mut paragraphs = vec![text.to_owned(), format!("— {agent}")];
        if let Some(request) = request.filter(|request| !request.trim().is_empty()) {
            paragraphs.push(fill(t.your_request, &[("message", request)]));
        }
        paragraphs.push(t.reply_hint.to_owned());
        // A contact's mail has no footer about settings they do not have.
        Mail {
            subject: t.reply_subject.to_owned(),
            text: paragraphs.join("\n\n") + "\n",
            html: html(&paragraphs, &[], None),
        }
    }

    fn mail(&self, subject: String, paragraphs: Vec<String>, links: Vec<(String, String)>) -> Mail {
        let footer = self.texts.footer;
        let mut text = paragraphs.join("\n\n");
        for (label, href) in &links {
            text.push_str(&format!("\n\n{label}: {href}"));
        }
        text.push_str(&format!("\n\n-- \n{footer}\n"));
        Mail { html: html(&paragraphs, &links, Some(footer)), text, subject }
    }
}

/// `{name}` placeholders replaced by their values.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html(paragraphs: &[String], links: &[(String, String)], footer: Option<&str>) -> String {
    let mut body = String::from(
        "<!doctype html><html><body style=\"font-family: system-ui, sans-serif; color: #1f2328; line-height: 1.5\">",
    );
    for paragraph in paragraphs {
        body.push_str(&format!("<p>{}</p>", escape(paragraph).replace('\n', "<br>")));
    }
    if !links.is_empty() {
        body.push_str("<ul>");
        for (label, href) in links {
            body.push_str(&format!("<li><a href=\"{}\">{}</a></li>", escape(href), escape(label)));
        }
        body.push_str("</ul>");
    }
    if let Some(footer) = footer {
        body.push_str(&format!("<p style=\"color: #59636e; font-size: 12px\">{}</p>", escape(footer)));
    }
    body.push_str("</body></html>");
    body
}

#[cfg(test)]
mod tests;
