//! The HTTP API, assembled with its OpenAPI description (served at `/openapi.json`), which
//! is generated from the handlers' annotations so it cannot drift from the code.

pub mod accounts;
pub mod analytics;
pub mod assign;
pub mod attachments;
pub mod audit;
pub mod bots;
pub mod canned;
pub mod channels;
pub mod contact;
pub mod contacts;
pub mod directory;
pub mod email;
pub mod history;
pub mod ops;
pub mod schedules;
pub mod teams;
pub mod templates;
pub mod user;
pub mod webhooks;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::realtime::ws;
use crate::state::SharedState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Baton", description = "Hands AI chat conversations to humans and back."),
    modifiers(&BearerAuth),
    // What websockets stream and webhooks deliver: `{"type", "data"}` (webhooks add "timestamp").
    components(schemas(baton_core::event::Event, baton_core::event::EventKind)),
    tags(
        (name = "contact", description = "The customer's side: a conversation, authorised by its contact token (users may call these too)."),
        (name = "user", description = "The team's side, authorised by a session token from login."),
        (name = "admin", description = "Workspace management, for admins."),
        (name = "channels", description = "Providers' webhooks for the channels (WhatsApp…), checked by the provider's signature."),
        (name = "bot", description = "An external bot answering and handing off in its conversations, with its bot's API key."),
        (name = "ops", description = "Health and readiness."),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(contact::create_conversation, history::search_conversations))
        .routes(routes!(history::conversation_handoffs))
        .routes(routes!(contacts::list_contacts))
        .routes(routes!(contacts::get_contact, contacts::erase_contact))
        .routes(routes!(contacts::export_contact))
        .routes(routes!(contact::get_conversation))
        .routes(routes!(contact::post_message, contact::list_messages))
        .routes({
            // The upload reads its body itself, up to `[attachments].max_bytes`.
            let (schemas, paths, route) = routes!(attachments::upload);
            (schemas, paths, route.layer(axum::extract::DefaultBodyLimit::disable()))
        })
        .routes(routes!(attachments::download))
        .routes(routes!(contact::request_handoff))
        .routes(routes!(contact::typing))
        .routes(routes!(contact::capture_lead))
        .routes(routes!(contact::follow_up))
        .routes(routes!(contact::follow_up_on_whatsapp))
        .routes(routes!(contact::give_feedback))
        .routes(routes!(ws::contact_stream))
        .routes(routes!(user::login))
        .routes(routes!(user::logout))
        .routes(routes!(user::me, accounts::put_me))
        .routes(routes!(accounts::put_my_password))
        .routes(routes!(accounts::my_notifications, accounts::put_my_notifications))
        .routes(routes!(email::mail_setup))
        .routes(routes!(email::send_test_mail))
        .routes(routes!(accounts::put_user, accounts::delete_user))
        .routes(routes!(accounts::reset_password))
        .routes(routes!(accounts::create_password_link))
        .routes(routes!(accounts::user_notifications, accounts::put_user_notifications))
        .routes(routes!(accounts::use_password_link))
        .routes(routes!(user::get_status, user::put_status))
        .routes(routes!(user::create_user, teams::list_users))
        .routes(routes!(teams::put_user_routing))
        .routes(routes!(teams::list_teams, teams::create_team))
        .routes(routes!(teams::get_team, teams::put_team, teams::delete_team))
        .routes(routes!(teams::put_members))
        .routes(routes!(user::list_handoffs))
        .routes(routes!(user::get_handoff))
        .routes(routes!(user::claim))
        .routes(routes!(user::close))
        .routes(routes!(assign::accept))
        .routes(routes!(assign::decline))
        .routes(routes!(assign::transfer))
        .routes(routes!(assign::assign))
        .routes(routes!(directory::directory))
        .routes(routes!(assign::release))
        .routes(routes!(user::add_note))
        .routes(routes!(templates::list_templates))
        .routes(routes!(templates::send_template))
        .routes(routes!(user::take_over))
        .routes(routes!(user::draft))
        .routes(routes!(ws::inbox_stream))
        .routes(routes!(bots::list_bots, bots::create_bot))
        .routes(routes!(bots::get_bot, bots::put_bot))
        .routes(routes!(bots::rotate_api_key))
        .routes(routes!(bots::try_bot))
        .routes(routes!(bots::catalog))
        .routes(routes!(bots::bot_message))
        .routes(routes!(bots::bot_handoff))
        .routes(routes!(webhooks::list_webhooks, webhooks::create_webhook))
        .routes(routes!(webhooks::get_webhook, webhooks::put_webhook, webhooks::delete_webhook))
        .routes(routes!(webhooks::rotate_secret))
        .routes(routes!(webhooks::list_deliveries))
        .routes(routes!(webhooks::retry_delivery))
        .routes(routes!(channels::list_channels, channels::create_channel))
        .routes(routes!(channels::get_channel, channels::put_channel, channels::delete_channel))
        .routes(routes!(channels::list_channel_deliveries))
        .routes(routes!(channels::verify_channel_webhook, channels::channel_webhook))
        .routes(routes!(canned::list_canned, canned::create_canned))
        .routes(routes!(canned::put_canned, canned::delete_canned))
        .routes(routes!(audit::audit_log))
        .routes(routes!(analytics::analytics))
        .routes(routes!(schedules::preview_schedule))
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
}
