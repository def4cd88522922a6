//! Teams, what routing reads of users and handoffs, and the move of the old `users.team`.

use baton_core::event::QueuePlaceChanged;
use baton_core::ids::TeamId;
use baton_core::routing::Strategy;
use baton_core::team::TeamSettings;
use baton_core::user::User;

use super::*;

fn at(millis: i64) -> Timestamp {
    NOW.plus_millis(millis)
}

async fn add_user(store: &SqlStore, email: &str, created_at: Timestamp, team: Option<&str>) -> User {
    let user = NewUser {
        id: new_id(),
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role: Role::Agent,
        password_hash: "hash".into(),
        team: team.map(Into::into),
        created_at,
    };
    store.create_user(user).await.unwrap()
}

fn team(name: &str, members: Vec<UserId>) -> Team {
    Team { id: new_id(), name: name.into(), settings: TeamSettings::default(), members, created_at: NOW }
}

pub(crate) async fn teams_are_created_edited_and_deleted(store: Arc<SqlStore>) {
    let ana = add_user(&store, "ana@example.com", at(0), None).await;
    let bob = add_user(&store, "bob@example.com", at(1), None).await;
    let mut sorted = vec![ana.id, bob.id];
    sorted.sort();

    let sales = team("Sales", vec![bob.id, ana.id, bob.id]);
    store.create_team(&sales).await.unwrap();
    let stored = store.team(sales.id).await.unwrap().unwrap();
    assert_eq!(stored, Team { members: sorted.clone(), ..sales.clone() }, "members sorted, once each");
    assert_eq!(store.team_by_name("Sales").await.unwrap(), Some(stored.clone()));
    assert_eq!(store.team_by_name("Nobody").await.unwrap(), None);
    assert_eq!(store.team(new_id()).await.unwrap(), None);

    let taken = store.create_team(&team("Sales", vec![])).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    let ghost = store.create_team(&team("Ghosts", vec![ana.id, new_id()])).await;
    assert!(matches!(ghost, Err(StoreError::NotFound)), "{ghost:?}");
    assert_eq!(store.team_by_name("Ghosts").await.unwrap(), None, "nothing of it is kept");

    let ops = team("Ops", vec![]);
    store.create_team(&ops).await.unwrap();
    let names = |teams: Vec<Team>| teams.into_iter().map(|t| t.name).collect::<Vec<_>>();
    assert_eq!(names(store.teams().await.unwrap()), ["Ops", "Sales"]);
    assert_eq!(store.teams().await.unwrap()[1].members, sorted, "every team's members, read at once");

    let settings = TeamSettings {
        strategy: Some(Strategy::RoundRobin),
        first_response_sla_seconds: Some(120),
        ..TeamSettings::default()
    };
    let renamed = store.update_team(sales.id, "Vertrieb", &settings).await.unwrap().unwrap();
    assert_eq!(
        (renamed.name.as_str(), &renamed.settings, &renamed.members),
        ("Vertrieb", &settings, &sorted)
    );
    assert_eq!(store.team(sales.id).await.unwrap(), Some(renamed.clone()));
    let clash = store.update_team(sales.id, "Ops", &settings).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    assert_eq!(store.update_team(new_id(), "X", &settings).await.unwrap(), None);

    let only_ana = store.set_team_members(sales.id, &[ana.id]).await.unwrap().unwrap();
    assert_eq!(only_ana, Team { members: vec![ana.id], ..renamed.clone() });
    let bad = store.set_team_members(sales.id, &[bob.id, new_id()]).await;
    assert!(matches!(bad, Err(StoreError::NotFound)), "{bad:?}");
    assert_eq!(store.team(sales.id).await.unwrap().unwrap().members, vec![ana.id], "nothing changed");
    assert_eq!(store.set_team_members(new_id(), &[ana.id]).await.unwrap(), None);
    store.set_team_members(ops.id, &[ana.id, bob.id]).await.unwrap().unwrap();
    assert_eq!(store.user(ana.id).await.unwrap().unwrap().teams, ["Ops", "Vertrieb"]);

    assert!(store.delete_team(sales.id).await.unwrap());
    assert!(!store.delete_team(sales.id).await.unwrap());
    assert_eq!(store.team(sales.id).await.unwrap(), None);
    assert_eq!(store.user(ana.id).await.unwrap().unwrap().teams, ["Ops"], "its memberships went with it");
    let roster = store.roster().await.unwrap();
    assert!(roster.iter().all(|entry| entry.team_ids == [ops.id]), "{roster:?}");
    // The name is free again, and the new team starts without the old one's members.
    let again = team("Vertrieb", vec![]);
    store.create_team(&again).await.unwrap();
    assert_eq!(store.team(again.id).await.unwrap().unwrap().members, vec![]);
}

