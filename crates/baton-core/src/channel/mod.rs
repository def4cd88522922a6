//! Channels: where a conversation happens besides Baton's own widget.
//!
//! A channel is configured per bot (`POST /v1/channels`): its [`ChannelKind`] and the
//! provider's settings, secrets included. A conversation that came in on one remembers it and
//! the contact's address there ([`ConversationChannel`]); a conversation without is the web
//! widget's. The channel's inbound side finds or starts the conversation for an address and
//! stores the contact's message exactly as the widget would; its outbound side sends every
//! message the contact may see to that address.
//!
//! Everything here is pure: settings, their validation and redaction, and the rules a channel
//! imposes on what may be sent (WhatsApp's customer-service window).

use serde::{Deserialize, Serialize};

use crate::backend::{REDACTED, same_origin};
use crate::ids::ChannelId;
use crate::time::Timestamp;

mod settings;
mod template;
pub use settings::*;
use settings::{default_call_greeting, default_voicemail_prompt};
pub use template::{MAX_TEMPLATES, TemplateUse, WhatsappTemplate};

/// How a conversation reaches its contact.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Web,
    Email,
    Whatsapp,
    Sms,
    Slack,
    Voice,
    Freshchat,
}

impl ChannelKind {
    pub const ALL: [Self; 7] =
        [Self::Web, Self::Email, Self::Whatsapp, Self::Sms, Self::Slack, Self::Voice, Self::Freshchat];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Email => "email",
            Self::Whatsapp => "whatsapp",
            Self::Sms => "sms",
            Self::Slack => "slack",
            Self::Voice => "voice",
            Self::Freshchat => "freshchat",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// The channel a conversation came in on, and the contact's address there (a phone number in
/// international form without `+` for WhatsApp, as the provider writes it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationChannel {
    /// The configured channel; `None` once it was deleted (the conversation keeps its kind).
    pub channel_id: Option<ChannelId>,
    pub kind: ChannelKind,
    /// `None` once the contact was erased: the conversation no longer knows them.
    pub address: Option<String>,
}

/// A channel's provider settings, one shape per kind. Only the kinds Baton can run are here;
/// the others are refused when a channel is configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChannelSettings {
    Email(EmailSettings),
    Whatsapp(WhatsappSettings),
    Sms(SmsSettings),
    Slack(SlackSettings),
    Voice(VoiceSettings),
    Freshchat(FreshchatSettings),
}

/// How long after the contact's last message WhatsApp lets a business answer freely; after
/// it only approved templates may be sent.
pub const WHATSAPP_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

impl ChannelSettings {
    /// Reads `settings` as the settings of a `kind` channel; the problem, in words, otherwise.
    pub fn parse(kind: ChannelKind, settings: serde_json::Value) -> Result<Self, String> {
        match kind {
            ChannelKind::Email => {
                serde_json::from_value(settings).map(Self::Email).map_err(|e| format!("settings: {e}"))
            }
            ChannelKind::Whatsapp => {
                serde_json::from_value(settings).map(Self::Whatsapp).map_err(|e| format!("settings: {e}"))
            }
            ChannelKind::Sms => {
                serde_json::from_value(settings).map(Self::Sms).map_err(|e| format!("settings: {e}"))
            }
            ChannelKind::Slack => {
                serde_json::from_value(settings).map(Self::Slack).map_err(|e| format!("settings: {e}"))
            }
            ChannelKind::Voice => {
                let mut voice: VoiceSettings =
                    serde_json::from_value(settings).map_err(|e| format!("settings: {e}"))?;
                // Left empty, what callers hear is Baton's own words.
                if voice.greeting.trim().is_empty() {
                    voice.greeting = default_call_greeting();
                }
                if voice.voicemail_prompt.trim().is_empty() {
                    voice.voicemail_prompt = default_voicemail_prompt();
                }
                Ok(Self::Voice(voice))
            }
            ChannelKind::Freshchat => {
                serde_json::from_value(settings).map(Self::Freshchat).map_err(|e| format!("settings: {e}"))
            }
            ChannelKind::Web => Err("kind: the web widget needs no channel".into()),
        }
    }

