//! History search, as inherent methods of [`SqlStore`] that the [`Store`] implementation
//! delegates to. Words are matched by each database's own full-text index: SQLite's FTS5 table
//! `search_text` (kept by triggers) and PostgreSQL's generated `tsvector` columns with GIN
//! indexes (migration 0013). Filters and the cursor are plain indexed comparisons.

use std::collections::HashMap;

use baton_core::handoff::Handoff;
use baton_core::ids::ConversationId;
use baton_core::search::{ConversationSearch, SearchText, StateFilter};
use baton_core::time::Timestamp;
use sqlx::Row;

use crate::rows::*;
use crate::sql::Dialect;
use crate::*;

/// A statement's bound values, numbered as they are pushed.
#[derive(Default)]
pub(crate) struct Binds(Vec<Bind>);

pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

impl Binds {
    pub(crate) fn text(&mut self, value: impl Into<String>) -> String {
        self.0.push(Bind::Text(value.into()));
        format!("${}", self.0.len())
    }

    pub(crate) fn int(&mut self, value: i64) -> String {
        self.0.push(Bind::Int(value));
        format!("${}", self.0.len())
    }

    pub(crate) fn apply<'q>(
        self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        for bind in self.0 {
            query = match bind {
                Bind::Text(text) => query.bind(text),
                Bind::Int(int) => query.bind(int),
            };
        }
        query
    }
}

/// The FTS5 expression for `words`: each a prefix phrase, all of them in the message body.
pub(crate) fn fts5_words(words: &[String]) -> String {
    let phrases: Vec<String> =
        words.iter().map(|word| format!("\"{}\"*", word.replace('"', "\"\""))).collect();
    format!("body : ({})", phrases.join(" AND "))
}

/// The `to_tsquery('simple', …)` text for `words`: each a prefix lexeme, all of them.
/// [`SearchText::parse`] has already removed quotes, backslashes and operators.
pub(crate) fn tsquery_words(words: &[String]) -> String {
    words.iter().map(|word| format!("'{word}':*")).collect::<Vec<_>>().join(" & ")
}

/// `$a, $b, …` for `ids`.
fn id_list(binds: &mut Binds, ids: &[ConversationId]) -> String {
    ids.iter().map(|id| binds.text(id_text(*id))).collect::<Vec<_>>().join(", ")
}