pub(crate) async fn users_carry_teams_languages_and_capacity(store: Arc<SqlStore>) {
    let ana = add_user(&store, "ana@example.com", at(0), Some("Support")).await;
    assert_eq!(
        (ana.teams.clone(), ana.languages.clone(), ana.capacity),
        (vec!["Support".into()], vec![], None)
    );
    let support = store.team_by_name("Support").await.unwrap().expect("created with its first member");
    assert_eq!(
        (support.members, support.settings, support.created_at),
        (vec![ana.id], TeamSettings::default(), at(0))
    );
    let bob = add_user(&store, "bob@example.com", at(1), Some("Support")).await;
    let joined = store.team_by_name("Support").await.unwrap().unwrap();
    assert_eq!(joined.id, support.id, "a second user joins the team that exists");
    assert_eq!(joined.members.len(), 2);
    assert_eq!(store.teams().await.unwrap().len(), 1);
    let taken = store.create_user(NewUser {
        id: new_id(),
        email: "ana@example.com".into(),
        name: "Ana".into(),
        role: Role::Agent,
        password_hash: "hash".into(),
        team: Some("Refused".into()),
        created_at: NOW,
    });
    assert!(matches!(taken.await, Err(StoreError::Conflict(_))));
    assert_eq!(store.team_by_name("Refused").await.unwrap(), None, "a refused user creates no team");

    store.create_team(&team("Alpha", vec![ana.id])).await.unwrap();
    let languages = vec!["de".to_owned(), "en".to_owned()];
    let routed = store.set_user_routing(ana.id, &languages, Some(3)).await.unwrap().unwrap();
    let expected =
        User { teams: vec!["Alpha".into(), "Support".into()], languages, capacity: Some(3), ..ana };
    assert_eq!(routed, expected);
    assert_eq!(store.set_user_routing(new_id(), &[], None).await.unwrap(), None);

    assert_eq!(store.user(ana.id).await.unwrap().unwrap(), expected);
    assert_eq!(store.user_credentials("ana@example.com").await.unwrap().unwrap().0, expected);
    assert!(store.create_session("token", ana.id, NOW, "hash").await.unwrap());
    assert_eq!(store.session_user("token", NOW, crate::RULES).await.unwrap().unwrap(), expected);
    let online = store.set_user_status(ana.id, Presence::Online, NOW).await.unwrap();
    let expected = User { status: Presence::Online, ..expected };
    assert_eq!(online, expected);
    assert_eq!(store.users_with_status(Presence::Online).await.unwrap(), std::slice::from_ref(&expected));
    let away = store.set_auto_away(ana.id, NOW).await.unwrap().unwrap();
    assert_eq!(away, User { status: Presence::Away, ..expected.clone() });
    assert_eq!(store.return_from_auto_away(ana.id, NOW).await.unwrap().unwrap(), expected);

    let unlimited = store.set_user_routing(ana.id, &[], None).await.unwrap().unwrap();
    assert_eq!((unlimited.languages, unlimited.capacity), (vec![], None));
    let users = store.users().await.unwrap();
    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [ana.id, bob.id], "oldest first");
    assert_eq!(users[0].teams, ["Alpha", "Support"]);
    assert_eq!(users[1].teams, ["Support"]);

    // The first users of a new name race to create its team: one does, the others join it.
    let joins = (0..6).map(|n| {
        let store = store.clone();
        tokio::spawn(
            async move { add_user(&store, &format!("crowd{n}@example.com"), NOW, Some("Crowd")).await },
        )
    });
    for join in joins.collect::<Vec<_>>() {
        assert_eq!(join.await.unwrap().teams, ["Crowd"]);
    }
    assert_eq!(store.team_by_name("Crowd").await.unwrap().unwrap().members.len(), 6);
}

