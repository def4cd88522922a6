//! Trigger detection (being written).
