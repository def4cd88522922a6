//! Contacts: one record across a visitor's conversations (by the widget's visitor id, the
//! email, or a signed identity from the host site), found and read by the team, exported and
//! erased by admins.

use baton_core::user::Role;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Contact, TestApp};
use crate::routing::act;

crate::on_both_backends!(
    a_visitor_is_one_contact_across_conversations_and_can_be_exported_and_erased,
    bad_identities_and_details_are_refused_and_change_nothing,
);

const SECRET: &str = "identity-secret-of-the-shop";

/// The `user_hash` a host site's server computes for `user_id`.
fn signed(user_id: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(user_id.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

async fn shop_bot(app: &TestApp, admin: &str) -> String {
    let (status, bot) = app
        .post("/v1/bots", Some(admin), json!({"name": "shop", "settings": {"identity_secret": SECRET}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{bot}");
    assert_eq!(bot["settings"]["identity_secret"], "********", "the secret is never read back");
    bot["id"].as_str().unwrap().to_owned()
}

/// The conversation's contact record, as the team's view of the conversation names it.
async fn contact_of(app: &TestApp, admin: &str, conversation: &Contact) -> String {
    let (status, view) = app.get(&format!("/v1/conversations/{}", conversation.id), Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view["contact_id"].as_str().unwrap_or_else(|| panic!("no contact: {view}")).to_owned()
}

async fn a_visitor_is_one_contact_across_conversations_and_can_be_exported_and_erased(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("sam@example.com").await;
    let bot = shop_bot(&app, &admin.token).await;

    // An anonymous visitor names themselves; their next conversation from the same browser knows them.
    let first = app
        .open_conversation(json!({"bot_id": bot, "visitor_id": "browser-0001", "contact": {"name": "Rosa"},
            "attributes": {"plan": "pro", "seats": 3}}))
        .await;
    app.say(&first, "Where is my parcel?").await;
    app.bot_idle(first.id).await;
    let second = app.open_conversation(json!({"bot_id": bot, "visitor_id": "browser-0001"})).await;
    let view = app.conversation(&second).await;
    assert_eq!(view["contact"]["name"], "Rosa", "{view}");
    // Logged in on the site: the signed identity adopts the same record, with the email.
    let third = app
        .open_conversation(json!({"bot_id": bot, "visitor_id": "browser-0001",
            "contact": {"email": "rosa@example.com"},
            "identity": {"user_id": "customer-7", "user_hash": signed("customer-7")}}))
        .await;
    let rosa = contact_of(&app, &admin.token, &first).await;
    assert_eq!(contact_of(&app, &admin.token, &second).await, rosa);
    assert_eq!(contact_of(&app, &admin.token, &third).await, rosa);

    // The team finds her by name or email and reads her record with every conversation.
    let (status, page) = app.get("/v1/contacts?query=ros", Some(&agent.token)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let found = &page["contacts"].as_array().unwrap()[..];
    assert_eq!(found.len(), 1, "{page}");
    let record = &found[0];
    assert_eq!(
        (&record["id"], &record["name"], &record["email"], &record["external_id"]),
        (&json!(rosa), &json!("Rosa"), &json!("rosa@example.com"), &json!("customer-7"))
    );
    assert_eq!(record["attributes"], json!({"plan": "pro", "seats": "3"}));
    let (status, record) = app.get(&format!("/v1/contacts/{rosa}"), Some(&agent.token)).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    let ids: Vec<&str> =
        record["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [third.id.to_string(), second.id.to_string(), first.id.to_string()]);
    let (status, page) = app.get(&format!("/v1/conversations?contact={rosa}"), Some(&agent.token)).await;
    assert_eq!((status, page["conversations"].as_array().unwrap().len()), (StatusCode::OK, 3), "{page}");

    // A handoff in her first conversation, answered; an internal note stays out of the export.
    let handoff = app.ask_for_human(&first).await;
    let handoff_id = handoff["id"].as_str().unwrap();
    let (status, body) = act(&app, &agent, handoff_id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let path = format!("/v1/conversations/{}/notes", first.id);
    let (status, body) = app.post(&path, Some(&agent.token), json!({"text": "VIP customer, be nice"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Export: admins only, a JSON file of what she and the team said.
    let export_path = format!("/v1/contacts/{rosa}/export");
    let (status, body) = app.get(&export_path, Some(&agent.token)).await;
    assert_eq!((status, &body["code"]), (StatusCode::FORBIDDEN, &json!("admin_only")));
    let response = reqwest::Client::new()
        .get(format!("{}{export_path}", app.base))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"contact-{rosa}.json\""));
    let export: Value = response.json().await.unwrap();
    assert_eq!(export["contact"]["id"], rosa);
    assert_eq!(export["conversations"].as_array().unwrap().len(), 3);
    let texts: Vec<&str> = export["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["messages"].as_array().unwrap())
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"Where is my parcel?"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("VIP")), "no team notes: {texts:?}");

    // Erasure waits for the chat to close, then leaves nothing of hers but anonymous counts.
    let (status, body) =
        app.request(Method::DELETE, &format!("/v1/contacts/{rosa}"), Some(&admin.token), None).await;
    assert_eq!((status, &body["code"]), (StatusCode::CONFLICT, &json!("contact_in_chat")), "{body}");
    assert_eq!(app.get(&format!("/v1/contacts/{rosa}"), Some(&admin.token)).await.0, StatusCode::OK);
    let (status, body) = act(&app, &agent, handoff_id, "close").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) =
        app.request(Method::DELETE, &format!("/v1/contacts/{rosa}"), Some(&agent.token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "agents cannot erase: {body}");
    let (status, body) =
        app.request(Method::DELETE, &format!("/v1/contacts/{rosa}"), Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(app.get(&format!("/v1/contacts/{rosa}"), Some(&admin.token)).await.0, StatusCode::NOT_FOUND);
    let (_, page) = app.get("/v1/conversations?query=parcel", Some(&admin.token)).await;
    assert_eq!(page["conversations"], json!([]), "the words are gone");
    let (_, page) = app.get("/v1/conversations?query=rosa", Some(&admin.token)).await;
    assert_eq!(page["conversations"], json!([]), "and her name");
    let (status, handoff) = app.get(&format!("/v1/handoffs/{handoff_id}"), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "the handoff stays for the counts");
    assert_eq!(
        (&handoff["state"], &handoff["contact"]),
        (&json!("closed"), &json!({"name": null, "email": null}))
    );
    let (_, audit) = app.get("/v1/audit?subject_kind=contact", Some(&admin.token)).await;
    let actions: Vec<&str> =
        audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["contact.erased", "contact.exported"], "{audit}");
    let erased = &audit["entries"][0];
    assert_eq!(erased["subject"]["name"], "", "the log keeps no name");
    // The same browser starts over as a stranger.
    let again = app.open_conversation(json!({"bot_id": bot, "visitor_id": "browser-0001"})).await;
    assert_eq!(app.conversation(&again).await["contact"]["name"], Value::Null);
}

async fn bad_identities_and_details_are_refused_and_change_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let bot = shop_bot(&app, &admin.token).await;
    let cases = [
        (
            json!({"bot_id": bot, "identity": {"user_id": "customer-7", "user_hash": signed("customer-8")}}),
            403,
            "identity_invalid",
        ),
        (
            json!({"bot_id": bot, "identity": {"user_id": "customer-7", "user_hash": "nothex"}}),
            403,
            "identity_invalid",
        ),
        (
            json!({"identity": {"user_id": "customer-7", "user_hash": signed("customer-7")}}),
            422,
            "identity_not_configured",
        ),
        (json!({"bot_id": bot, "visitor_id": "no spaces allowed"}), 422, "validation_failed"),
        (
            json!({"bot_id": bot, "visitor_id": "browser-0001", "attributes": {"Plan": "pro"}}),
            422,
            "validation_failed",
        ),
        (
            json!({"bot_id": bot, "visitor_id": "browser-0001", "attributes": {"plan": {"nested": 1}}}),
            422,
            "validation_failed",
        ),
        (json!({"bot_id": bot, "identity": {"user_id": "customer-7"}}), 422, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let (got, problem) = app.post("/v1/conversations", None, body.clone()).await;
        assert_eq!((got.as_u16(), problem["code"].as_str()), (status, Some(code)), "{body}: {problem}");
    }
    let (_, page) = app.get("/v1/contacts", Some(&admin.token)).await;
    assert_eq!(page["contacts"], json!([]), "nothing was made");
    let (_, page) = app.get("/v1/conversations", Some(&admin.token)).await;
    assert_eq!(page["conversations"], json!([]), "{page}");
    // A short identity secret is refused.
    let path = format!("/v1/bots/{bot}");
    let (_, stored) = app.get(&path, Some(&admin.token)).await;
    let mut settings = stored["settings"].clone();
    settings["identity_secret"] = json!("short");
    let (status, problem) =
        app.put(&path, Some(&admin.token), json!({"name": "shop", "settings": settings})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem["detail"].as_str().unwrap().starts_with("identity_secret"), "{problem}");
    // Sent back as read, the secret is kept.
    settings["identity_secret"] = json!("********");
    let (status, body) =
        app.put(&path, Some(&admin.token), json!({"name": "shop", "settings": settings})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let signed_in =
        json!({"bot_id": bot, "identity": {"user_id": "customer-7", "user_hash": signed("customer-7")}});
    assert_eq!(app.post("/v1/conversations", None, signed_in).await.0, StatusCode::CREATED);
    let (_, page) = app.get("/v1/contacts?query=customer", Some(&admin.token)).await;
    assert_eq!(page["contacts"].as_array().unwrap().len(), 1, "{page}");
    let (status, problem) = app.get("/v1/contacts?cursor=nope", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _) = app.get("/v1/contacts", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