pub(crate) async fn roster_carries_team_ids_and_last_assignment(store: Arc<SqlStore>) {
    let late = add_user(&store, "late@example.com", at(5), None).await;
    let early = add_user(&store, "early@example.com", at(1), None).await;
    let loner = add_user(&store, "loner@example.com", at(9), None).await;
    let (one, two) = (team("One", vec![late.id, early.id]), team("Two", vec![late.id]));
    store.create_team(&one).await.unwrap();
    store.create_team(&two).await.unwrap();
    store.set_user_routing(early.id, &["fr".to_owned()], Some(2)).await.unwrap();
    store.set_last_assigned(late.id, at(100)).await.unwrap();
    store.set_last_assigned(late.id, at(200)).await.unwrap();
    store.set_last_assigned(new_id(), at(300)).await.unwrap();

    let roster = store.roster().await.unwrap();
    let ids: Vec<UserId> = roster.iter().map(|entry| entry.user.id).collect();
    assert_eq!(ids, [early.id, late.id, loner.id], "oldest first");
    let mut both: Vec<TeamId> = vec![one.id, two.id];
    both.sort();
    assert_eq!(roster[1].team_ids, both);
    assert_eq!(roster[1].user.teams, ["One", "Two"]);
    assert_eq!(roster[1].last_assigned_at, Some(at(200)));
    assert_eq!(roster[0].team_ids, [one.id]);
    assert_eq!((roster[0].user.languages.clone(), roster[0].user.capacity), (vec!["fr".into()], Some(2)));
    assert_eq!(roster[0].last_assigned_at, None);
    assert_eq!((roster[2].team_ids.clone(), roster[2].user.teams.clone()), (vec![], vec![]));
}

pub(crate) async fn open_handoffs_carry_their_bot(store: Arc<SqlStore>) {
    let (first, second, third) =
        (conversation(&store).await, conversation(&store).await, conversation(&store).await);
    let bot_of = async |conv| store.conversation(conv).await.unwrap().unwrap().bot_id;
    let (a, b, c) = (queued_handoff(first), queued_handoff(second), queued_handoff(third));
    for handoff in [&a, &b, &c] {
        store.save_handoff(change(handoff.clone(), None)).await.unwrap();
    }
    let closed =
        b.apply(Command::Close { by: new_id(), as_admin: true, request_feedback: false }, NOW).unwrap();
    store.save_handoff(change(closed.handoff, Some(1))).await.unwrap();

    let open = store.open_handoffs().await.unwrap();
    let found: Vec<(HandoffId, BotId, i64)> =
        open.iter().map(|o| (o.handoff.value.id, o.bot_id, o.handoff.version)).collect();
    assert_eq!(
        found,
        [(a.id, bot_of(first).await, 1), (c.id, bot_of(third).await, 1)],
        "closed ones left out"
    );
    assert_eq!(open[0].handoff.value, a);

    // What changed since an earlier read: ids and versions, then only those handoffs.
    let mut versions = store.open_handoff_versions().await.unwrap();
    versions.sort();
    let mut expected = vec![(a.id, 1), (c.id, 1)];
    expected.sort();
    assert_eq!(versions, expected, "the versions of the open ones");
    let among = store.open_handoffs_among(&[a.id, b.id, new_id()]).await.unwrap();
    let found: Vec<(HandoffId, BotId)> = among.iter().map(|o| (o.handoff.value.id, o.bot_id)).collect();
    assert_eq!(found, [(a.id, bot_of(first).await)], "closed and unknown ids left out");
    assert_eq!(among[0].handoff.value, a);
    assert!(store.open_handoffs_among(&[]).await.unwrap().is_empty());
}