    pub fn kind(&self) -> ChannelKind {
        match self {
            Self::Email(_) => ChannelKind::Email,
            Self::Whatsapp(_) => ChannelKind::Whatsapp,
            Self::Sms(_) => ChannelKind::Sms,
            Self::Slack(_) => ChannelKind::Slack,
            Self::Voice(_) => ChannelKind::Voice,
            Self::Freshchat(_) => ChannelKind::Freshchat,
        }
    }

    /// These settings with their secrets replaced by [`REDACTED`], for reading back.
    pub fn redacted(&self) -> Self {
        let hide = |secret: &str| if secret.is_empty() { String::new() } else { REDACTED.to_owned() };
        match self {
            Self::Email(s) => Self::Email(EmailSettings { password: hide(&s.password), ..s.clone() }),
            Self::Whatsapp(s) => Self::Whatsapp(WhatsappSettings {
                access_token: hide(&s.access_token),
                app_secret: hide(&s.app_secret),
                verify_token: hide(&s.verify_token),
                ..s.clone()
            }),
            Self::Sms(s) => Self::Sms(SmsSettings { auth_token: hide(&s.auth_token), ..s.clone() }),
            Self::Slack(s) => Self::Slack(SlackSettings {
                bot_token: hide(&s.bot_token),
                signing_secret: hide(&s.signing_secret),
                ..s.clone()
            }),
            Self::Voice(s) => Self::Voice(VoiceSettings { auth_token: hide(&s.auth_token), ..s.clone() }),
            Self::Freshchat(s) => {
                Self::Freshchat(FreshchatSettings { api_token: hide(&s.api_token), ..s.clone() })
            }
        }
    }

    /// Settings written back after a read keep the stored secrets where they still say
    /// [`REDACTED`]. A token sent to the provider (WhatsApp's access token, Twilio's auth
    /// token, Slack's bot token) is kept only while the provider's URL stays on the same
    /// origin; otherwise it stays [`REDACTED`] and [`problem`](Self::problem) asks for it
    /// again. Secrets that never leave Baton (signing secrets, the verify token) are kept.
    pub fn keep_secrets_from(&mut self, stored: &Self) {
        match (self, stored) {
            // The password goes to the IMAP server: kept only while it is the same server.
            (Self::Email(new), Self::Email(old))
                if new.password == REDACTED && new.imap_server() == old.imap_server() =>
            {
                new.password = old.password.clone();
            }
            (Self::Whatsapp(new), Self::Whatsapp(old)) => {
                if new.access_token == REDACTED && same_origin(&new.graph_url, &old.graph_url) {
                    new.access_token = old.access_token.clone();
                }
                if new.app_secret == REDACTED {
                    new.app_secret = old.app_secret.clone();
                }
                if new.verify_token == REDACTED {
                    new.verify_token = old.verify_token.clone();
                }
            }
            (Self::Sms(new), Self::Sms(old))
                if new.auth_token == REDACTED && same_origin(&new.api_url, &old.api_url) =>
            {
                new.auth_token = old.auth_token.clone();
            }
            (Self::Freshchat(new), Self::Freshchat(old))
                if new.api_token == REDACTED && same_origin(&new.api_url, &old.api_url) =>
            {
                new.api_token = old.api_token.clone();
            }
            // Twilio calls Baton here, never the other way: the token only checks signatures.
            (Self::Voice(new), Self::Voice(old)) if new.auth_token == REDACTED => {
                new.auth_token = old.auth_token.clone();
            }
            (Self::Slack(new), Self::Slack(old)) => {
                if new.bot_token == REDACTED && same_origin(&new.api_url, &old.api_url) {
                    new.bot_token = old.bot_token.clone();
                }
                if new.signing_secret == REDACTED {
                    new.signing_secret = old.signing_secret.clone();
                }
            }
            _ => {}
        }
    }

