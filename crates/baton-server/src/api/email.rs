//! The mail server, for admins: how it is set up, and a test mail.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::{ApiJson, ApiResult, Problem};
use crate::service::email;
use crate::state::SharedState;

/// How mail is set up; it is changed in the settings (`[smtp]`, `public_url`), not here.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailSetupView {
    /// Whether Baton sends mail (`[smtp] url` is set).
    pub enabled: bool,
    /// The SMTP server's URL, without its password.
    pub server: String,
    /// The sender of every mail.
    pub from: String,
    /// Where the links in mails point.
    pub public_url: String,
}

/// How this Baton sends mail.
#[utoipa::path(get, path = "/v1/email", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = MailSetupView), (status = 403, body = Problem)))]
pub async fn mail_setup(State(state): State<SharedState>, _admin: Admin) -> Json<MailSetupView> {
    let setup = email::setup(&state);
    Json(MailSetupView {
        enabled: setup.enabled,
        server: setup.server,
        from: setup.from,
        public_url: setup.public_url,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestMailForm {
    /// Where to send it; your own address when absent.
    #[serde(default)]
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestMailSent {
    /// The address the mail server took the test mail for.
    pub sent_to: String,
}

/// Sends a test mail through the mail server, at once: 409 when no server is set up, 503 with
/// the server's words when it does not take the mail.
#[utoipa::path(post, path = "/v1/email/test", tag = "admin", request_body = TestMailForm, security(("bearer" = [])),
    responses((status = 200, body = TestMailSent), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn send_test_mail(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiJson(form): ApiJson<TestMailForm>,
) -> ApiResult<Json<TestMailSent>> {
    let sent_to = email::send_test(&state, &admin, form.to.as_deref()).await?;
    Ok(Json(TestMailSent { sent_to }))
}
