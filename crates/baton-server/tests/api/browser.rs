//! The browser test (added below).
