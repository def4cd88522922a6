//! What a contact may know about their own handoff. The handoff itself is the team's record:
//! who declined it, whom it is routed to, the summary with the contact's mood, the trigger's
//! evidence. A contact (and the site embedding the widget) gets only its state, who is
//! answering once someone has joined, and what the contact gave themselves.

use serde::Serialize;

use crate::handoff::{Handoff, HandoffState, Lead, Trigger};
use crate::ids::{ConversationId, HandoffId};
use crate::time::Timestamp;
use crate::values::Rating;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactHandoff {
    pub id: HandoffId,
    pub conversation_id: ConversationId,
    pub state: HandoffState,
    /// Why it started: the contact's request, a topic, frustration, the bot giving up…
    pub trigger: Trigger,
    pub language: Option<String>,
    pub requested_at: Timestamp,
    /// The person answering, once one has joined (not while it is only offered to them).
    pub assignee: Option<Agent>,
    /// The details the contact left while the team was away.
    pub lead: Option<Lead>,
    pub feedback_requested: bool,
    pub rating: Option<Rating>,
}

/// A team member as a contact sees them: their display name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agent {
    pub name: String,
}

impl From<&Handoff> for ContactHandoff {
    fn from(handoff: &Handoff) -> Self {
        let answering = matches!(handoff.state, HandoffState::Live | HandoffState::Closed);
        Self {
            id: handoff.id,
            conversation_id: handoff.conversation_id,
            state: handoff.state,
            trigger: handoff.trigger,
            language: handoff.language.clone(),
            requested_at: handoff.requested_at,
            assignee: handoff
                .assignee
                .as_ref()
                .filter(|_| answering)
                .map(|user| Agent { name: user.name.clone() }),
            lead: handoff.lead.clone(),
            feedback_requested: handoff.feedback_requested,
            rating: handoff.rating,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::{ContactInfo, Evidence, Priority, Request, UserRef};
    use crate::ids::{Id, UserId};

    fn handoff() -> Handoff {
        let request = Request {
            id: Id::from_uuid(uuid::Uuid::from_u128(1)),
            conversation_id: Id::from_uuid(uuid::Uuid::from_u128(2)),
            trigger: Trigger::Frustration,
            reason: "frustration 0.9".into(),
            language: Some("en".into()),
            priority: Priority::Urgent,
            contact: ContactInfo::default(),
            evidence: Evidence { summary: Some("angry about a late parcel".into()), ..Evidence::default() },
            gathered: Default::default(),
            ask: None,
            humans_available: true,
        };
        Handoff::request(request, Timestamp::from_millis(1_000)).handoff
    }

    #[test]
    fn the_contact_sees_no_internal_detail() {
        let mut handoff = handoff();
        let user = UserId::from_uuid(uuid::Uuid::from_u128(3));
        handoff.declined_by = vec![user];
        handoff.state = HandoffState::Offered;
        handoff.assignee = Some(UserRef { id: user, name: "Ana".into() });
        let shown = serde_json::to_string(&ContactHandoff::from(&handoff)).unwrap();
        for internal in
            ["summary", "angry", "declined_by", "frustration 0.9", "priority", "signals", &user.to_string()]
        {
            assert!(!shown.contains(internal), "{internal} in {shown}");
        }
        assert!(!shown.contains("Ana"), "an offer is not an answer: {shown}");
        handoff.state = HandoffState::Live;
        let live = ContactHandoff::from(&handoff);
        assert_eq!(live.assignee, Some(Agent { name: "Ana".into() }));
    }
}
