//! The audit log: who changed which configuration, when, and what exactly changed.
//!
//! Every change an admin makes to a bot (its settings, its API key), a team, a user or a
//! webhook endpoint is recorded as one [`AuditEntry`]. What changed is a list of
//! [`FieldChange`]s computed by [`diff`] from the thing as it was and as it is, each written
//! as JSON: nested objects are walked field by field (`policy.assignment.strategy`), anything
//! else (numbers, strings, lists) is compared whole. Secrets never reach the log: a field
//! named like a secret ([`is_secret_field`]) shows `"********"` on both sides, so the log
//! says that a secret changed, not what it became.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::handoff::UserRef;
use crate::time::Timestamp;

pub use crate::backend::REDACTED;

/// One recorded change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Increasing: a page of older entries is asked for with `before=<id>`.
    pub id: i64,
    pub at: Timestamp,
    /// Who made the change; `null` for Baton itself (first start, the command line).
    pub actor: Option<UserRef>,
    /// `bot.updated`, `team.members_changed`, `user.password_reset`, …
    pub action: String,
    pub subject: AuditSubject,
    pub changes: Vec<FieldChange>,
}

/// What was changed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSubject {
    /// `bot`, `team`, `user` or `webhook`.
    pub kind: String,
    pub id: String,
    /// Its name (or URL) at the time, so the entry reads well after it is deleted.
    pub name: String,
}

/// One field's value before and after; `null` where it did not exist.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path from the top of the changed thing: `settings.policy.languages`.
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub before: Option<Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub after: Option<Value>,
}

/// A change about to be recorded: the id and time are given when it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    pub at: Timestamp,
    pub actor: Option<UserRef>,
    pub action: String,
    pub subject: AuditSubject,
    pub changes: Vec<FieldChange>,
}

/// Whether a field holds a secret, by the last segment of its name.
pub fn is_secret_field(name: &str) -> bool {
    const SECRETS: [&str; 4] = ["api_key", "secret", "password", "token"];
    SECRETS.contains(&name) || name.ends_with("_secret") || name.ends_with("_token")
}

/// The fields that differ between `before` and `after`, in path order. Either side may be
/// `Value::Null` for something created or deleted: every field of the other side is listed.
pub fn diff(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    walk("", before, after, &mut changes);
    changes
}

fn walk(path: &str, before: &Value, after: &Value, changes: &mut Vec<FieldChange>) {
    if before == after {
        return;
    }
    let last = path.rsplit('.').next().unwrap_or(path);
    if !path.is_empty() && is_secret_field(last) {
        let set = |value: &Value| !value.is_null() && value.as_str() != Some("");
        let shown = |value: &Value| set(value).then(|| Value::String(REDACTED.into()));
        changes.push(FieldChange { field: path.to_owned(), before: shown(before), after: shown(after) });
        return;
    }
    match (object_or_empty(before), object_or_empty(after)) {
        (Some(old), Some(new)) if before.is_object() || after.is_object() => {
            let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let field =
                    |map: &serde_json::Map<String, Value>| map.get(key).cloned().unwrap_or(Value::Null);
                walk(&child, &field(&old), &field(&new), changes);
            }
        }
        _ => changes.push(leaf(path, before, after)),
    }
}

fn object_or_empty(value: &Value) -> Option<std::borrow::Cow<'_, serde_json::Map<String, Value>>> {
    match value {
        Value::Object(map) => Some(std::borrow::Cow::Borrowed(map)),
        Value::Null => Some(std::borrow::Cow::Owned(serde_json::Map::new())),
        _ => None,
    }
}

fn leaf(path: &str, before: &Value, after: &Value) -> FieldChange {
    let some = |value: &Value| (!value.is_null()).then(|| value.clone());
    FieldChange { field: path.to_owned(), before: some(before), after: some(after) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nested_objects_are_walked_field_by_field_and_lists_compared_whole() {
        let before = json!({"name": "Support", "settings": {"strategy": "least_busy", "languages": ["en"]}});
        let after =
            json!({"name": "Support", "settings": {"strategy": "round_robin", "languages": ["en", "de"]}});
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].field, "settings.languages");
        assert_eq!(changes[0].after, Some(json!(["en", "de"])));
        assert_eq!(changes[1].field, "settings.strategy");
        assert_eq!(changes[1].before, Some(json!("least_busy")));
        assert_eq!(changes[1].after, Some(json!("round_robin")));
    }

    #[test]
    fn a_created_thing_lists_every_field_and_a_deleted_one_empties_them() {
        let team = json!({"name": "Sales", "settings": {"sla": 60}});
        let created = diff(&Value::Null, &team);
        let fields: Vec<&str> = created.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["name", "settings.sla"]);
        assert!(created.iter().all(|c| c.before.is_none() && c.after.is_some()));
        let deleted = diff(&team, &Value::Null);
        assert!(deleted.iter().all(|c| c.before.is_some() && c.after.is_none()));
    }

    #[test]
    fn secrets_show_that_they_changed_but_never_their_value() {
        let before = json!({"backend": {"kind": "openai", "api_key": "sk-old"}});
        let after = json!({"backend": {"kind": "openai", "api_key": "sk-new"}});
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "backend.api_key");
        assert_eq!(changes[0].before, Some(json!(REDACTED)));
        assert_eq!(changes[0].after, Some(json!(REDACTED)));
        let text = serde_json::to_string(&changes).unwrap();
        assert!(!text.contains("sk-old") && !text.contains("sk-new"));
        assert!(diff(&before, &before).is_empty());
    }

    #[test]
    fn a_value_changing_shape_is_one_change() {
        let changes =
            diff(&json!({"hours": {"weekly": null}}), &json!({"hours": {"weekly": {"monday": []}}}));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "hours.weekly.monday");
        let changes = diff(&json!({"a": 1}), &json!({"a": {"b": 2}}));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "a");
    }
}
