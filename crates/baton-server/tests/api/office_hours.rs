//! Office hours: outside a bot's schedule a handoff goes offline even with someone online, the
//! widget is told when the team is back, a handoff waiting when the hours close gets the
//! fallback, and a team's own hours decide when its members are on duty. The clock is set to
//! the moments that matter.

use baton_core::time::Timestamp;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Contact, TestApp};
use crate::routing::act;
use crate::waiting::{system_lines, told_offline};

crate::on_both_backends!(
    settings = crate::helpers::steady_presence;
    a_split_shift_with_a_holiday_decides_when_humans_answer,
    a_team_is_on_duty_only_within_its_own_hours,
);

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Berlin wall-clock time on a date in November or December 2026, when Berlin is on winter
/// time (UTC+1).
fn berlin(month: i64, day: i64, hour: i64, minute: i64) -> Timestamp {
    assert!(month >= 11, "summer time is not handled here");
    let minutes = (days_from_civil(2026, month, day) * 24 + hour - 1) * 60 + minute;
    Timestamp::from_millis(minutes * 60_000)
}

async fn availability(app: &TestApp, contact: &Contact) -> Value {
    app.conversation(contact).await["availability"].clone()
}

async fn a_split_shift_with_a_holiday_decides_when_humans_answer(app: TestApp) {
    assert_eq!(berlin(11, 25, 14, 0).as_millis(), 1_795_611_600_000, "13:00 UTC");
    let split = json!([{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}]);
    let bot = app
        .bot_with_policy(json!({
            "schedule": {
                "timezone": "Europe/Berlin",
                "weekly": {"monday": split, "tuesday": split, "wednesday": split, "thursday": split, "friday": split},
                "holidays": ["2026-12-24"],
            },
            // No no-accept timeout: only the office hours send a waiting handoff offline here.
            "waiting": {"timeout_seconds": 0},
        }))
        .await;
    let agent = app.online_agent("ana@example.com").await;

    // Wednesday's lunch break: someone is online, but the team is not open.
    app.at(berlin(11, 25, 12, 30)).await;
    let lunch = app.conversation_with(&bot).await;
    let available = availability(&app, &lunch).await;
    assert_eq!(available["humans_available"], false, "{available}");
    assert_eq!(available["next_open_at"], berlin(11, 25, 14, 0).as_millis(), "{available}");
    assert!(available["expected_reply_seconds"].is_null(), "{available}");
    let handoff = app.ask_for_human(&lunch).await;
    assert_eq!(handoff["state"], "offline", "{handoff}");
    assert!(told_offline(&app, &lunch).await, "{:?}", system_lines(&app, &lunch).await);

    // Back after lunch.
    app.at(berlin(11, 25, 14, 5)).await;
    let afternoon = app.conversation_with(&bot).await;
    let available = availability(&app, &afternoon).await;
    assert_eq!(available["humans_available"], true, "{available}");
    assert!(available["next_open_at"].is_null(), "{available}");
    assert_eq!(available["expected_reply_seconds"], 120, "{available}");
    let handoff = app.ask_for_human(&afternoon).await;
    assert_eq!(handoff["state"], "queued", "{handoff}");
    let id = handoff["id"].as_str().unwrap();
    for action in ["claim", "close"] {
        let (status, body) = act(&app, &agent, id, action).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    // Thursday: queued five minutes before the lunch break, offline when it starts.
    app.at(berlin(11, 26, 11, 55)).await;
    let late = app.conversation_with(&bot).await;
    assert_eq!(app.ask_for_human(&late).await["state"], "queued");
    app.at(berlin(11, 26, 11, 59)).await;
    assert_eq!(app.conversation(&late).await["state"], "queued", "still open at 11:59");
    app.at(berlin(11, 26, 12, 1)).await;
    let conversation = app.conversation(&late).await;
    assert_eq!(conversation["state"], "offline", "the hours closed at 12:00: {conversation}");
    assert_eq!(conversation["availability"]["next_open_at"], berlin(11, 26, 14, 0).as_millis());
    assert!(told_offline(&app, &late).await, "{:?}", system_lines(&app, &late).await);

    // Christmas Eve is a holiday, though a Thursday: back on Christmas morning.
    app.at(berlin(12, 24, 10, 0)).await;
    let eve = app.conversation_with(&bot).await;
    let available = availability(&app, &eve).await;
    assert_eq!(available["humans_available"], false, "{available}");
    assert_eq!(available["next_open_at"], berlin(12, 25, 9, 0).as_millis(), "{available}");
    assert_eq!(app.ask_for_human(&eve).await["state"], "offline");
    app.shutdown().await;
}

async fn a_team_is_on_duty_only_within_its_own_hours(app: TestApp) {
    let admin = app.agent("admin@example.com", baton_core::user::Role::Admin).await;
    let owl = app.online_agent("owl@example.com").await;
    let night = json!([{"start": "22:00", "end": "06:00"}]);
    let week: serde_json::Map<String, Value> =
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
            .into_iter()
            .map(|day| (day.to_owned(), night.clone()))
            .collect();
    let settings = json!({"schedule": {"timezone": "Europe/Berlin", "weekly": week}});
    let (status, team) = app
        .post(
            "/v1/teams",
            Some(&admin.token),
            json!({"name": "night", "settings": settings, "members": [owl.id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let bot = app
        .bot_with_policy(json!({
            "assignment": {"targets": {"*": ["team:night"]}},
            "waiting": {"timeout_seconds": 0},
        }))
        .await;

    app.at(berlin(11, 26, 12, 0)).await;
    let noon = app.conversation_with(&bot).await;
    let available = availability(&app, &noon).await;
    assert_eq!(available["humans_available"], false, "its only member's team is closed: {available}");
    assert_eq!(available["next_open_at"], berlin(11, 26, 22, 0).as_millis(), "{available}");
    assert_eq!(app.ask_for_human(&noon).await["state"], "offline");

    app.at(berlin(11, 26, 22, 30)).await;
    let evening = app.conversation_with(&bot).await;
    assert_eq!(availability(&app, &evening).await["humans_available"], true);
    assert_eq!(app.ask_for_human(&evening).await["state"], "queued");

    // The team goes home at 06:00; the handoff still waiting gets the fallback.
    app.at(berlin(11, 27, 5, 59)).await;
    assert_eq!(app.conversation(&evening).await["state"], "queued");
    app.at(berlin(11, 27, 6, 1)).await;
    assert_eq!(app.conversation(&evening).await["state"], "offline");
    assert!(told_offline(&app, &evening).await, "{:?}", system_lines(&app, &evening).await);
    app.shutdown().await;
}