impl SqlStore {
    pub(crate) async fn select_conversations(
        &self,
        search: &ConversationSearch,
    ) -> Result<Vec<ConversationHit>> {
        let mut binds = Binds::default();
        let mut sql =
            format!("SELECT {CONVERSATION_COLUMNS}, last_message_at FROM conversations c WHERE 1 = 1");
        let text: &SearchText = &search.text;
        if let Some(id) = text.id {
            let id = binds.text(id.to_string());
            sql += &format!(
                " AND (c.id = {id} OR c.id IN (SELECT conversation_id FROM handoffs WHERE id = {id}))"
            );
        } else if !text.words.is_empty() {
            match self.dialect() {
                Dialect::Sqlite => {
                    let query = binds.text(fts5_words(&text.words));
                    sql += &format!(
                        " AND c.id IN (SELECT conversation_id FROM search_text WHERE search_text MATCH {query})"
                    );
                }
                Dialect::Postgres => {
                    let query = binds.text(tsquery_words(&text.words));
                    sql += &format!(
                        " AND (c.search @@ to_tsquery('simple', {query}) OR c.id IN \
                         (SELECT conversation_id FROM messages WHERE search @@ to_tsquery('simple', {query})))"
                    );
                }
            }
        }
        if let Some(bot) = search.bot {
            sql += &format!(" AND c.bot_id = {}", binds.text(id_text(bot)));
        }
        if let Some(contact) = search.contact {
            sql += &format!(" AND c.contact_id = {}", binds.text(id_text(contact)));
        }
        if let Some(from) = search.from {
            sql += &format!(" AND c.last_message_at >= {}", binds.int(from.as_millis()));
        }
        if let Some(to) = search.to {
            sql += &format!(" AND c.created_at < {}", binds.int(to.as_millis()));
        }
        const ANY: &str = "EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id)";
        const OPEN: &str =
            "EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id AND h.is_open = 1)";
        match search.state {
            None => {}
            Some(StateFilter::Bot) => sql += &format!(" AND NOT {ANY}"),
            Some(StateFilter::Open) => sql += &format!(" AND {OPEN}"),
            Some(StateFilter::Closed) => sql += &format!(" AND {ANY} AND NOT {OPEN}"),
            Some(StateFilter::Handoff(state)) => {
                sql += &format!(
                    " AND EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id AND h.is_open = 1 AND h.state = {})",
                    binds.text(state.as_str())
                )
            }
        }
        if search.filters_handoffs() {
            let mut facts = String::from("SELECT 1 FROM handoff_facts f WHERE f.conversation_id = c.id");
            if let Some(team) = search.team {
                facts += &format!(" AND f.team_id = {}", binds.text(id_text(team)));
            }
            if let Some(user) = search.user {
                facts += &format!(" AND f.assignee_id = {}", binds.text(id_text(user)));
            }
            if let Some(trigger) = search.trigger {
                facts += &format!(" AND f.trigger = {}", binds.text(enum_text(trigger)));
            }
            if let Some(priority) = search.priority {
                facts += &format!(" AND f.priority = {}", binds.text(enum_text(priority)));
            }
            if let Some(rating) = search.rating {
                facts += &format!(" AND f.rating = {}", binds.int(rating.into()));
            }
            sql += &format!(" AND EXISTS ({facts})");
        }
        if let Some(after) = search.after {
            let at = binds.int(after.at.as_millis());
            let id = binds.text(id_text(after.id));
            sql += &format!(" AND (c.last_message_at < {at} OR (c.last_message_at = {at} AND c.id < {id}))");
        }
        sql +=
            &format!(" ORDER BY c.last_message_at DESC, c.id DESC LIMIT {}", binds.int(search.limit.into()));

        let rows = binds.apply(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_all(self.pool()).await?;
        let mut hits = Vec::with_capacity(rows.len());
        for row in &rows {
            hits.push(ConversationHit {
                conversation: conversation_from_row(row)?,
                last_message_at: Timestamp::from_millis(row.try_get("last_message_at")?),
                handoffs: Vec::new(),
                matched: None,
            });
        }
        if hits.is_empty() {
            return Ok(hits);
        }
        let ids: Vec<ConversationId> = hits.iter().map(|hit| hit.conversation.id).collect();
        let mut episodes = self.handoffs_of(&ids).await?;
        let mut matched = if text.words.is_empty() {
            HashMap::new()
        } else {
            self.matching_texts(&text.words, &ids).await?
        };
        for hit in &mut hits {
            hit.handoffs = episodes.remove(&hit.conversation.id).unwrap_or_default();
            hit.matched = matched.remove(&hit.conversation.id);
        }
        Ok(hits)
    }

    /// Every handoff of `conversations`, oldest first.
    pub(crate) async fn handoffs_of(
        &self,
        conversations: &[ConversationId],
    ) -> Result<HashMap<ConversationId, Vec<Handoff>>> {
        let mut binds = Binds::default();
        let list = id_list(&mut binds, conversations);
        let sql = format!(
            "SELECT document, version FROM handoffs WHERE conversation_id IN ({list}) ORDER BY requested_at, id"
        );
        let rows = binds.apply(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_all(self.pool()).await?;
        let mut by_conversation: HashMap<ConversationId, Vec<Handoff>> = HashMap::new();
        for row in &rows {
            let handoff = handoff_from_row(row)?.value;
            by_conversation.entry(handoff.conversation_id).or_default().push(handoff);
        }
        Ok(by_conversation)
    }

    /// For each of `conversations`, the newest message containing all `words`, else the
    /// contact's name and email when they do.
    async fn matching_texts(
        &self,
        words: &[String],
        conversations: &[ConversationId],
    ) -> Result<HashMap<ConversationId, String>> {
        let mut binds = Binds::default();
        let sql = match self.dialect() {
            Dialect::Sqlite => {
                let ids: Vec<String> = conversations.iter().map(|id| format!("\"{id}\"")).collect();
                let query = binds.text(format!(
                    "({}) AND conversation_id : ({})",
                    fts5_words(words),
                    ids.join(" OR ")
                ));
                format!("SELECT conversation_id, seq, body FROM search_text WHERE search_text MATCH {query}")
            }
            Dialect::Postgres => {
                let query = binds.text(tsquery_words(words));
                let list = id_list(&mut binds, conversations);
                format!(
                    "SELECT conversation_id, seq, text AS body FROM messages \
                     WHERE conversation_id IN ({list}) AND search @@ to_tsquery('simple', {query}) \
                     UNION ALL SELECT id, CAST(0 AS BIGINT), \
                     TRIM(COALESCE(contact_name, '') || ' ' || COALESCE(contact_email, '')) FROM conversations \
                     WHERE id IN ({list}) AND search @@ to_tsquery('simple', {query})"
                )
            }
        };
        let rows = binds.apply(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_all(self.pool()).await?;
        let mut newest: HashMap<ConversationId, (i64, String)> = HashMap::new();
        for row in &rows {
            let id: ConversationId = parse_id(&row.try_get::<String, _>("conversation_id")?)?;
            let seq: i64 = row.try_get("seq")?;
            let body: String = row.try_get("body")?;
            let slot = newest.entry(id).or_insert((-1, String::new()));
            if seq > slot.0 {
                *slot = (seq, body);
            }
        }
        Ok(newest.into_iter().map(|(id, (_, body))| (id, body)).collect())
    }
}

/// A serde enum's text form, as the facts table keeps it.
fn enum_text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
