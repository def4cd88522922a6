//! Expected waits: what a queued contact is told, and what the widget shows before a handoff.
//!
//! The estimate comes from how long recent handoffs of the same people waited between being
//! queued and being taken (claimed or accepted): the **typical wait** is the median of the
//! last [`WINDOW`] of them, so one chat that sat for an hour over lunch does not move it.
//! With fewer than [`MIN_SAMPLES`] measured (a new team, a fresh install) it is
//! [`COLD_START_SECONDS`], two minutes: what support teams commonly promise for live chat.
//!
//! A contact at place `p` in their route's queue, with `n` eligible users on duty, is served
//! in round ⌈p / n⌉ of the users taking one handoff each, so they wait about that many
//! typical waits. This overestimates when users hold several chats at once and underestimates
//! when they are all busy; it is an honest order of magnitude, which is what a contact needs.

/// The typical wait before anything was measured.
pub const COLD_START_SECONDS: u32 = 120;
/// How many recent waits the median is taken over.
pub const WINDOW: usize = 20;
/// Fewer measured waits than this say too little; the cold-start default stands.
pub const MIN_SAMPLES: usize = 3;

/// The median of the most recent waits (seconds, most recent first), or the cold-start default.
pub fn typical_wait(recent_waits: &[u32]) -> u32 {
    let mut window: Vec<u32> = recent_waits.iter().take(WINDOW).copied().collect();
    if window.len() < MIN_SAMPLES {
        return COLD_START_SECONDS;
    }
    window.sort_unstable();
    let middle = window.len() / 2;
    if window.len() % 2 == 1 {
        window[middle]
    } else {
        ((u64::from(window[middle - 1]) + u64::from(window[middle])) / 2) as u32
    }
}

/// The expected wait in seconds at `position` (from 1) with `agents_on_duty` eligible users.
pub fn eta_seconds(position: usize, typical_wait: u32, agents_on_duty: usize) -> u32 {
    let rounds = position.max(1).div_ceil(agents_on_duty.max(1));
    u32::try_from(rounds).unwrap_or(u32::MAX).saturating_mul(typical_wait)
}

/// Whole minutes for a message, rounded up and at least one.
pub fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_samples_use_the_cold_start_default() {
        assert_eq!(typical_wait(&[]), COLD_START_SECONDS);
        assert_eq!(typical_wait(&[5, 7]), COLD_START_SECONDS);
    }

    #[test]
    fn the_median_ignores_outliers_and_old_samples() {
        assert_eq!(typical_wait(&[30, 3_600, 40]), 40);
        assert_eq!(typical_wait(&[10, 20, 30, 40]), 25);
        let mut waits = vec![60; WINDOW];
        waits.extend([9_999; 50]);
        assert_eq!(typical_wait(&waits), 60, "only the last {WINDOW} count");
    }

    #[test]
    fn the_eta_counts_rounds_of_the_users_on_duty() {
        assert_eq!(eta_seconds(1, 60, 3), 60);
        assert_eq!(eta_seconds(3, 60, 3), 60);
        assert_eq!(eta_seconds(4, 60, 3), 120);
        assert_eq!(eta_seconds(5, 60, 0), 300, "nobody on duty counts as one");
        assert_eq!(eta_seconds(usize::MAX, u32::MAX, 1), u32::MAX);
        assert_eq!((minutes(0), minutes(61), minutes(120)), (1, 2, 2));
    }
}