    /// What is wrong with these settings, if anything.
    pub fn problem(&self) -> Option<String> {
        match self {
            Self::Freshchat(s) => {
                let required = [
                    ("api_url", &s.api_url),
                    ("api_token", &s.api_token),
                    ("channel_id", &s.channel_id),
                    ("public_key", &s.public_key),
                ];
                if let Some(problem) = missing(&required) {
                    return Some(problem);
                }
                if s.api_token == REDACTED {
                    return Some(format!("settings.api_token: send the secret itself, not {REDACTED}"));
                }
                if !(s.api_url.starts_with("https://") || s.api_url.starts_with("http://")) {
                    return Some(
                        "settings.api_url: an http:// or https:// URL, such as https://acme.freshchat.com/v2"
                            .into(),
                    );
                }
                if !s.public_key.contains("-----BEGIN") {
                    return Some("settings.public_key: the PEM key from Freshchat's webhook settings".into());
                }
                if !(10..=86_400).contains(&s.assign_timeout_seconds) {
                    return Some("settings.assign_timeout_seconds: from 10 to 86400".into());
                }
                None
            }
            Self::Email(s) => {
                let required = [
                    ("address", &s.address),
                    ("imap_url", &s.imap_url),
                    ("username", &s.username),
                    ("password", &s.password),
                    ("mailbox", &s.mailbox),
                ];
                if let Some(problem) = missing(&required) {
                    return Some(problem);
                }
                if s.password == REDACTED {
                    return Some(format!("settings.password: send the secret itself, not {REDACTED}"));
                }
                if let Err(error) = crate::values::Email::parse(&s.address) {
                    return Some(format!("settings.address: {error}"));
                }
                if s.imap_server().is_none() {
                    return Some(
                        "settings.imap_url: imaps://host (TLS) or imap://host:143, without credentials"
                            .into(),
                    );
                }
                let plain = |text: &str| text.chars().all(|c| !c.is_control() && c != '"');
                if !plain(&s.display_name) || s.display_name.chars().count() > 100 {
                    return Some("settings.display_name: at most 100 characters, without quotes".into());
                }
                if !plain(&s.mailbox) || !plain(&s.username) {
                    return Some("settings.mailbox and username: no quotes or control characters".into());
                }
                if !(1..=3600).contains(&s.poll_seconds) {
                    return Some("settings.poll_seconds: from 1 to 3600".into());
                }
                None
            }
            Self::Whatsapp(s) => {
                let required = [
                    ("phone_number_id", &s.phone_number_id),
                    ("access_token", &s.access_token),
                    ("app_secret", &s.app_secret),
                    ("verify_token", &s.verify_token),
                    ("api_version", &s.api_version),
                ];
                if let Some(problem) = missing(&required) {
                    return Some(problem);
                }
                if let Some((field, _)) = required.iter().find(|(_, value)| value.as_str() == REDACTED) {
                    return Some(format!("settings.{field}: send the secret itself, not {REDACTED}"));
                }
                if !s.phone_number_id.chars().all(|c| c.is_ascii_digit()) {
                    return Some("settings.phone_number_id: the digits of the phone number's id".into());
                }
                if !s.api_version.starts_with('v') || s.api_version.contains('/') {
                    return Some("settings.api_version: a Graph API version such as v21.0".into());
                }
                if !(s.graph_url.starts_with("https://") || s.graph_url.starts_with("http://")) {
                    return Some("settings.graph_url: an http:// or https:// URL".into());
                }
                let shown = s.display_phone_number.trim();
                if !shown.is_empty() && shown.strip_prefix('+').and_then(phone_address).is_none() {
                    return Some(
                        "settings.display_phone_number: the number in E.164 form (+15550001111)".into(),
                    );
                }
                if s.templates.len() > MAX_TEMPLATES {
                    return Some(format!("settings.templates: at most {MAX_TEMPLATES}"));
                }
                if let Some(problem) = s.templates.iter().enumerate().find_map(|(i, t)| t.problem(i)) {
                    return Some(problem);
                }
                let mut seen = std::collections::HashSet::new();
                if let Some(i) = s.templates.iter().position(|t| !seen.insert((&t.name, &t.language))) {
                    return Some(format!(
                        "settings.templates[{i}]: '{}' in {} is listed twice",
                        s.templates[i].name, s.templates[i].language
                    ));
                }
                None
            }
            Self::Sms(s) => {
                let required =
                    [("account_sid", &s.account_sid), ("auth_token", &s.auth_token), ("from", &s.from)];
                if let Some(problem) = missing(&required) {
                    return Some(problem);
                }
                if s.auth_token == REDACTED {
                    return Some(format!("settings.auth_token: send the secret itself, not {REDACTED}"));
                }
                let sid = |prefix: &str, text: &str| {
                    text.len() == 34
                        && text.starts_with(prefix)
                        && text[2..].chars().all(|c| c.is_ascii_hexdigit())
                };
                if !sid("AC", &s.account_sid) {
                    return Some("settings.account_sid: AC and 32 hexadecimal digits".into());
                }
                let number = s.from.strip_prefix('+').and_then(phone_address).is_some();
                if !number && !sid("MG", &s.from) {
                    return Some(
                        "settings.from: a number in E.164 form (+14155550100) or a messaging service (MG…)"
                            .into(),
                    );
                }
                if !(s.api_url.starts_with("https://") || s.api_url.starts_with("http://")) {
                    return Some("settings.api_url: an http:// or https:// URL".into());
                }
                None
            }
            Self::Voice(s) => {
                let required = [
                    ("account_sid", &s.account_sid),
                    ("auth_token", &s.auth_token),
                    ("forward_to", &s.forward_to),
                ];
                if let Some(problem) = missing(&required) {
                    return Some(problem);
                }
                if s.auth_token == REDACTED {
                    return Some(format!("settings.auth_token: send the secret itself, not {REDACTED}"));
                }
                if s.forward_to.strip_prefix('+').and_then(phone_address).is_none() {
                    return Some("settings.forward_to: a number in E.164 form (+4930123456)".into());
                }
                let long = |text: &str| text.chars().count() > 500;
                if long(&s.greeting) || long(&s.voicemail_prompt) {
                    return Some("settings.greeting and voicemail_prompt: at most 500 characters".into());
                }
                None
            }
            Self::Slack(s) => {
                let required = [
                    ("bot_token", &s.bot_token),
                    ("signing_secret", &s.signing_secret),
                    ("channel", &s.channel),
                ];
                if let Some(problem) = missing(&required) {
                    return Some(problem);
                }
                if let Some((field, _)) = required.iter().find(|(_, value)| value.as_str() == REDACTED) {
                    return Some(format!("settings.{field}: send the secret itself, not {REDACTED}"));
                }
                if !s.bot_token.starts_with("xoxb-") {
                    return Some("settings.bot_token: a bot token (xoxb-…)".into());
                }
                if !s.channel.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Some("settings.channel: the Slack channel's id (C…), not its name".into());
                }
                if !(s.api_url.starts_with("https://") || s.api_url.starts_with("http://")) {
                    return Some("settings.api_url: an http:// or https:// URL".into());
                }
                None
            }
        }
    }
}

