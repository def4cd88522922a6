//! Teams and their members, as inherent methods of [`SqlStore`] that the [`Store`]
//! implementation delegates to, and the memberships every read of a user attaches.

use std::collections::HashMap;

use baton_core::event::{Event, TeamChanged};
use baton_core::ids::{TeamId, UserId};
use baton_core::team::TeamSettings;
use baton_core::user::User;
use sqlx::{Any, AssertSqlSafe, Executor, Row, Transaction};

use crate::rows::*;
use crate::*;

fn settings_json(settings: &TeamSettings) -> Result<String> {
    serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))
}

const NAME_TAKEN: StoreError = StoreError::Conflict("a team with this name exists");

/// The teams (id and name) of `user`, or of every user when `None`, by user. Routing reads
/// everyone's on every decision, so that is one query, not one per user.
pub(crate) async fn memberships<'c, E>(
    executor: E,
    user: Option<UserId>,
) -> Result<HashMap<UserId, Vec<(TeamId, String)>>>
where
    E: Executor<'c, Database = Any>,
{
    const SELECT: &str =
        "SELECT m.user_id, m.team_id, t.name FROM team_members m JOIN teams t ON t.id = m.team_id";
    let rows = match user {
        Some(user) => {
            sqlx::query(AssertSqlSafe(format!("{SELECT} WHERE m.user_id = $1")))
                .bind(id_text(user))
                .fetch_all(executor)
                .await?
        }
        None => sqlx::query(SELECT).fetch_all(executor).await?,
    };
    let mut teams: HashMap<UserId, Vec<(TeamId, String)>> = HashMap::new();
    for row in &rows {
        let user = parse_id(&row.try_get::<String, _>("user_id")?)?;
        let team = parse_id(&row.try_get::<String, _>("team_id")?)?;
        teams.entry(user).or_default().push((team, row.try_get("name")?));
    }
    Ok(teams)
}

/// Fills in the names of the users' teams. Names sort by their bytes rather than by the
/// database's collation, so both databases give the same order.
pub(crate) async fn attach_teams<'c, E>(executor: E, users: &mut [User]) -> Result<()>
where
    E: Executor<'c, Database = Any>,
{
    let mut teams = match users {
        [] => return Ok(()),
        [user] => memberships(executor, Some(user.id)).await?,
        _ => memberships(executor, None).await?,
    };
    for user in users {
        let mut names: Vec<String> =
            teams.remove(&user.id).unwrap_or_default().into_iter().map(|(_, name)| name).collect();
        names.sort();
        user.teams = names;
    }
    Ok(())
}

/// Fills in the teams' members, reading the memberships of all of them at once.
async fn attach_members<'c, E>(executor: E, teams: &mut [Team]) -> Result<()>
where
    E: Executor<'c, Database = Any>,
{
    let rows = match teams {
        [] => return Ok(()),
        [team] => {
            sqlx::query("SELECT team_id, user_id FROM team_members WHERE team_id = $1")
                .bind(id_text(team.id))
                .fetch_all(executor)
                .await?
        }
        _ => sqlx::query("SELECT team_id, user_id FROM team_members").fetch_all(executor).await?,
    };
    let mut members: HashMap<TeamId, Vec<UserId>> = HashMap::new();
    for row in &rows {
        let team = parse_id(&row.try_get::<String, _>("team_id")?)?;
        members.entry(team).or_default().push(parse_id(&row.try_get::<String, _>("user_id")?)?);
    }
    for team in teams {
        team.members = members.remove(&team.id).unwrap_or_default();
        team.members.sort();
    }
    Ok(())
}

/// Adds the users to the team; `NotFound` (with the transaction left to roll back) if one
/// does not exist. Returns the members added, sorted and without repeats.
async fn insert_members(
    tx: &mut Transaction<'_, Any>,
    team: TeamId,
    members: &[UserId],
) -> Result<Vec<UserId>> {
    let mut members = members.to_vec();
    members.sort();
    members.dedup();
    for user in &members {
        // Selecting the user makes a missing one insert nothing, which is portable where
        // telling foreign key errors apart through the `Any` driver is not.
        let added =
            sqlx::query("INSERT INTO team_members (team_id, user_id) SELECT $1, id FROM users WHERE id = $2")
                .bind(id_text(team))
                .bind(id_text(*user))
                .execute(&mut **tx)
                .await?;
        if added.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
    }
    Ok(members)
}

