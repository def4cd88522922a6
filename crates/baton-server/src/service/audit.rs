//! The audit log: every configuration change an admin makes, recorded with who, when and what
//! changed (see [`baton_core::audit`]). Each use case that changes configuration records its
//! change once it is stored, with the thing as it was and as it is now.

use baton_core::audit::{AuditEntry, AuditSubject, NewAuditEntry, diff};
use baton_core::handoff::UserRef;
use baton_core::user::User;
use baton_store::{AuditQuery, Bot, Team, WebhookEndpoint};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most entries one page holds.
pub const MAX_PAGE: u32 = 200;

/// Something whose configuration is audited: what it is called in the log, and its fields.
pub trait Audited {
    fn subject(&self) -> AuditSubject;
    /// The fields a change is compared on; secrets are named so [`diff`] redacts them.
    fn fields(&self) -> Value;
}

fn subject(kind: &str, id: impl ToString, name: &str) -> AuditSubject {
    AuditSubject { kind: kind.into(), id: id.to_string(), name: name.into() }
}

impl Audited for Bot {
    fn subject(&self) -> AuditSubject {
        subject("bot", self.id, &self.name)
    }
    fn fields(&self) -> Value {
        json!({"name": self.name, "settings": self.settings})
    }
}

impl Audited for Team {
    fn subject(&self) -> AuditSubject {
        subject("team", self.id, &self.name)
    }
    fn fields(&self) -> Value {
        json!({"name": self.name, "settings": self.settings, "members": self.members})
    }
}

impl Audited for User {
    fn subject(&self) -> AuditSubject {
        subject("user", self.id, &self.name)
    }
    fn fields(&self) -> Value {
        json!({
            "name": self.name, "email": self.email, "role": self.role, "disabled": self.disabled,
            "languages": self.languages, "capacity": self.capacity, "teams": self.teams,
        })
    }
}

impl Audited for WebhookEndpoint {
    fn subject(&self) -> AuditSubject {
        subject("webhook", self.id, &self.url)
    }
    fn fields(&self) -> Value {
        json!({
            "url": self.url, "description": self.description, "events": self.events,
            "enabled": self.enabled, "secret": self.secret,
        })
    }
}

impl Audited for baton_store::Channel {
    fn subject(&self) -> AuditSubject {
        subject("channel", self.id, &self.name)
    }
    fn fields(&self) -> Value {
        json!({"name": self.name, "bot_id": self.bot_id, "enabled": self.enabled, "settings": self.settings})
    }
}

/// Records that `by` (`None`: Baton itself) did `action` to a thing that was `before` and is
/// `after`; `None` on one side for a creation or a deletion.
pub async fn record<T: Audited>(
    state: &AppState,
    by: Option<&User>,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> ApiResult<()> {
    let Some(subject) = after.or(before).map(Audited::subject) else { return Ok(()) };
    let fields = |thing: Option<&T>| thing.map_or(Value::Null, Audited::fields);
    record_changes(state, by, action, subject, diff(&fields(before), &fields(after))).await
}

/// Records an action whose changes are not fields of the thing (a key issued, a password set).
#[tracing::instrument(skip_all, fields(action = action, subject = %subject.id))]
pub async fn record_changes(
    state: &AppState,
    by: Option<&User>,
    action: &str,
    subject: AuditSubject,
    changes: Vec<baton_core::audit::FieldChange>,
) -> ApiResult<()> {
    let entry = NewAuditEntry {
        at: state.now(),
        actor: by.map(|user| UserRef { id: user.id, name: user.name.clone() }),
        action: action.into(),
        subject,
        changes,
    };
    state.store.record_audit(&entry).await?;
    Ok(())
}

/// A page of the log, newest first, optionally of one kind of subject or one subject.
pub async fn list(
    state: &AppState,
    subject_kind: Option<String>,
    subject_id: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
) -> ApiResult<Vec<AuditEntry>> {
    let limit = limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("limit: between 1 and {MAX_PAGE}"),
        });
    }
    if let Some(kind) = &subject_kind
        && !["bot", "team", "user", "webhook", "contact"].contains(&kind.as_str())
    {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: "subject_kind: one of bot, team, user, webhook, contact".into(),
        });
    }
    let query = AuditQuery { subject_kind, subject_id, before, limit: i64::from(limit) };
    Ok(state.store.audit_log(&query).await?)
}
