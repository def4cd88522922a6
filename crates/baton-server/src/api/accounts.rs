//! Accounts: admins rename, disable, delete and reset the password of users; every user
//! changes their own display name, password and notification preferences.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use baton_core::ids::UserId;
use baton_core::notification::NotificationPrefs;
use baton_core::user::{Role, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, CurrentUser, MISSING, bearer_token};
use crate::error::{ApiJson, ApiPath, ApiResult, Problem};
use crate::service::teams::Routing;
use crate::service::users::{self, AccountUpdate};
use crate::state::SharedState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountForm {
    /// The display name contacts see.
    pub name: Option<String>,
    pub role: Option<Role>,
    /// A disabled user cannot log in; disabling ends their sessions at once.
    pub disabled: Option<bool>,
    /// Their languages and capacity, as `PUT /v1/users/{id}/routing` sets them.
    pub routing: Option<super::teams::RoutingForm>,
    /// Exactly the teams they belong to afterwards.
    pub teams: Option<Vec<baton_core::ids::TeamId>>,
    /// Their email alerts, as `PUT /v1/users/{id}/notifications` sets them.
    pub notifications: Option<NotificationPrefs>,
}

/// Changes a user (admins): name, role, disabled, languages and capacity, teams. Every value
/// is checked before any is written, so a refused change changes nothing.
#[utoipa::path(put, path = "/v1/users/{id}", tag = "admin", params(("id" = String, Path)), request_body = AccountForm,
    security(("bearer" = [])), responses((status = 200, body = User), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_user(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(form): ApiJson<AccountForm>,
) -> ApiResult<Json<User>> {
    let update = AccountUpdate {
        name: form.name,
        role: form.role,
        disabled: form.disabled,
        routing: form.routing.map(|r| Routing { languages: r.languages, capacity: r.capacity }),
        teams: form.teams,
        notifications: form.notifications,
    };
    Ok(Json(users::update_account(&state, &admin, id, update).await?))
}

/// Deletes a user (admins): not yourself, and not while they hold live chats.
#[utoipa::path(delete, path = "/v1/users/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_user(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<StatusCode> {
    users::delete_account(&state, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// At least 8 characters.
    pub password: String,
}

/// Sets a user's password (admins); every session of theirs ends.
#[utoipa::path(put, path = "/v1/users/{id}/password", tag = "admin", params(("id" = String, Path)),
    request_body = PasswordReset, security(("bearer" = [])), responses((status = 204),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reset_password(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(form): ApiJson<PasswordReset>,
) -> ApiResult<StatusCode> {
    users::reset_password(&state, Some(&admin), id, &form.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A one-time link to set a password.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordLinkView {
    /// Hand it to the user (it is not mailed); it works once. Absolute when the `public_url`
    /// setting is set, else the path, to be completed with the server's address.
    pub url: String,
    pub expires_at: baton_core::time::Timestamp,
}

/// A one-time link for the user to set their own password (admins): the invitation of a user
/// created without one, or a reset. It works once, for 72 hours, and replaces any earlier link.
#[utoipa::path(post, path = "/v1/users/{id}/password-link", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 201, body = PasswordLinkView),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_password_link(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<(StatusCode, Json<PasswordLinkView>)> {
    let link = users::create_password_link(&state, &admin, id).await?;
    Ok((StatusCode::CREATED, Json(PasswordLinkView { url: link.url, expires_at: link.expires_at })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordForm {
    /// The `token` from the link's `#token=…`.
    pub token: String,
    /// At least 8 characters.
    pub password: String,
}

/// Sets a password with a one-time link (no login needed); the link stops working and every
/// session of the user ends. They log in with their email and the new password.
#[utoipa::path(post, path = "/v1/password-links/use", tag = "user", request_body = SetPasswordForm,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn use_password_link(
    State(state): State<SharedState>,
    ApiJson(form): ApiJson<SetPasswordForm>,
) -> ApiResult<StatusCode> {
    users::set_password_with_link(&state, form.token.trim(), &form.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileForm {
    /// The display name contacts see.
    pub name: String,
}

/// Changes your display name.
#[utoipa::path(put, path = "/v1/me", tag = "user", request_body = ProfileForm, security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn put_me(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiJson(form): ApiJson<ProfileForm>,
) -> ApiResult<Json<User>> {
    Ok(Json(users::rename_self(&state, &user, &form.name).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 8 characters.
    pub new_password: String,
}

/// Changes your password; your other sessions end, this one stays.
#[utoipa::path(put, path = "/v1/me/password", tag = "user", request_body = PasswordChange,
    security(("bearer" = [])), responses((status = 204), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_my_password(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    ApiJson(form): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    let token = bearer_token(&headers, None).ok_or(MISSING)?;
    users::change_own_password(&state, &user, &token, &form.current_password, &form.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your notification preferences, and whether this server sends mail at all.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSettings {
    #[serde(flatten)]
    pub prefs: NotificationPrefs,
    /// Whether this Baton sends mail (its `[smtp]` names a server). Off, the preferences are
    /// kept and apply once it does.
    pub mail_enabled: bool,
}

fn settings_view(state: &SharedState, prefs: NotificationPrefs) -> Json<NotificationSettings> {
    Json(NotificationSettings { prefs, mail_enabled: state.mailer.is_some() })
}

/// How you hear of chats waiting for you while your inbox is closed.
#[utoipa::path(get, path = "/v1/me/notifications", tag = "user", security(("bearer" = [])),
    responses((status = 200, body = NotificationSettings), (status = 401, body = Problem)))]
pub async fn my_notifications(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<NotificationSettings>> {
    let prefs = users::notification_prefs(&state, user.id).await?;
    Ok(settings_view(&state, prefs))
}

/// Changes how you hear of chats waiting for you: `email` on or off, how long
/// (`email_after_seconds`, at most a day) a chat routed to you waits in the queue, while you
/// have no inbox open, before you are mailed, and the `language` of your mails. Offers,
/// transfers, tickets and escalations are mailed at once, when `email` is on.
#[utoipa::path(put, path = "/v1/me/notifications", tag = "user", request_body = NotificationPrefs,
    security(("bearer" = [])), responses((status = 200, body = NotificationSettings), (status = 401, body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_my_notifications(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiJson(prefs): ApiJson<NotificationPrefs>,
) -> ApiResult<Json<NotificationSettings>> {
    let prefs = users::set_notification_prefs(&state, &user, user.id, prefs).await?;
    Ok(settings_view(&state, prefs))
}

/// A user's notification preferences (admins), as `GET /v1/me/notifications` shows them.
#[utoipa::path(get, path = "/v1/users/{id}/notifications", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = NotificationSettings),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn user_notifications(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<UserId>,
) -> ApiResult<Json<NotificationSettings>> {
    let prefs = users::notification_prefs(&state, id).await?;
    Ok(settings_view(&state, prefs))
}

/// Changes a user's notification preferences (admins), as they could themselves.
#[utoipa::path(put, path = "/v1/users/{id}/notifications", tag = "admin", params(("id" = String, Path)),
    request_body = NotificationPrefs, security(("bearer" = [])), responses((status = 200, body = NotificationSettings),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_user_notifications(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(prefs): ApiJson<NotificationPrefs>,
) -> ApiResult<Json<NotificationSettings>> {
    let prefs = users::set_notification_prefs(&state, &admin, id, prefs).await?;
    Ok(settings_view(&state, prefs))
}