pub(crate) async fn recent_assignments_are_newest_first(store: Arc<SqlStore>) {
    let claim = |handoff: &Handoff, when: Timestamp| {
        let user = UserRef { id: new_id(), name: "u".into() };
        handoff.apply(Command::Claim { user }, when).unwrap().handoff
    };
    let mut ids = Vec::new();
    for (n, when) in [at(20), at(10), at(30)].into_iter().enumerate() {
        let queued = queued_handoff(conversation(&store).await);
        store.save_handoff(change(queued.clone(), None)).await.unwrap();
        let claimed = claim(&queued, when);
        assert_eq!(claimed.assigned_at, Some(when));
        store.save_handoff(change(claimed.clone(), Some(1))).await.unwrap();
        if n == 0 {
            // Closed handoffs were assigned too, and still tell how long a wait was.
            let closed = claimed
                .apply(Command::Close { by: new_id(), as_admin: true, request_feedback: false }, at(40));
            store.save_handoff(change(closed.unwrap().handoff, Some(2))).await.unwrap();
        }
        ids.push(queued.id);
    }
    let never = queued_handoff(conversation(&store).await);
    store.save_handoff(change(never, None)).await.unwrap();
    let mut assigned_at_insert = queued_handoff(conversation(&store).await);
    assigned_at_insert.assigned_at = Some(at(5));
    store.save_handoff(change(assigned_at_insert.clone(), None)).await.unwrap();

    let recent = |limit| {
        let store = store.clone();
        async move { store.recent_assignments(limit).await.unwrap().into_iter().map(|h| h.id).collect::<Vec<_>>() }
    };
    assert_eq!(recent(10).await, [ids[2], ids[0], ids[1], assigned_at_insert.id], "unassigned ones left out");
    assert_eq!(recent(2).await, [ids[2], ids[0]]);
}

pub(crate) async fn recorded_events_wait_in_the_outbox(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let handoff = queued_handoff(conv);
    let already = store.outbox_head().await.unwrap();
    store.record_events(vec![]).await.unwrap();
    assert_eq!(store.outbox_head().await.unwrap(), already, "nothing recorded");
    let event = |position: usize| {
        let place =
            QueuePlaceChanged { conversation_id: conv, handoff_id: handoff.id, position, eta_seconds: 60 };
        NewEvent::new(Event::HandoffQueueUpdated(place), at(position as i64))
    };
    store.record_events(vec![event(1), event(2)]).await.unwrap();
    let recorded: Vec<_> = store
        .events_after(already, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.conversation_id(), e.event, e.created_at))
        .collect();
    assert_eq!(recorded, [(Some(conv), event(1).event, at(1)), (Some(conv), event(2).event, at(2))]);
}

/// Creating, changing and deleting bots, teams and users is logged for the consumers.
pub(crate) async fn configuration_changes_are_events(store: Arc<SqlStore>) {
    let already = store.outbox_head().await.unwrap();
    let ana = add_user(&store, "ana@example.com", at(0), None).await;
    let support = team("Support", vec![ana.id]);
    store.create_team(&support).await.unwrap();
    store.update_team(support.id, "Help", &support.settings).await.unwrap().unwrap();
    store.delete_team(support.id).await.unwrap();
    store.delete_user(ana.id).await.unwrap();
    let logged: Vec<_> = store
        .events_after(already, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind(), e.event.data()))
        .collect();
    let user = serde_json::json!({"user_id": ana.id, "name": "ana", "role": "agent"});
    assert_eq!(
        logged,
        [
            (EventKind::UserCreated, user.clone()),
            (EventKind::TeamCreated, serde_json::json!({"team_id": support.id, "name": "Support"})),
            (EventKind::TeamUpdated, serde_json::json!({"team_id": support.id, "name": "Help"})),
            (EventKind::TeamDeleted, serde_json::json!({"team_id": support.id, "name": "Help"})),
            (EventKind::UserDeleted, user),
        ]
    );
}

