//! Server-sent events, as OpenAI-compatible APIs stream them: `data: <json>` lines separated
//! by blank lines, ending with `data: [DONE]`. Bytes arrive in arbitrary chunks, so a line may
//! be split anywhere (even inside a UTF-8 character); [`Lines`] buffers until a line is whole.

/// Turns arriving byte chunks into the `data` payloads of complete events.
#[derive(Debug, Default)]
pub struct Lines {
    pending: Vec<u8>,
    /// How far `pending` is known to hold no newline, so a long line is scanned once.
    scanned: usize,
}

impl Lines {
    /// The `data:` payloads completed by `chunk`, in order. Comments (`:`), other fields and
    /// blank lines are skipped.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        self.pending.extend_from_slice(chunk);
        let mut payloads = Vec::new();
        while let Some(offset) = self.pending[self.scanned..].iter().position(|&b| b == b'\n') {
            let end = self.scanned + offset;
            self.scanned = 0;
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if let Some(data) = line.strip_prefix("data:") {
                payloads.push(data.strip_prefix(' ').unwrap_or(data).to_owned());
            }
        }
        self.scanned = self.pending.len();
        payloads
    }

    /// A last line left without its newline when the stream ended.
    pub fn finish(&mut self) -> Vec<String> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        self.push(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_survive_any_split() {
        let stream = "data: {\"a\":\"é\"}\n\n: keep-alive\n\nevent: x\ndata: [DONE]\r\n\r\n".as_bytes();
        for split in 0..stream.len() {
            let mut lines = Lines::default();
            let mut got = lines.push(&stream[..split]);
            got.extend(lines.push(&stream[split..]));
            got.extend(lines.finish());
            assert_eq!(got, ["{\"a\":\"é\"}", "[DONE]"], "split at {split}");
        }
    }

    #[test]
    fn a_last_line_without_newline_is_kept() {
        let mut lines = Lines::default();
        assert!(lines.push(b"data: 1").is_empty());
        assert_eq!(lines.finish(), ["1"]);
    }
}
