//! Leaving the queue without losing one's place: a waiting customer leaves an email address,
//! closes the chat, and the team's answer reaches them by mail (the real SMTP server of the
//! email tests).

use reqwest::StatusCode;
use serde_json::json;

use crate::email::{address, mailing, wait_for_mail};
use crate::helpers::TestApp;

crate::email::with_smtp!(a_waiting_customer_chooses_email_keeps_their_place_and_gets_the_answer);

async fn a_waiting_customer_chooses_email_keeps_their_place_and_gets_the_answer(app: TestApp) {
    let ana = app.online_agent(&address(&app, "ana")).await;
    let first = app.open_conversation(json!({"contact": {"name": "Yann"}})).await;
    app.ask_for_human(&first).await;
    let zoe = app.open_conversation(json!({"contact": {"name": "Zoe"}})).await;
    let handoff = app.ask_for_human(&zoe).await;
    let id = handoff["id"].as_str().unwrap().to_owned();
    let place = app.contact_view(&zoe).await["queue"]["position"].clone();
    assert_eq!(place, 2, "behind Yann");

    // Only the contact chooses, with a real address.
    let customer = address(&app, "zoe");
    let path = format!("/v1/conversations/{}/follow-up", zoe.id);
    let (status, problem) = app.post(&path, Some(&ana.token), json!({"email": customer})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, problem) = app.post(&path, Some(&zoe.token), json!({"email": "zoe-at-example"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let body = json!({"email": customer, "message": "Where is my refund?"});
    let (status, chosen) = app.post(&path, Some(&zoe.token), body).await;
    assert_eq!(status, StatusCode::OK, "{chosen}");
    assert_eq!(chosen["lead"]["email"], customer.as_str());
    assert!(matches!(chosen["state"].as_str(), Some("queued" | "offered")), "{chosen}");

    // The same place in the same queue, and told so in the chat.
    let view = app.contact_view(&zoe).await;
    assert_eq!(view["queue"]["position"], place, "{view}");
    let said = app.messages(zoe.id, &zoe.token).await;
    assert!(said.last().unwrap()["text"].as_str().unwrap().contains("email"), "{said:#?}");

    // Ana takes it in turn and answers; Zoe has closed the chat, so the answer is mailed.
    let (status, claimed) = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!((status, claimed["state"].as_str()), (StatusCode::OK, Some("live")), "{claimed}");
    let reply = json!({"text": "Your refund went out this morning."});
    let (status, body) =
        app.post(&format!("/v1/conversations/{}/messages", zoe.id), Some(&ana.token), reply).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mail = wait_for_mail(&app, &customer, 1).await;
    assert!(mail[0].text.starts_with("Your refund went out this morning."), "{}", mail[0].text);
    assert!(mail[0].text.contains("Where is my refund?"), "{}", mail[0].text);

    // Once someone has the chat, there is no queue to leave.
    let (status, problem) = app.post(&path, Some(&zoe.token), json!({"email": customer})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "not_waiting");
    app.shutdown().await;
}
