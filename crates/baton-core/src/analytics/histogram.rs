//! Times to a human, counted in buckets that grow by 5 % each, so that a year of handoffs
//! adds up from small counts and every percentile is exact to within 5 % (the figure
//! reported is the upper end of its bucket: never less than the true one).

use std::collections::BTreeMap;

/// Each bucket's upper end is this factor times the previous one's.
const GROWTH: f64 = 1.05;
/// The first bucket holds everything up to one second.
const FIRST_MS: f64 = 1000.0;
/// The last bucket holds everything from about 30 days on.
pub const MAX_BUCKET: u16 = 380;

/// A count of times per bucket (bucket index → count).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    counts: BTreeMap<u16, u64>,
}

impl Histogram {
    /// The bucket a time falls in.
    pub fn bucket(ms: i64) -> u16 {
        if ms as f64 <= FIRST_MS {
            return 0;
        }
        let index = ((ms as f64 / FIRST_MS).ln() / GROWTH.ln()).ceil();
        // Rounding can put a bucket's own upper end one bucket too far: step back if so.
        let index = index.min(f64::from(MAX_BUCKET)) as u16;
        if index > 0 && Self::upper_ms(index - 1) >= ms as f64 { index - 1 } else { index }
    }

    /// The largest time a bucket holds, in milliseconds.
    pub fn upper_ms(bucket: u16) -> f64 {
        FIRST_MS * GROWTH.powi(i32::from(bucket))
    }

    pub fn add(&mut self, bucket: u16, count: u64) {
        if count > 0 {
            *self.counts.entry(bucket.min(MAX_BUCKET)).or_default() += count;
        }
    }

    pub fn record(&mut self, ms: i64) {
        self.add(Self::bucket(ms), 1);
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (&bucket, &count) in &other.counts {
            self.add(bucket, count);
        }
    }

    pub fn count(&self) -> u64 {
        self.counts.values().sum()
    }

    pub fn counts(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.counts.iter().map(|(&bucket, &count)| (bucket, count))
    }

    /// The counts as text, `bucket:count` pairs separated by spaces, for storing one
    /// histogram in one row.
    pub fn encode(&self) -> String {
        self.counts.iter().map(|(bucket, count)| format!("{bucket}:{count}")).collect::<Vec<_>>().join(" ")
    }

    /// Reads [`encode`](Self::encode)'s text; `None` when it is not such text.
    pub fn decode(text: &str) -> Option<Self> {
        let mut histogram = Self::default();
        for pair in text.split_whitespace() {
            let (bucket, count) = pair.split_once(':')?;
            histogram.add(bucket.parse().ok()?, count.parse().ok()?);
        }
        Some(histogram)
    }

    /// The `q` quantile (0 to 1) in seconds, by nearest rank: the upper end of the bucket
    /// holding the ⌈q·n⌉-th time. `None` when empty.
    pub fn quantile_seconds(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (&bucket, &count) in &self.counts {
            seen += count;
            if seen >= rank {
                return Some((Self::upper_ms(bucket) / 100.0).round() / 10.0);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_time_falls_in_a_bucket_whose_upper_end_is_within_five_percent() {
        for ms in [1, 999, 1000, 1001, 1500, 30_000, 61_234, 3_600_000, 86_400_000] {
            let bucket = Histogram::bucket(ms);
            let upper = Histogram::upper_ms(bucket);
            assert!(upper >= ms as f64, "{ms} ms in bucket {bucket} ending at {upper}");
            if ms > 1000 {
                assert!(upper <= ms as f64 * GROWTH + 1e-6, "{ms} ms in bucket {bucket} ending at {upper}");
            }
        }
        assert_eq!(Histogram::bucket(i64::MAX), MAX_BUCKET);
    }

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let mut times = Histogram::default();
        for seconds in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] {
            times.record(seconds * 1000);
        }
        let p50 = times.quantile_seconds(0.5).unwrap();
        assert!((50.0..=52.5).contains(&p50), "{p50}");
        let p90 = times.quantile_seconds(0.9).unwrap();
        assert!((90.0..=94.5).contains(&p90), "{p90}");
        let p95 = times.quantile_seconds(0.95).unwrap();
        assert!((100.0..=105.0).contains(&p95), "{p95}");
        assert_eq!(Histogram::default().quantile_seconds(0.5), None);
        let mut merged = Histogram::default();
        merged.merge(&times);
        merged.merge(&times);
        assert_eq!(merged.count(), 20);
        assert_eq!(merged.quantile_seconds(0.5), times.quantile_seconds(0.5));
        assert_eq!(Histogram::decode(&merged.encode()), Some(merged));
        assert_eq!(Histogram::decode(""), Some(Histogram::default()));
        assert_eq!(Histogram::decode("3:x"), None);
    }
}