/// "settings.<field>: required" for the first of `required` that is empty.
fn missing(required: &[(&str, &String)]) -> Option<String> {
    required
        .iter()
        .find(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| format!("settings.{field}: required"))
}

/// Where a message sent on a channel stands, as far as Baton and the provider have said.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendStatus {
    /// Not yet accepted by the provider (waiting for an attempt or a retry).
    Pending,
    /// Accepted by the provider.
    Sent,
    Delivered,
    Read,
    /// Given up by Baton, or reported undeliverable by the provider.
    Failed,
}

impl SendStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Sent, Self::Delivered, Self::Read, Self::Failed]
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// The statuses a provider's report of `self` may replace: reports arrive out of order
    /// (a `read` before its `delivered`), and a status never moves back.
    pub fn replaces(self) -> &'static [SendStatus] {
        match self {
            Self::Pending | Self::Sent => &[],
            Self::Delivered => &[Self::Sent],
            Self::Read => &[Self::Sent, Self::Delivered],
            Self::Failed => &[Self::Sent, Self::Delivered],
        }
    }
}

/// Whether a business may still answer freely on WhatsApp at `now`, given when the contact
/// last wrote; `None` when they never did (nothing may be sent but a template).
pub fn whatsapp_window_open(last_contact_message: Option<Timestamp>, now: Timestamp) -> bool {
    last_contact_message.is_some_and(|at| now.millis_since(at) < WHATSAPP_WINDOW_MS)
}

