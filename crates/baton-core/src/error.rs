use crate::handoff::HandoffState;

/// Why the domain refused a command. Each variant maps to one stable API error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("a handoff in state `{from}` cannot {command}")]
    IllegalTransition { from: HandoffState, command: &'static str },
    #[error("another user already has this handoff")]
    AlreadyAssigned,
    #[error("this handoff is not offered to you")]
    NotOfferedToYou,
    #[error("the offer has not expired yet")]
    OfferNotExpired,
    #[error("only the assigned user can do this")]
    NotAssignee,
    #[error("no feedback is pending for this conversation")]
    FeedbackNotPending,
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}