/// Makes the user a member of the team called `name`, creating the team if there is none.
pub(crate) async fn join_team_by_name(
    tx: &mut Transaction<'_, Any>,
    user: UserId,
    name: &str,
    now: Timestamp,
) -> Result<()> {
    // When two first uses of a name race, one creates the team and the other finds it.
    sqlx::query(
        "INSERT INTO teams (id, name, settings, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
    )
    .bind(id_text(TeamId::from_uuid(uuid::Uuid::now_v7())))
    .bind(name)
    .bind(settings_json(&TeamSettings::default())?)
    .bind(now.as_millis())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO team_members (team_id, user_id) SELECT id, $1 FROM teams WHERE name = $2 \
         ON CONFLICT (team_id, user_id) DO NOTHING",
    )
    .bind(id_text(user))
    .bind(name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn team_changed(team: &Team) -> TeamChanged {
    TeamChanged { team_id: team.id, name: team.name.clone() }
}

impl SqlStore {
    pub(crate) async fn insert_team(&self, team: &Team) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let inserted =
            sqlx::query("INSERT INTO teams (id, name, settings, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id_text(team.id))
                .bind(&team.name)
                .bind(settings_json(&team.settings)?)
                .bind(team.created_at.as_millis())
                .execute(&mut *tx)
                .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(NAME_TAKEN),
            other => other?,
        };
        insert_members(&mut tx, team.id, &team.members).await?;
        let created = NewEvent::new(Event::TeamCreated(team_changed(team)), team.created_at);
        self.commit_with_events(tx, &[created]).await
    }

    pub(crate) async fn select_team(&self, filter: &str, value: String) -> Result<Option<Team>> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {TEAM_COLUMNS} FROM teams WHERE {filter} = $1")))
            .bind(value)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut team = team_from_row(&row)?;
        attach_members(self.pool(), std::slice::from_mut(&mut team)).await?;
        Ok(Some(team))
    }

    pub(crate) async fn select_teams(&self) -> Result<Vec<Team>> {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {TEAM_COLUMNS} FROM teams")))
            .fetch_all(self.pool())
            .await?;
        let mut teams = rows.iter().map(team_from_row).collect::<Result<Vec<_>>>()?;
        // By bytes, not the database's collation, so both databases agree.
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        attach_members(self.pool(), &mut teams).await?;
        Ok(teams)
    }

    pub(crate) async fn write_team(
        &self,
        id: TeamId,
        name: &str,
        settings: &TeamSettings,
    ) -> Result<Option<Team>> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE teams SET name = $1, settings = $2 WHERE id = $3 RETURNING {TEAM_COLUMNS}"
        )))
        .bind(name)
        .bind(settings_json(settings)?)
        .bind(id_text(id))
        .fetch_optional(&mut *tx)
        .await;
        let row = match row {
            Err(e) if is_unique_violation(&e) => return Err(NAME_TAKEN),
            other => other?,
        };
        let Some(row) = row else { return Ok(None) };
        let mut team = team_from_row(&row)?;
        attach_members(&mut *tx, std::slice::from_mut(&mut team)).await?;
        self.commit_with_events(tx, &[NewEvent::now(Event::TeamUpdated(team_changed(&team)))]).await?;
        Ok(Some(team))
    }

    pub(crate) async fn remove_team(&self, id: TeamId) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        // Explicitly rather than by cascade, which SQLite applies only with foreign keys on.
        sqlx::query("DELETE FROM team_members WHERE team_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query("DELETE FROM teams WHERE id = $1 RETURNING name")
            .bind(id_text(id))
            .fetch_optional(&mut *tx)
            .await?;
        let Some(deleted) = deleted else { return Ok(false) };
        let team = TeamChanged { team_id: id, name: deleted.try_get("name")? };
        self.commit_with_events(tx, &[NewEvent::now(Event::TeamDeleted(team))]).await?;
        Ok(true)
    }

    pub(crate) async fn replace_members(&self, id: TeamId, members: &[UserId]) -> Result<Option<Team>> {
        let mut tx = self.begin_write().await?;
        // The no-op update locks the team, so concurrent replacements take turns instead of
        // colliding on the memberships they both insert.
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE teams SET name = name WHERE id = $1 RETURNING {TEAM_COLUMNS}"
        )))
        .bind(id_text(id))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut team = team_from_row(&row)?;
        sqlx::query("DELETE FROM team_members WHERE team_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        team.members = insert_members(&mut tx, id, members).await?;
        self.commit_with_events(tx, &[NewEvent::now(Event::TeamUpdated(team_changed(&team)))]).await?;
        Ok(Some(team))
    }
}