/// Fills a database migrated up to 0004 the way the old server left it, then lets the store
/// migrate the rest.
async fn legacy_team_column_becomes_teams(url: &str, migrator: sqlx::migrate::Migrator) {
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    migrator.run_to(4, &pool).await.unwrap();
    let users =
        [("a", Some("Sales"), 30), ("b", Some(" Sales "), 20), ("c", Some("Ops"), 10), ("d", None, 5)];
    for (name, team, created_at) in users {
        sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, team, created_at) \
             VALUES ($1, $2, $3, 'agent', 'hash', $4, $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(format!("{name}@example.com"))
        .bind(name)
        .bind(team)
        .bind(created_at)
        .execute(&pool)
        .await
        .unwrap();
    }
    let bot = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO bots (id, name, settings, created_at) VALUES ($1, 'b', '{}', 0)")
        .bind(&bot)
        .execute(&pool)
        .await
        .unwrap();
    let mut handoffs = Vec::new();
    for assigned_at in [Some(at(7)), None] {
        let conv: ConversationId = new_id();
        sqlx::query(
            "INSERT INTO conversations (id, bot_id, token_hash, owner_kind, created_at) VALUES ($1, $2, $3, 'none', 0)",
        )
        .bind(conv.to_string())
        .bind(&bot)
        .bind(conv.to_string())
        .execute(&pool)
        .await
        .unwrap();
        let mut handoff = queued_handoff(conv);
        handoff.assigned_at = assigned_at;
        sqlx::query(
            "INSERT INTO handoffs (id, conversation_id, state, is_open, requested_at, version, document) \
             VALUES ($1, $2, 'queued', 1, 0, 1, $3)",
        )
        .bind(handoff.id.to_string())
        .bind(conv.to_string())
        .bind(serde_json::to_string(&handoff).unwrap())
        .execute(&pool)
        .await
        .unwrap();
        handoffs.push(handoff);
    }
    pool.close().await;

    let store = SqlStore::connect(url).await.unwrap();
    let teams = store.teams().await.unwrap();
    let summary: Vec<(&str, usize, Timestamp)> =
        teams.iter().map(|t| (t.name.as_str(), t.members.len(), t.created_at)).collect();
    let earliest = Timestamp::from_millis;
    assert_eq!(summary, [("Ops", 1, earliest(10)), ("Sales", 2, earliest(20))], "blanks trimmed");
    assert!(teams.iter().all(|t| t.settings == TeamSettings::default()));
    let users = store.users().await.unwrap();
    let by_name: Vec<(&str, Vec<String>)> =
        users.iter().map(|u| (u.name.as_str(), u.teams.clone())).collect();
    assert_eq!(
        by_name,
        [("d", vec![]), ("c", vec!["Ops".into()]), ("b", vec!["Sales".into()]), ("a", vec!["Sales".into()])]
    );
    let recent: Vec<HandoffId> =
        store.recent_assignments(10).await.unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(recent, [handoffs[0].id], "assigned_at copied out of the documents");
    // A team made by the migration is an ordinary team.
    let sales = teams.iter().find(|t| t.name == "Sales").unwrap();
    assert_eq!(store.set_team_members(sales.id, &[]).await.unwrap().unwrap().members, vec![]);
}

#[tokio::test]
async fn legacy_team_column_becomes_teams_on_sqlite() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("legacy.db").display());
    legacy_team_column_becomes_teams(&url, sqlx::migrate!("migrations/sqlite")).await;
}

#[tokio::test]
#[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
async fn legacy_team_column_becomes_teams_on_postgres() {
    let base =
        std::env::var("BATON_TEST_DATABASE_URL").expect("BATON_TEST_DATABASE_URL names a PostgreSQL server");
    let name = format!("baton_legacy_{}", uuid::Uuid::now_v7().simple());
    let url = testing::create_postgres_database(&base, &name).await.unwrap();
    legacy_team_column_becomes_teams(&url, sqlx::migrate!("migrations/postgres")).await;
}
