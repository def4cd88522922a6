//! The settings of each kind of channel, as the API takes them: the provider's account and
//! secrets, its base URL (a setting, so tests point it at a local fake), and the defaults of
//! what may be left out. Checked and redacted by `ChannelSettings`.

use serde::{Deserialize, Serialize};

/// Freshchat as the bot's helpdesk: its handoffs go to Freshchat instead of Baton's inbox.
/// The account's API URL (`https://acme.freshchat.com/v2`) and API token, the Freshchat
/// channel (topic) conversations are opened in, the RSA public key Freshchat signs its
/// webhooks with (PEM, from its webhook settings), how long Freshchat has to assign an agent,
/// and where a handoff goes when Freshchat fails.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreshchatSettings {
    pub api_url: String,
    pub api_token: String,
    pub channel_id: String,
    pub public_key: String,
    #[serde(default = "default_assign_timeout")]
    pub assign_timeout_seconds: u64,
    #[serde(default)]
    pub on_failure: HelpdeskFallback,
}

/// Where a handoff goes when the outside helpdesk fails.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpdeskFallback {
    /// Baton's own queue and inbox (offline when nobody is on duty there either).
    #[default]
    Queue,
    /// Straight to offline: the contact leaves their details for a ticket.
    Offline,
}

fn default_assign_timeout() -> u64 {
    300
}

/// A support mailbox: customers write to `address`; Baton reads the mailbox by IMAP every
/// `poll_seconds` and answers from `address` through the SMTP server of `[smtp]`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// The address customers write to and answers come from (`support@example.com`).
    pub address: String,
    /// The name answers are signed with in the customer's mail program ("Acme Support").
    #[serde(default)]
    pub display_name: String,
    /// `imaps://imap.example.com` (TLS, port 993 unless given) or `imap://host:143`
    /// (unencrypted: only for a server on the same machine or a private network).
    pub imap_url: String,
    pub username: String,
    pub password: String,
    #[serde(default = "default_mailbox")]
    pub mailbox: String,
    /// How often the mailbox is read.
    #[serde(default = "default_poll_seconds")]
    pub poll_seconds: u64,
}

fn default_mailbox() -> String {
    "INBOX".into()
}

fn default_poll_seconds() -> u64 {
    30
}

impl EmailSettings {
    /// The IMAP server's host, its port, and whether the connection is TLS from the start.
    pub fn imap_server(&self) -> Option<(String, u16, bool)> {
        let (scheme, rest) = self.imap_url.trim().split_once("://")?;
        let tls = match scheme.to_ascii_lowercase().as_str() {
            "imaps" => true,
            "imap" => false,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next()?;
        if authority.contains(['@', '\\']) || authority.is_empty() {
            return None;
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (host, port.parse().ok()?),
            _ => (authority, if tls { 993 } else { 143 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        (!host.is_empty()).then(|| (host.to_owned(), port, tls))
    }
}

/// WhatsApp Cloud API: the business phone number's id, a system user's access token, the
/// app's secret (it signs webhooks), the verify token chosen when subscribing the webhook,
/// and the Graph API's base URL and version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatsappSettings {
    pub phone_number_id: String,
    pub access_token: String,
    pub app_secret: String,
    pub verify_token: String,
    #[serde(default = "default_graph_url")]
    pub graph_url: String,
    #[serde(default = "default_graph_version")]
    pub api_version: String,
    /// The approved message templates the team may send when the 24-hour window is closed.
    #[serde(default)]
    pub templates: Vec<super::WhatsappTemplate>,
    /// The business number customers write to (E.164, `+15550001111`). With it, a web
    /// customer waiting in the queue is offered to continue on WhatsApp.
    #[serde(default)]
    pub display_phone_number: String,
}

impl WhatsappSettings {
    /// The approved template of that name and language.
    pub fn template(&self, name: &str, language: &str) -> Option<&super::WhatsappTemplate> {
        self.templates.iter().find(|t| t.name == name && t.language == language)
    }
}

/// SMS through Twilio: the account, its auth token (it also signs Twilio's webhooks), the
/// number (E.164, `+…`) or messaging service (`MG…`) messages are sent from, and the API's
/// base URL.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsSettings {
    pub account_sid: String,
    pub auth_token: String,
    pub from: String,
    #[serde(default = "default_twilio_url")]
    pub api_url: String,
}

/// Slack, for the team: the bot's handoffs are posted to a Slack channel as threads. The app's
/// bot token (`xoxb-…`, with `chat:write` and `users:read.email`), its signing secret (it signs
/// Slack's calls), the Slack channel's id, and the Web API's base URL.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackSettings {
    pub bot_token: String,
    pub signing_secret: String,
    pub channel: String,
    #[serde(default = "default_slack_url")]
    pub api_url: String,
}

/// A phone number on Twilio Voice: the account and its auth token (it signs Twilio's calls),
/// the number calls are forwarded to within office hours, and what callers hear.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceSettings {
    pub account_sid: String,
    pub auth_token: String,
    /// Where calls go while the team is on duty, in E.164 (`+4930…`).
    pub forward_to: String,
    #[serde(default = "default_call_greeting")]
    pub greeting: String,
    #[serde(default = "default_voicemail_prompt")]
    pub voicemail_prompt: String,
}

pub(super) fn default_call_greeting() -> String {
    "Thank you for calling. Connecting you to our team.".into()
}

pub(super) fn default_voicemail_prompt() -> String {
    "Nobody from our team can take your call right now. Please leave a message after the tone, and we will call you back."
        .into()
}

fn default_slack_url() -> String {
    "https://slack.com/api".into()
}

fn default_twilio_url() -> String {
    "https://api.twilio.com".into()
}

fn default_graph_url() -> String {
    "https://graph.facebook.com".into()
}

fn default_graph_version() -> String {
    "v21.0".into()
}
