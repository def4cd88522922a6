//! Conversation endpoints. Most accept the contact's token or a user's session token; the
//! caller decides the author of a message and whether notes are visible.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use baton_core::channel::ChannelKind;
use baton_core::contact_view::ContactHandoff;
use baton_core::conversation::{Owner, conversation_state};
use baton_core::handoff::{ContactInfo, Handoff, HandoffState, Trigger};
use baton_core::ids::{BotId, ConversationId};
use baton_core::message::Message;
use baton_core::time::Timestamp;
use baton_core::values::{MessageText, Rating};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, bearer_token, conversation_caller};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, Problem};
use crate::limits::ClientAddress;
use crate::service::Sent;
use crate::service::contacts::ContactInput;
use crate::service::conversations;
use crate::service::follow_up::WhatsappInvite;
use crate::service::handoffs;
use crate::service::routing::{self, Availability, QueuePlace};
use crate::state::SharedState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateConversation {
    /// The bot to talk to; the default bot when absent.
    pub bot_id: Option<BotId>,
    pub contact: Option<ContactInfo>,
    /// The contact's locale as the browser reports it, e.g. `de-DE`.
    pub locale: Option<String>,
    /// The widget's id for this browser (8 to 64 letters, digits, `-`, `_`), kept in its local
    /// storage: a returning visitor's conversations share one contact record.
    pub visitor_id: Option<String>,
    /// A customer logged in on the host site, signed by the site's server.
    pub identity: Option<Identity>,
    /// What the host page knows of the contact (plan, account…): at most 30 snake_case keys
    /// with text, number or true/false values of up to 500 characters.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A logged-in customer: the host site's user id, and `user_hash`, the hex HMAC-SHA256 of
/// `user_id` keyed with the bot's `identity_secret` (as Intercom's identity verification).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub user_id: String,
    pub user_hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedConversation {
    pub id: ConversationId,
    /// The contact's bearer token for this conversation. Shown only once.
    pub token: String,
}

/// Starts a conversation with a bot.
#[utoipa::path(post, path = "/v1/conversations", tag = "contact", request_body = CreateConversation,
    responses((status = 201, body = CreatedConversation), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn create_conversation(
    State(state): State<SharedState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<CreateConversation>,
) -> ApiResult<(StatusCode, Json<CreatedConversation>)> {
    if let Some(limits) = &state.limits {
        limits.new_conversation(address)?;
    }
    let input = ContactInput {
        visitor_id: body.visitor_id,
        identity: body.identity.map(|i| (i.user_id, i.user_hash)),
        attributes: body.attributes,
    };
    let contact = body.contact.unwrap_or_default();
    let (conversation, token) =
        conversations::start(&state, body.bot_id, contact, input, body.locale).await?;
    Ok((StatusCode::CREATED, Json(CreatedConversation { id: conversation.id, token })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationView {
    pub id: ConversationId,
    pub bot_id: BotId,
    /// `bot` when no handoff is open, otherwise the open handoff's state.
    pub state: &'static str,
    pub owner: Owner,
    pub contact: ContactInfo,
    /// The contact's record across conversations (`GET /v1/contacts/{id}`), when the
    /// conversation named them.
    pub contact_id: Option<baton_core::ids::ContactId>,
    pub locale: Option<String>,
    /// The language system messages are sent in (ISO 639-1): the locale's, or detected from
    /// what the contact writes; `null` until known.
    pub language: Option<String>,
    pub created_at: Timestamp,
    /// The seq of the newest message.
    pub last_seq: i64,
    /// The open handoff, if any.
    pub handoff: Option<Handoff>,
    /// Whether the contact has been asked to rate the last handoff and has not yet.
    pub feedback_pending: bool,
    /// While the handoff is queued: its place among those waiting for the same people, and
    /// the expected wait.
    pub queue: Option<QueuePlace>,
    /// Whether a human could take the conversation now and, if not, when office hours open.
    pub availability: Availability,
    /// Whether the bot can draft replies for the team (`POST /v1/conversations/{id}/draft`).
    pub copilot: bool,
    /// Where the contact is: `web` (the widget), or the channel they wrote on.
    pub channel: ChannelKind,
    /// The contact's address on the channel (a WhatsApp number's digits); `null` on the web.
    pub channel_address: Option<String>,
    /// On WhatsApp: until when the team may answer freely (24 hours after the contact's last
    /// message); after it the provider takes only approved templates and a reply is refused.
    #[schema(value_type = Option<i64>)]
    pub reply_window_closes_at: Option<Timestamp>,
    /// Whether the contact may choose, while waiting, to be answered on WhatsApp (a web chat
    /// whose bot has a WhatsApp number).
    pub whatsapp_follow_up: bool,
    /// The WhatsApp number (digits) a waiting web contact continued on, confirmed by the code
    /// they sent from it: the team's replies go there while the handoff is open, and the window
    /// above is that number's.
    pub follow_up_whatsapp: Option<String>,
    /// The invitation the contact was given to continue on WhatsApp, while its code has not
    /// come back.
    #[serde(skip)]
    pub whatsapp_invite: Option<WhatsappInvite>,
}

/// A conversation as its contact sees it: where things stand, never the team's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactConversationView {
    pub id: ConversationId,
    /// `bot` when no handoff is open, otherwise the open handoff's state.
    pub state: &'static str,
    pub contact: ContactInfo,
    pub locale: Option<String>,
    pub language: Option<String>,
    pub created_at: Timestamp,
    pub last_seq: i64,
    /// The open handoff: its state and who answers, once someone has joined.
    pub handoff: Option<ContactHandoff>,
    pub feedback_pending: bool,
    pub queue: Option<QueuePlace>,
    pub availability: Availability,
    /// Whether, while waiting, the contact may choose to be answered on WhatsApp.
    pub whatsapp_follow_up: bool,
    /// The invitation they were given (`POST …/follow-up/whatsapp`), until its code comes back.
    pub whatsapp_invite: Option<WhatsappInvite>,
    /// Whether they did continue there: the team's replies go to their WhatsApp.
    pub follow_up_on_whatsapp: bool,
}

/// A conversation: the full view for users, the contact view for its contact.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ConversationAnswer {
    Team(Box<ConversationView>),
    Contact(Box<ContactConversationView>),
}

/// A handoff: the team's record for users, the contact view for the contact.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum HandoffAnswer {
    Team(Box<Handoff>),
    Contact(ContactHandoff),
}

impl HandoffAnswer {
    pub fn for_caller(caller: &Caller, handoff: Handoff) -> Self {
        match caller {
            Caller::Contact => Self::Contact(ContactHandoff::from(&handoff)),
            Caller::User(_) => Self::Team(Box::new(handoff)),
        }
    }
}

async fn caller(state: &SharedState, headers: &HeaderMap, id: ConversationId) -> ApiResult<Caller> {
    conversation_caller(state, bearer_token(headers, None), id).await
}

/// A conversation's state, owner and open handoff. A contact gets the contact view.
#[utoipa::path(get, path = "/v1/conversations/{id}", tag = "contact", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = ConversationAnswer), (status = 404, body = Problem)))]
pub async fn get_conversation(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
) -> ApiResult<Json<ConversationAnswer>> {
    let caller = caller(&state, &headers, id).await?;
    let view = conversation_view(&state, id).await?;
    Ok(Json(match caller {
        Caller::Contact => ConversationAnswer::Contact(Box::new(view.for_contact())),
        Caller::User(_) => ConversationAnswer::Team(Box::new(view)),
    }))
}

/// The team's view of conversation `id`.
pub async fn conversation_view(state: &SharedState, id: ConversationId) -> ApiResult<ConversationView> {
    let conversation = conversations::load(state, id).await?;
    let latest = state.store.latest_handoff(id).await?.map(|h| h.value);
    let open = latest.clone().filter(|h| h.state.is_open());
    let settings = conversations::bot_of(state, &conversation).await?.settings;
    let copilot = crate::service::copilot::available(&settings);
    let policy = settings.policy;
    let (queue, availability) = routing::waiting(state, &conversation, &policy, open.as_ref()).await?;
    let reply_window_closes_at = crate::service::channels::reply_window(state, &conversation).await?;
    let whatsapp = crate::service::follow_up::standing(state, &conversation).await?;
    let channel = conversation.channel.as_ref().map_or(ChannelKind::Web, |c| c.kind);
    let channel_address = conversation.channel.and_then(|c| c.address);
    Ok(ConversationView {
        id,
        bot_id: conversation.bot_id,
        state: conversation_state(open.as_ref()),
        owner: conversation.owner,
        contact: conversation.contact,
        contact_id: conversation.contact_id,
        locale: conversation.locale,
        language: conversation.language,
        created_at: conversation.created_at,
        last_seq: conversation.last_seq,
        feedback_pending: latest
            .is_some_and(|h| h.state == HandoffState::Closed && h.feedback_requested && h.rating.is_none()),
        handoff: open,
        queue,
        availability,
        copilot,
        channel,
        channel_address,
        reply_window_closes_at,
        whatsapp_follow_up: whatsapp.offered,
        follow_up_whatsapp: whatsapp.number,
        whatsapp_invite: whatsapp.invite,
    })
}

impl ConversationView {
    pub fn for_contact(self) -> ContactConversationView {
        ContactConversationView {
            id: self.id,
            state: self.state,
            contact: self.contact,
            locale: self.locale,
            language: self.language,
            created_at: self.created_at,
            last_seq: self.last_seq,
            handoff: self.handoff.as_ref().map(ContactHandoff::from),
            feedback_pending: self.feedback_pending,
            queue: self.queue,
            availability: self.availability,
            whatsapp_follow_up: self.whatsapp_follow_up,
            whatsapp_invite: self.whatsapp_invite,
            follow_up_on_whatsapp: self.follow_up_whatsapp.is_some(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    pub text: String,
    /// A client-chosen id (1 to 100 characters): sending the same one again returns the
    /// message stored the first time instead of writing it twice.
    pub client_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Typing {
    /// Whether they are typing now; send `false` when they stop (or send the message).
    pub typing: bool,
    /// The contact's draft so far, for the team's live preview (the first 500 characters);
    /// ignored from users.
    pub draft: Option<String>,
}

/// Says that the contact (or a user) is typing, to the sockets open now; nothing is stored.
/// Users see the contact's draft; the contact sees "typing" only from the user who holds the
/// chat. Send it at most every second or two while typing, and `false` when done.
#[utoipa::path(post, path = "/v1/conversations/{id}/typing", tag = "contact", params(("id" = String, Path)),
    request_body = Typing, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn typing(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Typing>,
) -> ApiResult<StatusCode> {
    let caller = caller(&state, &headers, id).await?;
    let draft = match caller {
        Caller::Contact => body.draft,
        Caller::User(_) => None,
    };
    crate::service::typing::typing(&state, id, &caller, body.typing, draft).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a message as the contact, or as the user who owns the conversation. The bot's answer
/// follows asynchronously on the websocket. 201 when stored, 200 when `client_id` repeats an
/// earlier send.
#[utoipa::path(post, path = "/v1/conversations/{id}/messages", tag = "contact", params(("id" = String, Path)),
    request_body = SendMessage, security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 200, body = Message), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn post_message(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SendMessage>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let caller = caller(&state, &headers, id).await?;
    if let (Some(limits), Some(token)) = (&state.limits, bearer_token(&headers, None)) {
        limits.message(address, id, &token)?;
    }
    let text = MessageText::parse(body.text)?;
    let sent = match caller {
        Caller::Contact => conversations::contact_message(&state, id, text, body.client_id, None).await?,
        Caller::User(user) => handoffs::user_message(&state, id, &user, text, body.client_id, None).await?,
    };
    Ok(match sent {
        Sent::New(message) => (StatusCode::CREATED, Json(message)),
        Sent::Repeated(message) => (StatusCode::OK, Json(message)),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MessagesQuery {
    /// Only messages with a greater seq.
    #[serde(default)]
    after: i64,
    /// At most this many (default and maximum 1000).
    limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    pub messages: Vec<Message>,
}

/// Messages in seq order. Notes are included for users only.
#[utoipa::path(get, path = "/v1/conversations/{id}/messages", tag = "contact", params(("id" = String, Path), MessagesQuery),
    security(("bearer" = [])), responses((status = 200, body = MessageList), (status = 404, body = Problem)))]
pub async fn list_messages(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    ApiQuery(query): ApiQuery<MessagesQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<MessageList>> {
    let caller = caller(&state, &headers, id).await?;
    let limit = query.limit.unwrap_or(1000).clamp(1, 1000);
    let notes = matches!(caller, Caller::User(_));
    let mut messages = state.store.messages_after(id, query.after.max(0), notes, limit).await?;
    if !notes {
        messages = messages.into_iter().map(Message::for_contact).collect();
    }
    Ok(Json(MessageList { messages }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestHandoff {
    /// Why, in a sentence; shown to the users.
    pub reason: Option<String>,
}

/// Asks for a human (the widget's "talk to a human" button). The body is optional.
#[utoipa::path(post, path = "/v1/conversations/{id}/handoff", tag = "contact", params(("id" = String, Path)),
    request_body(content = RequestHandoff, description = "Optional"), security(("bearer" = [])),
    responses((status = 201, body = HandoffAnswer), (status = 409, body = Problem)))]
pub async fn request_handoff(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<HandoffAnswer>)> {
    let caller = caller(&state, &headers, id).await?;
    let body: RequestHandoff = if body.iter().all(u8::is_ascii_whitespace) {
        RequestHandoff::default()
    } else {
        crate::error::parse_json(&body)?
    };
    let reason = baton_core::values::optional_text("reason", body.reason.as_deref(), 500)?;
    let (trigger, reason) = match &caller {
        Caller::Contact => (
            Trigger::ExplicitRequest,
            reason.unwrap_or_else(|| "the contact pressed \"talk to a human\"".into()),
        ),
        Caller::User(user) => (Trigger::Api, reason.unwrap_or_else(|| format!("requested by {}", user.name))),
    };
    let conversation = conversations::load(&state, id).await?;
    let handoff = handoffs::request(&state, &conversation, trigger, reason, Default::default()).await?;
    Ok((StatusCode::CREATED, Json(HandoffAnswer::for_caller(&caller, handoff))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadForm {
    pub email: String,
    pub name: Option<String>,
    pub message: Option<String>,
}

/// Leaves contact details while the team is offline; the handoff becomes a ticket.
#[utoipa::path(post, path = "/v1/conversations/{id}/lead", tag = "contact", params(("id" = String, Path)),
    request_body = LeadForm, security(("bearer" = [])),
    responses((status = 200, body = HandoffAnswer), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn capture_lead(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LeadForm>,
) -> ApiResult<Json<HandoffAnswer>> {
    let caller = caller(&state, &headers, id).await?;
    if let Caller::User(_) = caller {
        return Err(contacts_only("details"));
    }
    let handoff =
        conversations::capture_lead(&state, id, &body.email, body.name.as_deref(), body.message.as_deref())
            .await?;
    Ok(Json(HandoffAnswer::for_caller(&caller, handoff)))
}

/// While waiting in the queue: be answered by email instead of waiting in the chat. The
/// handoff keeps its place; the team's replies are mailed to `email` while the chat is closed.
#[utoipa::path(post, path = "/v1/conversations/{id}/follow-up", tag = "contact", params(("id" = String, Path)),
    request_body = LeadForm, security(("bearer" = [])),
    responses((status = 200, body = HandoffAnswer), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn follow_up(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LeadForm>,
) -> ApiResult<Json<HandoffAnswer>> {
    let caller = caller(&state, &headers, id).await?;
    if let Caller::User(_) = caller {
        return Err(contacts_only("details"));
    }
    let handoff = conversations::follow_up_by_email(
        &state,
        id,
        &body.email,
        body.name.as_deref(),
        body.message.as_deref(),
    )
    .await?;
    Ok(Json(HandoffAnswer::for_caller(&caller, handoff)))
}

/// While waiting in the queue: continue on WhatsApp instead. The answer is the business number
/// and a message with a one-time code to send from WhatsApp (and a link that opens WhatsApp
/// with it); the message confirms the number, and from then on the handoff keeps its place,
/// the team's replies go to that number and what it writes joins this chat. 409 `no_whatsapp`
/// when the bot has no WhatsApp number for this, `not_waiting` outside the queue.
#[utoipa::path(post, path = "/v1/conversations/{id}/follow-up/whatsapp", tag = "contact",
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = WhatsappInvite), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn follow_up_on_whatsapp(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
) -> ApiResult<Json<WhatsappInvite>> {
    let caller = caller(&state, &headers, id).await?;
    if let Caller::User(_) = caller {
        return Err(contacts_only("details"));
    }
    Ok(Json(crate::service::follow_up::invite_to_whatsapp(&state, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackForm {
    /// 1 (bad) to 5 (great).
    pub rating: i64,
    pub comment: Option<String>,
}

/// Rates the conversation with the team after a user closed it.
#[utoipa::path(post, path = "/v1/conversations/{id}/feedback", tag = "contact", params(("id" = String, Path)),
    request_body = FeedbackForm, security(("bearer" = [])),
    responses((status = 200, body = HandoffAnswer), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn give_feedback(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<FeedbackForm>,
) -> ApiResult<Json<HandoffAnswer>> {
    let caller = caller(&state, &headers, id).await?;
    if let Caller::User(_) = caller {
        return Err(contacts_only("feedback"));
    }
    let rating = Rating::parse(body.rating)?;
    let handoff = conversations::give_feedback(&state, id, rating, body.comment.as_deref()).await?;
    Ok(Json(HandoffAnswer::for_caller(&caller, handoff)))
}

/// What only the contact may say about their own conversation: their rating, their details.
fn contacts_only(what: &str) -> ApiError {
    ApiError::Forbidden {
        code: "contact_only",
        detail: format!("only the contact can leave their {what}; users cannot speak for them"),
    }
}
