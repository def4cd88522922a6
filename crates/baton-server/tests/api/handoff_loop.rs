//! The handoff loop end to end: bot → human → bot, offline → lead → ticket, and the races.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(
    explicit_request_queue_claim_live_close_feedback,
    nobody_online_goes_offline_then_lead_makes_a_ticket,
    fifty_concurrent_claims_have_one_winner,
    repeated_bot_failures_hand_off,
    only_the_owner_replies_and_notes_stay_internal,
    takeover_silences_the_bot_until_close,
    requests_in_many_languages_hand_off_and_negations_do_not,
    triggers_record_why_with_a_summary_and_priority,
);

async fn explicit_request_queue_claim_live_close_feedback(app: TestApp) {
    let agent = app.online_agent("ana@example.com").await;
    let mut inbox = app.inbox_socket(&agent).await;
    let contact = app.start_conversation().await;
    let mut widget = app.contact_socket(&contact, 0).await;
    let greeting = widget.message_from("bot").await;
    assert_eq!(greeting["seq"], 1);

    // The bot answers what it knows.
    app.say(&contact, "How long does shipping take?").await;
    let answer = widget.message_from("bot").await;
    assert!(answer["text"].as_str().unwrap().contains("ship"), "{answer}");

    // An explicit request queues a handoff that every online user sees.
    app.say(&contact, "I want to talk to a human").await;
    let queued = widget.until("handoff.queued", |_| true).await;
    assert_eq!(queued["trigger"], "explicit_request");
    assert!(queued.get("reason").is_none(), "the reason is the team's, not the widget's: {queued}");
    let seen = inbox.until("handoff.queued", |_| true).await;
    assert_eq!(seen["id"], queued["id"]);
    assert!(seen["reason"].as_str().unwrap().contains("explicit request"), "{seen}");
    let waiting = widget.message_from("system").await;
    assert!(waiting["text"].as_str().unwrap().contains("connecting you"), "{waiting}");
    assert_eq!(app.conversation(&contact).await["state"], "queued");
    let (_, listed) = app.get("/v1/handoffs?state=queued", Some(&agent.token)).await;
    assert_eq!(listed["handoffs"].as_array().unwrap().len(), 1);
    assert_eq!(listed["handoffs"][0]["conversation_id"], contact.id.to_string());

    // The user claims it and they talk live, both ways.
    let handoff_id = queued["id"].as_str().unwrap().to_owned();
    let (status, claimed) =
        app.post(&format!("/v1/handoffs/{handoff_id}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["state"], "live");
    assert_eq!(claimed["assignee"]["name"], agent.name);
    let assigned = widget.until("handoff.assigned", |_| true).await;
    assert_eq!(assigned["assignee"], json!({"name": agent.name}), "the contact learns the name only");
    let joined = widget.message_from("system").await;
    assert!(joined["text"].as_str().unwrap().contains(&agent.name), "{joined}");
    assert_eq!(app.conversation(&contact).await["state"], "live");

    let (status, reply) = app
        .post(
            &format!("/v1/conversations/{}/messages", contact.id),
            Some(&agent.token),
            json!({"text": "Hi, I'm here to help."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let received = widget.message_from("user").await;
    assert_eq!(received["text"], "Hi, I'm here to help.");
    assert_eq!(received["author"]["name"], agent.name);

    app.say(&contact, "Thanks, my order is late").await;
    let relayed = inbox.until("message.created", |m| m["author"]["kind"] == "contact").await;
    assert_eq!(relayed["text"], "Thanks, my order is late");
    app.bot_idle(contact.id).await;
    let live_part: Vec<_> = app
        .messages(contact.id, &contact.token)
        .await
        .into_iter()
        .skip_while(|m| m["author"]["kind"] != "user")
        .collect();
    assert!(
        live_part.iter().all(|m| m["author"]["kind"] != "bot"),
        "the bot spoke during a live chat: {live_part:?}"
    );
    let (_, handoff) = app.get(&format!("/v1/handoffs/{handoff_id}"), Some(&agent.token)).await;
    assert!(handoff["first_response_at"].is_i64(), "{handoff}");

    // Closing returns the conversation to the bot, which asks for feedback.
    let (status, closed) =
        app.post(&format!("/v1/handoffs/{handoff_id}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["state"], "closed");
    widget.until("handoff.closed", |_| true).await;
    widget.until("conversation.returned_to_bot", |_| true).await;
    widget.until("feedback.requested", |d| d["handoff_id"] == handoff_id.as_str()).await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "bot");
    assert_eq!(conversation["owner"]["kind"], "bot");
    // A note sums up the human part for whoever reads the conversation next; contacts never see it.
    let notes: Vec<String> = app
        .messages(contact.id, &agent.token)
        .await
        .into_iter()
        .filter(|m| m["note"] == true)
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let expected = format!(
        "Handled by {} for under a minute: 1 reply from the team, 1 message from the contact.",
        agent.name
    );
    assert!(notes[0].starts_with(&expected), "{}", notes[0]);
    assert!(notes[0].contains("Thanks, my order is late"), "{}", notes[0]);
    assert!(app.messages(contact.id, &contact.token).await.iter().all(|m| m["note"] == false));
    assert_eq!(conversation["feedback_pending"], true);

    app.say(&contact, "what about returns?").await;
    let resumed = widget
        .until("message.created", |m| {
            m["author"]["kind"] == "bot" && m["text"].as_str().unwrap().contains("return")
        })
        .await;
    assert!(resumed["text"].as_str().unwrap().contains("30 days"), "{resumed}");

    let feedback_path = format!("/v1/conversations/{}/feedback", contact.id);
    let (status, rated) = app
        .post(&feedback_path, Some(&contact.token), json!({"rating": 5, "comment": "quick and kind"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{rated}");
    widget.until("feedback.received", |d| d["rating"] == 5).await;
    let (_, stored) = app.get(&format!("/v1/handoffs/{handoff_id}"), Some(&agent.token)).await;
    assert_eq!(stored["rating"], 5);
    assert_eq!(stored["comment"], "quick and kind");
    let (status, again) = app.post(&feedback_path, Some(&contact.token), json!({"rating": 1})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["code"], "feedback_not_pending");
    assert_eq!(app.conversation(&contact).await["feedback_pending"], false);
    app.shutdown().await;
}

async fn nobody_online_goes_offline_then_lead_makes_a_ticket(app: TestApp) {
    let agent = app.agent("away@example.com", Role::Agent).await;
    let contact = app.start_conversation().await;
    let mut widget = app.contact_socket(&contact, 0).await;
    app.say(&contact, "agente por favor").await;
    let offline = widget.until("handoff.offline", |_| true).await;
    assert_eq!(offline["state"], "offline");
    let texts: Vec<String> = [widget.message_from("system").await, widget.message_from("system").await]
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    // Asked in Spanish, so told in Spanish.
    let spanish = baton_core::catalog::messages("es");
    assert_eq!(texts, [spanish.offline, spanish.lead_prompt.clone()]);

    let lead_path = format!("/v1/conversations/{}/lead", contact.id);
    let before = app.messages(contact.id, &contact.token).await.len();
    let (status, problem) =
        app.post(&lead_path, Some(&contact.token), json!({"email": "ana@", "name": "Ana"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("email"), "{problem}");
    let unchanged = app.conversation(&contact).await;
    assert_eq!(unchanged["state"], "offline");
    assert!(unchanged["handoff"]["lead"].is_null());
    assert_eq!(app.messages(contact.id, &contact.token).await.len(), before);

    let (status, ticket) = app
        .post(
            &lead_path,
            Some(&contact.token),
            json!({"email": "ana@example.com", "name": "Ana", "message": "call me"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ticket}");
    assert_eq!(ticket["state"], "ticket");
    widget.until("lead.captured", |d| d["lead"]["email"] == "ana@example.com").await;
    let thanks = widget.message_from("system").await;
    assert_eq!(thanks["text"], spanish.lead_success.as_str(), "{thanks}");

    let (_, tickets) = app.get("/v1/handoffs?state=ticket", Some(&agent.token)).await;
    let tickets = tickets["handoffs"].as_array().unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["lead"]["name"], "Ana");
    assert_eq!(tickets[0]["lead"]["message"], "call me");
    let (status, again) =
        app.post(&lead_path, Some(&contact.token), json!({"email": "ana@example.com"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    // A user closes the ticket once followed up; the conversation stays with the bot.
    let id = tickets[0]["id"].as_str().unwrap();
    let (status, closed) = app.post(&format!("/v1/handoffs/{id}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(app.conversation(&contact).await["state"], "bot");
    app.shutdown().await;
}

async fn fifty_concurrent_claims_have_one_winner(app: TestApp) {
    let mut agents = Vec::new();
    for n in 0..50 {
        agents.push(app.online_agent(&format!("agent{n}@example.com")).await);
    }
    let contact = app.start_conversation().await;
    let (status, handoff) =
        app.post(&format!("/v1/conversations/{}/handoff", contact.id), Some(&contact.token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{handoff}");
    assert_eq!(handoff["state"], "queued");
    let path = format!("/v1/handoffs/{}/claim", handoff["id"].as_str().unwrap());
    let claims = agents.iter().map(|agent| {
        let request = app.client.post(format!("{}{path}", app.base)).bearer_auth(&agent.token).send();
        async move {
            let response = request.await.unwrap();
            (agent.id.clone(), response.status(), response.json::<serde_json::Value>().await.unwrap())
        }
    });
    let results = futures_util::future::join_all(claims).await;
    let winners: Vec<_> = results.iter().filter(|(_, status, _)| *status == StatusCode::OK).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for (_, status, body) in results.iter().filter(|(_, status, _)| *status != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "already_assigned", "{body}");
        assert_eq!(body["status"], 409);
    }
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["handoff"]["assignee"]["id"].as_str().unwrap(), winners[0].0);
    let joined: Vec<_> = app
        .messages(contact.id, &contact.token)
        .await
        .into_iter()
        .filter(|m| m["author"]["kind"] == "system" && m["text"].as_str().unwrap().contains("joined"))
        .collect();
    assert_eq!(joined.len(), 1, "exactly one user joined: {joined:?}");
    app.shutdown().await;
}

async fn repeated_bot_failures_hand_off(app: TestApp) {
    let contact = app.start_conversation().await;
    let mut widget = app.contact_socket(&contact, 0).await;
    app.say(&contact, "Can you translate a poem into Latin?").await;
    let first = widget.message_from("bot").await;
    let first = if first["seq"] == 1 { widget.message_from("bot").await } else { first };
    assert!(first["text"].as_str().unwrap().contains("can't help"), "{first}");
    assert_eq!(app.conversation(&contact).await["state"], "bot");
    app.say(&contact, "What is the airspeed of a swallow?").await;
    let handoff = widget.until("handoff.requested", |_| true).await;
    assert_eq!(handoff["trigger"], "bot_failure");
    let handoff = &app.conversation(&contact).await["handoff"];
    assert!(handoff["reason"].as_str().unwrap().contains("2 times"), "{handoff}");
    assert_eq!(app.conversation(&contact).await["state"], "offline");
    app.shutdown().await;
}

async fn only_the_owner_replies_and_notes_stay_internal(app: TestApp) {
    let owner = app.online_agent("owner@example.com").await;
    let other = app.online_agent("other@example.com").await;
    let contact = app.start_conversation().await;
    let send = |token: String, text: &'static str| {
        let path = format!("/v1/conversations/{}/messages", contact.id);
        let app = &app;
        async move { app.post(&path, Some(&token), json!({"text": text})).await }
    };
    let (status, problem) = send(owner.token.clone(), "before claiming").await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "not_owner");

    let (_, handoff) =
        app.post(&format!("/v1/conversations/{}/handoff", contact.id), Some(&contact.token), json!({})).await;
    let id = handoff["id"].as_str().unwrap();
    assert_eq!(
        app.post(&format!("/v1/handoffs/{id}/claim"), Some(&owner.token), json!({})).await.0,
        StatusCode::OK
    );
    let (status, again) = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&owner.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "claiming twice is harmless: {again}");
    assert_eq!(send(owner.token.clone(), "from the owner").await.0, StatusCode::CREATED);
    assert_eq!(send(other.token.clone(), "from someone else").await.0, StatusCode::CONFLICT);
    let (status, problem) =
        app.post(&format!("/v1/handoffs/{id}/close"), Some(&other.token), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "not_assignee");

    let (status, note) = app
        .post(
            &format!("/v1/conversations/{}/notes", contact.id),
            Some(&other.token),
            json!({"text": "VIP customer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["note"], true);
    let seen_by_contact = app.messages(contact.id, &contact.token).await;
    assert!(seen_by_contact.iter().all(|m| m["text"] != "VIP customer"), "{seen_by_contact:?}");
    let seen_by_users = app.messages(contact.id, &owner.token).await;
    assert!(seen_by_users.iter().any(|m| m["text"] == "VIP customer" && m["note"] == true));
    let (status, problem) = app
        .post(&format!("/v1/conversations/{}/notes", contact.id), Some(&contact.token), json!({"text": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a contact cannot write notes: {problem}");
    app.shutdown().await;
}

async fn takeover_silences_the_bot_until_close(app: TestApp) {
    let agent = app.online_agent("lead@example.com").await;
    let contact = app.start_conversation().await;
    let (status, handoff) =
        app.post(&format!("/v1/conversations/{}/takeover", contact.id), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{handoff}");
    assert_eq!(handoff["trigger"], "manual_takeover");
    assert_eq!(handoff["state"], "live");
    app.say(&contact, "how long does shipping take?").await;
    app.bot_idle(contact.id).await;
    let messages = app.messages(contact.id, &contact.token).await;
    assert!(messages.iter().skip(1).all(|m| m["author"]["kind"] != "bot"), "{messages:?}");
    let id = handoff["id"].as_str().unwrap();
    let (status, closed) = app.post(&format!("/v1/handoffs/{id}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    app.say(&contact, "how long does shipping take?").await;
    app.bot_idle(contact.id).await;
    let last = app.messages(contact.id, &contact.token).await.pop().unwrap();
    assert_eq!(last["author"]["kind"], "bot");
    assert!(last["text"].as_str().unwrap().contains("ship"), "{last}");
    app.shutdown().await;
}

async fn requests_in_many_languages_hand_off_and_negations_do_not(app: TestApp) {
    let requests = [
        ("I want to talk to a human", "en"),
        ("quiero hablar con una persona, por favor", "es"),
        ("je veux parler à quelqu'un", "fr"),
        ("Ich möchte mit einem Mitarbeiter sprechen", "de"),
        ("quero falar com um atendente", "pt"),
        ("vorrei parlare con un operatore", "it"),
        ("ik wil een medewerker spreken", "nl"),
    ];
    for (text, language) in requests {
        let contact = app.start_conversation().await;
        app.say(&contact, text).await;
        app.bot_idle(contact.id).await;
        let conversation = app.conversation(&contact).await;
        assert_eq!(conversation["state"], "offline", "{text}: {conversation}");
        let reason = conversation["handoff"]["reason"].as_str().unwrap();
        assert!(reason.ends_with(&format!("({language})")), "{text}: {reason}");
        assert_eq!(conversation["handoff"]["trigger"], "explicit_request");
        // The contact is answered in their own language.
        assert_eq!(conversation["handoff"]["language"], language, "{text}");
        let offline = baton_core::catalog::messages(language).offline;
        let said = app.messages(contact.id, &contact.token).await;
        assert!(
            said.iter().any(|m| m["author"]["kind"] == "system" && m["text"] == offline.as_str()),
            "{text}: {said:?}"
        );
    }
    // A locale from the widget fixes the language, whatever the contact writes in.
    let (status, created) = app.post("/v1/conversations", None, json!({"locale": "de-AT"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let contact = crate::helpers::Contact {
        id: created["id"].as_str().unwrap().parse().unwrap(),
        token: created["token"].as_str().unwrap().to_owned(),
    };
    app.say(&contact, "I want to talk to a human").await;
    app.bot_idle(contact.id).await;
    let said = app.messages(contact.id, &contact.token).await;
    let offline = baton_core::catalog::messages("de").offline;
    assert!(said.iter().any(|m| m["text"] == offline.as_str()), "{said:?}");
    for text in ["I don't need a human, thanks", "no quiero hablar con un agente", "never mind", "ok thanks"]
    {
        let contact = app.start_conversation().await;
        app.say(&contact, text).await;
        app.bot_idle(contact.id).await;
        let conversation = app.conversation(&contact).await;
        assert_eq!(conversation["state"], "bot", "{text}: {conversation}");
        let last = app.messages(contact.id, &contact.token).await.pop().unwrap();
        assert_eq!(last["author"]["kind"], "bot", "the bot answered {text:?} itself");
    }
    app.shutdown().await;
}

async fn triggers_record_why_with_a_summary_and_priority(app: TestApp) {
    let angry = app.start_conversation().await;
    app.say(&angry, "where is my order?").await;
    app.say(&angry, "THIS IS USELESS!!! I have been waiting for days and nobody answers").await;
    app.bot_idle(angry.id).await;
    let handoff = app.conversation(&angry).await["handoff"].clone();
    assert_eq!(handoff["trigger"], "frustration", "{handoff}");
    assert!(handoff["reason"].as_str().unwrap().starts_with("frustration 0."), "{handoff}");
    assert!(handoff["frustration"].as_f64().unwrap() >= 0.6, "{handoff}");
    assert!(!handoff["signals"].as_array().unwrap().is_empty(), "{handoff}");
    let summary = handoff["summary"].as_str().unwrap();
    assert!(summary.contains("where is my order?") && summary.contains("Mood: calm →"), "{summary}");
    assert!(matches!(handoff["priority"].as_str().unwrap(), "high" | "urgent"), "{handoff}");

    let legal = app.start_conversation().await;
    app.say(&legal, "My lawyer will be in touch about this").await;
    app.bot_idle(legal.id).await;
    let handoff = app.conversation(&legal).await["handoff"].clone();
    assert_eq!(handoff["trigger"], "forbidden_topic", "{handoff}");
    assert_eq!(handoff["topic"], "legal");
    // A legal threat is also strong frustration, which makes it urgent rather than just high.
    assert_eq!(handoff["priority"], "urgent", "{handoff}");
    assert_eq!(handoff["signals"][0]["name"], "forbidden_topic");
    app.shutdown().await;
}