/// A WhatsApp address: the digits of an international phone number, as WhatsApp writes a
/// `wa_id` (a leading `+`, spaces and dashes dropped); `None` unless 6 to 15 digits remain.
pub fn phone_address(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')')).collect();
    ((6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn whatsapp() -> ChannelSettings {
        ChannelSettings::parse(
            ChannelKind::Whatsapp,
            json!({"phone_number_id": "1055", "access_token": "EAAG", "app_secret": "s3", "verify_token": "v"}),
        )
        .unwrap()
    }

    #[test]
    fn whatsapp_settings_take_defaults_and_hide_their_secrets() {
        let settings = whatsapp();
        assert_eq!(settings.problem(), None);
        let ChannelSettings::Whatsapp(s) = settings.redacted() else { panic!("whatsapp") };
        assert_eq!((s.access_token.as_str(), s.app_secret.as_str()), (REDACTED, REDACTED));
        assert_eq!(
            (s.graph_url.as_str(), s.phone_number_id.as_str()),
            ("https://graph.facebook.com", "1055")
        );
    }

    #[test]
    fn a_redacted_token_follows_only_the_same_graph_origin() {
        let stored = whatsapp();
        let mut same = stored.redacted();
        same.keep_secrets_from(&stored);
        assert_eq!(same, stored);
        let mut moved = stored.redacted();
        let ChannelSettings::Whatsapp(s) = &mut moved else { panic!("whatsapp") };
        s.graph_url = "https://elsewhere.example".into();
        moved.keep_secrets_from(&stored);
        assert!(moved.problem().unwrap().contains("access_token"), "{:?}", moved.problem());
    }

    #[test]
    fn bad_settings_are_named() {
        let missing = ChannelSettings::parse(ChannelKind::Whatsapp, json!({"phone_number_id": "1"}));
        assert!(missing.unwrap_err().contains("access_token"));
        let web = ChannelSettings::parse(ChannelKind::Web, json!({}));
        assert!(web.unwrap_err().contains("needs no channel"));
        let mut letters = whatsapp();
        let ChannelSettings::Whatsapp(s) = &mut letters else { panic!("whatsapp") };
        s.phone_number_id = "12ab".into();
        assert!(letters.problem().unwrap().contains("phone_number_id"));
    }

    fn mailbox(imap_url: &str) -> ChannelSettings {
        ChannelSettings::parse(
            ChannelKind::Email,
            json!({"address": "help@example.com", "imap_url": imap_url, "username": "help", "password": "pw"}),
        )
        .unwrap()
    }

    #[test]
    fn a_mailbox_names_its_imap_server() {
        let server = |url: &str| match mailbox(url) {
            ChannelSettings::Email(s) => s.imap_server(),
            _ => panic!("email"),
        };
        assert_eq!(server("imaps://imap.example.com"), Some(("imap.example.com".into(), 993, true)));
        assert_eq!(server("imap://127.0.0.1:18143"), Some(("127.0.0.1".into(), 18143, false)));
        assert_eq!(server("imap://[::1]:143/"), Some(("::1".into(), 143, false)));
        assert_eq!(server("pop3://mail.example.com"), None);
        assert_eq!(server("imaps://user:pw@mail.example.com"), None);
        assert!(mailbox("https://mail.example.com").problem().unwrap().contains("imap_url"));
        assert_eq!(mailbox("imaps://mail.example.com").problem(), None);
        let ChannelSettings::Email(defaults) = mailbox("imaps://mail.example.com") else { panic!("email") };
        assert_eq!((defaults.mailbox.as_str(), defaults.poll_seconds), ("INBOX", 30));
    }

    #[test]
    fn a_mailbox_password_stays_with_its_server() {
        let stored = mailbox("imaps://mail.example.com");
        let shown = stored.redacted();
        let ChannelSettings::Email(s) = &shown else { panic!("email") };
        assert_eq!(s.password, REDACTED);
        let mut same = shown.clone();
        same.keep_secrets_from(&stored);
        assert_eq!(same, stored);
        let mut moved = shown.clone();
        let ChannelSettings::Email(s) = &mut moved else { panic!("email") };
        s.imap_url = "imaps://elsewhere.example".into();
        moved.keep_secrets_from(&stored);
        assert!(moved.problem().unwrap().contains("password"), "{:?}", moved.problem());
    }

    #[test]
    fn sms_settings_name_the_account_and_a_sender() {
        let sms = |from: &str, sid: &str| {
            ChannelSettings::parse(
                ChannelKind::Sms,
                json!({"account_sid": sid, "auth_token": "tok", "from": from}),
            )
            .unwrap()
        };
        let good_sid = format!("AC{}", "0a".repeat(16));
        assert_eq!(sms("+14155550100", &good_sid).problem(), None);
        assert_eq!(sms(&format!("MG{}", "1b".repeat(16)), &good_sid).problem(), None);
        assert!(sms("4155550100", &good_sid).problem().unwrap().contains("settings.from"));
        assert!(sms("+14155550100", "AC123").problem().unwrap().contains("account_sid"));
        let stored = sms("+14155550100", &good_sid);
        let mut back = stored.redacted();
        back.keep_secrets_from(&stored);
        assert_eq!(back, stored);
    }

    #[test]
    fn a_phone_line_forwards_to_a_number_and_speaks_briefly() {
        let voice = |forward_to: &str, greeting: &str| {
            ChannelSettings::parse(
                ChannelKind::Voice,
                json!({"account_sid": "AC1", "auth_token": "t", "forward_to": forward_to, "greeting": greeting}),
            )
            .unwrap()
        };
        assert_eq!(voice("+4930123456", "Hello").problem(), None);
        assert!(voice("030 123456", "Hello").problem().unwrap().contains("forward_to"));
        assert!(voice("+4930123456", &"x".repeat(501)).problem().unwrap().contains("500"));
        let ChannelSettings::Voice(s) = voice("+4930123456", "Hello") else { panic!("voice") };
        assert!(s.voicemail_prompt.contains("leave a message"), "a default prompt");
        let ChannelSettings::Voice(s) = voice("+4930123456", " ") else { panic!("voice") };
        assert!(s.greeting.starts_with("Thank you for calling"), "an empty greeting is the default one");
    }

    #[test]
    fn the_window_lasts_a_day_from_the_contacts_last_message() {
        let at = Timestamp::from_millis(1_000_000);
        assert!(whatsapp_window_open(Some(at), at.plus_millis(WHATSAPP_WINDOW_MS - 1)));
        assert!(!whatsapp_window_open(Some(at), at.plus_millis(WHATSAPP_WINDOW_MS)));
        assert!(!whatsapp_window_open(None, at));
    }

    #[test]
    fn phone_addresses_are_digits() {
        assert_eq!(phone_address("+49 151-2345 678").as_deref(), Some("491512345678"));
        assert_eq!(phone_address("12ab34"), None);
        assert_eq!(phone_address("123"), None);
    }
}
