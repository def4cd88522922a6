//! WhatsApp templates in the inbox: which approved templates a conversation may be sent, and
//! sending one (the only message WhatsApp delivers once its 24-hour window has closed).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_core::channel::TemplateUse;
use baton_core::ids::ConversationId;
use baton_core::message::Message;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiPath, ApiResult, Problem};
use crate::service::{Sent, access, channels, conversations, handoffs};
use crate::state::SharedState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    pub name: String,
    pub language: String,
    /// The approved text, with its variables as `{{1}}`, `{{2}}`, …
    pub body: String,
    /// How many values sending it takes.
    pub variables: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    /// Empty unless the conversation is on a WhatsApp channel with templates in its settings.
    pub templates: Vec<TemplateView>,
}

/// The approved templates this conversation may be sent.
#[utoipa::path(get, path = "/v1/conversations/{id}/templates", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = TemplateList), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_templates(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Json<TemplateList>> {
    let conversation = conversations::load(&state, id).await?;
    access::conversation(&state, &user, &conversation).await?;
    let templates = channels::templates(&state, &conversation).await?;
    let templates = templates
        .into_iter()
        .map(|t| TemplateView { variables: t.variables(), name: t.name, language: t.language, body: t.body })
        .collect();
    Ok(Json(TemplateList { templates }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateForm {
    pub name: String,
    pub language: String,
    /// One value per variable, in order.
    #[serde(default)]
    pub parameters: Vec<String>,
    pub client_id: Option<String>,
}

/// Sends one of the channel's approved templates as the user who owns the conversation. The
/// transcript shows its filled body. 201 when stored, 200 when `client_id` repeats an earlier
/// send; 409 `no_templates` off WhatsApp, `not_owner` unless the user holds the chat; 422 for
/// an unknown template or values that do not fit it.
#[utoipa::path(post, path = "/v1/conversations/{id}/template-messages", tag = "user",
    params(("id" = String, Path)), request_body = TemplateForm, security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 200, body = Message), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn send_template(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(body): ApiJson<TemplateForm>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let choice = TemplateUse { name: body.name, language: body.language, parameters: body.parameters };
    Ok(match handoffs::template_message(&state, id, &user, choice, body.client_id).await? {
        Sent::New(message) => (StatusCode::CREATED, Json(message)),
        Sent::Repeated(message) => (StatusCode::OK, Json(message)),
    })
}
