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

/// Places up to this one are announced at every change: the contact is nearly there.
pub const CLOSE_PLACE: usize = 10;

/// Whether a queued contact last told `told` (place, expected seconds) should be told
/// `(place, eta_seconds)`. Near the head, every change; further back, only a move of at least
/// a tenth of the place or a fifth of the expected minutes. Someone 4,000th is told when they
/// reach 3,600th, not at each of the 400 claims between, which keeps the announcements of a
/// long queue near linear in its length instead of its square.
pub fn worth_announcing(told: Option<(usize, u32)>, place: usize, eta_seconds: u32) -> bool {
    let Some((told_place, told_eta)) = told else { return true };
    if (told_place, told_eta) == (place, eta_seconds) {
        return false;
    }
    if place <= CLOSE_PLACE {
        return true;
    }
    let (told_minutes, now_minutes) = (minutes(told_eta), minutes(eta_seconds));
    told_place.abs_diff(place) >= (told_place / 10).max(1)
        || told_minutes.abs_diff(now_minutes) >= (told_minutes / 5).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_the_head_every_change_is_told_and_far_back_only_real_moves() {
        assert!(worth_announcing(None, 4_000, 60_000), "the first place is always told");
        assert!(!worth_announcing(Some((3, 360)), 3, 360), "nothing changed");
        assert!(worth_announcing(Some((3, 360)), 2, 240));
        assert!(worth_announcing(Some((11, 660)), 10, 600), "into the last ten");
        assert!(worth_announcing(Some((2, 120)), 2, 180), "a new estimate near the head");
        assert!(!worth_announcing(Some((4_000, 240_000)), 3_999, 240_000), "one claim far back");
        assert!(!worth_announcing(Some((4_000, 240_000)), 3_601, 216_060));
        assert!(worth_announcing(Some((4_000, 240_000)), 3_600, 216_000), "a tenth of the way");
        assert!(worth_announcing(Some((400, 24_000)), 399, 18_000), "the estimate fell by a quarter");
        assert!(worth_announcing(Some((20, 1_200)), 22, 1_320), "moved back by a tenth");
        // Counting down from 4,000 one claim at a time tells about 50 places, not 4,000.
        let mut told = None;
        let mut times = 0;
        for place in (1..=4_000).rev() {
            let eta = eta_seconds(place, 60, 1);
            if worth_announcing(told, place, eta) {
                told = Some((place, eta));
                times += 1;
            }
        }
        assert!(times < 100, "told {times} times");
    }

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
