//! Files in a conversation: the contact and the team member holding the chat send images and
//! files within the deployment's limits; only the conversation's contact and the team may
//! fetch them; SQLite keeps them on disk beside the database, PostgreSQL in the database; a
//! repeated send and an erased contact leave no file behind.

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Contact, TestApp};
use crate::routing::act;

crate::on_both_backends!(
    settings = |s: &mut baton_server::settings::Settings| s.attachments.max_bytes = 1024;
    files_are_sent_fetched_by_whoever_may_read_and_erased_with_their_contact,
);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

async fn upload(
    app: &TestApp,
    conversation: &Contact,
    token: &str,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    client_id: Option<&str>,
) -> (StatusCode, Value) {
    app.upload(token, &conversation.id.to_string(), name, content_type, bytes, client_id).await
}

async fn download(app: &TestApp, conversation: &Contact, id: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .get(format!("{}/v1/conversations/{}/attachments/{id}", app.base, conversation.id));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The files in the attachments folder beside a SQLite database; `None` on PostgreSQL.
fn files_on_disk(app: &TestApp) -> Option<Vec<String>> {
    let url = &app.state.settings.database_url;
    let file = url.strip_prefix("sqlite://")?;
    let dir = std::path::Path::new(file.split('?').next().unwrap()).parent().unwrap().join("attachments");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().file_name().into_string().unwrap()).collect())
        .unwrap_or_default();
    names.sort();
    Some(names)
}

async fn files_are_sent_fetched_by_whoever_may_read_and_erased_with_their_contact(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("sam@example.com").await;
    let rosa =
        app.open_conversation(json!({"visitor_id": "browser-0001", "contact": {"name": "Rosa"}})).await;
    let stranger = app.start_conversation().await;

    // The contact sends a photo: a message of its own named after the file.
    let (status, sent) =
        upload(&app, &rosa, &rosa.token, "broken%20box.png", "image/png", PNG, Some("c-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["text"], "broken box.png");
    let attachment = sent["attachment"].clone();
    assert_eq!(
        (&attachment["name"], &attachment["content_type"]),
        (&json!("broken box.png"), &json!("image/png"))
    );
    assert_eq!(attachment["size"], PNG.len());
    let id = attachment["id"].as_str().unwrap().to_owned();
    // Sent again with the same client id: the same message, no second file.
    let (status, again) =
        upload(&app, &rosa, &rosa.token, "broken%20box.png", "image/png", PNG, Some("c-1")).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &sent["id"]));
    if let Some(files) = files_on_disk(&app) {
        assert_eq!(files, vec![id.clone()], "one file, named by its id");
    }
    let listed = app.messages(rosa.id, &rosa.token).await;
    let in_transcript =
        listed.iter().find(|m| m["id"] == sent["id"]).expect("the message is in the transcript");
    assert_eq!(in_transcript["attachment"], attachment);

    // Fetched by the contact and by the team, shown inline; nobody else gets it.
    let response = download(&app, &rosa, &id, Some(&rosa.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.headers()["content-disposition"], "inline; filename*=UTF-8''broken%20box.png");
    assert!(response.headers()["content-security-policy"].to_str().unwrap().starts_with("sandbox"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(download(&app, &rosa, &id, Some(&admin.token)).await.status(), StatusCode::OK);
    assert_eq!(download(&app, &stranger, &id, Some(&stranger.token)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(download(&app, &rosa, &id, Some(&stranger.token)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(download(&app, &rosa, &id, None).await.status(), StatusCode::UNAUTHORIZED);

    // Refused files change nothing (once the bot has answered the photo).
    app.bot_idle(rosa.id).await;
    let before = app.messages(rosa.id, &rosa.token).await.len();
    let big = vec![b'a'; 1025];
    let refusals = [
        ("big.txt", "text/plain", &big[..], StatusCode::PAYLOAD_TOO_LARGE),
        ("page.html", "text/html", &b"<script>alert(1)</script>"[..], StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("fake.png", "image/png", &b"<svg onload=alert(1)>"[..], StatusCode::UNPROCESSABLE_ENTITY),
        ("empty.txt", "text/plain", &b""[..], StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (name, content_type, bytes, expected) in refusals {
        let (status, problem) = upload(&app, &rosa, &rosa.token, name, content_type, bytes, None).await;
        assert_eq!(status, expected, "{name}: {problem}");
        assert!(problem["code"].is_string(), "problem+json: {problem}");
    }
    assert_eq!(app.messages(rosa.id, &rosa.token).await.len(), before);
    if let Some(files) = files_on_disk(&app) {
        assert_eq!(files, vec![id.clone()], "no file of a refused send stays");
    }

    // A team member sends a file only in a chat they hold.
    let (status, problem) =
        upload(&app, &rosa, &agent.token, "label.pdf", "application/pdf", b"%PDF-1.4", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("not_owner")), "{problem}");
    let handoff = app.ask_for_human(&rosa).await;
    let handoff_id = handoff["id"].as_str().unwrap();
    assert_eq!(act(&app, &agent, handoff_id, "claim").await.0, StatusCode::OK);
    let (status, label) =
        upload(&app, &rosa, &agent.token, "label.pdf", "application/pdf", b"%PDF-1.4", None).await;
    assert_eq!(status, StatusCode::CREATED, "{label}");
    assert_eq!(label["author"]["kind"], "user");
    let label_id = label["attachment"]["id"].as_str().unwrap().to_owned();
    let response = download(&app, &rosa, &label_id, Some(&rosa.token)).await;
    assert_eq!(response.headers()["content-disposition"], "attachment; filename*=UTF-8''label.pdf");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"%PDF-1.4");
    assert_eq!(act(&app, &agent, handoff_id, "close").await.0, StatusCode::OK);

    // Erasing the contact erases their files.
    let (_, page) = app.get("/v1/contacts?query=rosa", Some(&admin.token)).await;
    let contact = page["contacts"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) =
        app.request(Method::DELETE, &format!("/v1/contacts/{contact}"), Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(download(&app, &rosa, &id, Some(&admin.token)).await.status(), StatusCode::NOT_FOUND);
    if let Some(files) = files_on_disk(&app) {
        assert!(files.is_empty(), "{files:?}");
    }
}
