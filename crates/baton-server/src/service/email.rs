//! The mail server as admins see it: whether mail is on, through what, and a test mail.

use baton_core::notification::Composer;
use baton_core::user::User;
use baton_core::values::Email;

use crate::email::SendError;
use crate::error::{ApiError, ApiResult};
use crate::settings::redact_url;
use crate::state::AppState;

/// How mail is set up (in `[smtp]` and `public_url`; the settings file or environment).
pub struct MailSetup {
    pub enabled: bool,
    /// The SMTP URL without its password.
    pub server: String,
    pub from: String,
    pub public_url: String,
}

pub fn setup(state: &AppState) -> MailSetup {
    let smtp = &state.settings.smtp;
    MailSetup {
        enabled: state.mailer.is_some(),
        server: redact_url(&smtp.url),
        from: smtp.from.clone(),
        public_url: state.settings.public_base_url(),
    }
}

/// Sends a test mail to `to` (the admin's own address when absent) in the admin's language;
/// returns the address it went to.
pub async fn send_test(state: &AppState, admin: &User, to: Option<&str>) -> ApiResult<String> {
    let Some(mailer) = &state.mailer else {
        return Err(ApiError::conflict(
            "mail_not_configured",
            "this Baton sends no mail: set [smtp] url (or BATON_SMTP__URL) and restart it",
        ));
    };
    let to = Email::parse(to.unwrap_or(&admin.email))?;
    let prefs = state.store.notification_prefs(admin.id).await?.unwrap_or_default();
    let public_url = state.settings.public_base_url();
    let mail = Composer::new(prefs.language_for(admin), &public_url).test();
    match mailer.send(to.as_str(), &mail, None).await {
        Ok(()) => Ok(to.as_str().to_owned()),
        Err(SendError::Permanent(detail) | SendError::Transient(detail)) => {
            Err(ApiError::Unavailable { detail: format!("the mail server did not take the mail: {detail}") })
        }
    }
}
