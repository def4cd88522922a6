//! Reading a customer's email as a chat message: only what they wrote this time.
//!
//! A reply carries the whole conversation below it ("On Monday, Support wrote: > …"), a
//! signature and often an "Original Message" block. The bot and the team should see the new
//! words only, so [`fresh_text`] cuts at the first line that starts the quoted history or the
//! signature, in the phrasings mail programs write in the eight catalog languages. When a
//! mail is nothing but quotes, the whole text is kept: nothing the customer sent is dropped.
//!
//! The threading helpers read and write the headers that keep Baton's answers in the
//! customer's thread (`Message-ID`, `In-Reply-To`, `References`).

/// How the quoted history's attribution line ends ("On Mon, … Support wrote:").
const ATTRIBUTION_ENDINGS: [&str; 10] = [
    "wrote:",
    "schrieb:",
    "a écrit :",
    "a écrit:",
    "escribió:",
    "ha scritto:",
    "escreveu:",
    "schreef:",
    "写道：",
    "写道:",
];

/// The verb of an attribution line that puts it before the sender's name ("Am 7.12. schrieb
/// Support <help@example.com>:").
const ATTRIBUTION_VERBS: [&str; 8] =
    [" wrote", " schrieb ", " a écrit", " escribió", " ha scritto", " escreveu", " schreef", "写道"];

/// How the attribution line begins (and where it begins when a mail program wrapped it).
const ATTRIBUTION_STARTS: [&str; 8] = ["On ", "Am ", "Le ", "El ", "Il ", "Em ", "Op ", "在"];

/// Lines that start a forwarded or quoted original in Outlook and its kin.
const ORIGINAL_MARKERS: [&str; 8] = [
    "-----original message-----",
    "----- original message -----",
    "-----ursprüngliche nachricht-----",
    "-----message d'origine-----",
    "-----mensaje original-----",
    "-----messaggio originale-----",
    "-----mensagem original-----",
    "________________________________",
];

/// The header lines an Outlook quote starts with: the sender, then the date.
const FROM_HEADERS: [&str; 7] = ["from:", "von:", "de:", "da:", "van:", "发件人：", "发件人:"];
const SENT_HEADERS: [&str; 8] =
    ["sent:", "date:", "gesendet:", "envoyé:", "enviado:", "inviato:", "verzonden:", "发送时间："];

/// Phone mail programs' own signatures.
const DEVICE_SIGNATURES: [&str; 7] = [
    "sent from my ",
    "von meinem ",
    "envoyé de mon ",
    "enviado desde mi ",
    "inviato da ",
    "enviado do meu ",
    "verzonden met ",
];

/// The new words of a plain-text mail body: no quoted history, no signature, no trailing
/// blank lines. The whole (trimmed) body when nothing else would remain.
pub fn fresh_text(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        // French puts a space before a colon ("De : …").
        let lower = trimmed.to_lowercase().replace(" :", ":");
        if line.trim_end() == "--" || *line == "-- " {
            break;
        }
        let starts_as_attribution = ATTRIBUTION_STARTS.iter().any(|start| trimmed.starts_with(start));
        if ATTRIBUTION_ENDINGS.iter().any(|ending| trimmed.ends_with(ending))
            || (starts_as_attribution
                && trimmed.ends_with(':')
                && ATTRIBUTION_VERBS.iter().any(|verb| trimmed.contains(verb)))
        {
            // "On Mon, 7 Dec 2026 at 10:00, Support <help@\nexample.com> wrote:" wraps.
            if let Some(previous) = kept.last()
                && ATTRIBUTION_STARTS.iter().any(|start| previous.trim_start().starts_with(start))
                && !previous.trim_end().ends_with(['.', '!', '?'])
            {
                kept.pop();
            }
            break;
        }
        if ORIGINAL_MARKERS.iter().any(|marker| lower.starts_with(marker)) {
            break;
        }
        if FROM_HEADERS.iter().any(|header| lower.starts_with(header))
            && lines[index + 1..]
                .iter()
                .take(3)
                .map(|next| next.trim().to_lowercase().replace(" :", ":"))
                .any(|next| SENT_HEADERS.iter().any(|header| next.starts_with(header)))
        {
            break;
        }
        if DEVICE_SIGNATURES.iter().any(|signature| lower.starts_with(signature)) && trimmed.len() < 60 {
            break;
        }
        if trimmed.starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    let fresh = kept.join("\n").trim().to_owned();
    if fresh.is_empty() { body.trim().to_owned() } else { fresh }
}

/// The text of an HTML-only mail: tags dropped, block ends as line breaks, the common
/// entities decoded, quoted blocks (`<blockquote>`) left out.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let mut quote_depth = 0usize;
    let mut skip_depth = 0usize;
    while let Some(open) = rest.find('<') {
        if quote_depth == 0 && skip_depth == 0 {
            text.push_str(&rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("blockquote", false) => quote_depth += 1,
            ("blockquote", true) => quote_depth = quote_depth.saturating_sub(1),
            ("style" | "script" | "head", false) => skip_depth += 1,
            ("style" | "script" | "head", true) => skip_depth = skip_depth.saturating_sub(1),
            ("br", _) | ("p" | "div" | "li" | "tr" | "h1" | "h2" | "h3", true) if quote_depth == 0 => {
                text.push('\n')
            }
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    if quote_depth == 0 && skip_depth == 0 {
        text.push_str(rest);
    }
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim_end).collect();
    let mut joined = lines.join("\n");
    while joined.contains("\n\n\n") {
        joined = joined.replace("\n\n\n", "\n\n");
    }
    joined.trim().to_owned()
}

/// The subject of an answer: the thread's subject with one "Re: " in front.
pub fn reply_subject(subject: &str) -> String {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_lowercase();
        let prefix = ["re:", "aw:", "sv:", "antw:", "r:", "res:", "回复：", "回复:"]
            .iter()
            .find(|prefix| lower.starts_with(*prefix));
        match prefix {
            Some(prefix) => rest = rest[prefix.len()..].trim_start(),
            None => break,
        }
    }
    if rest.is_empty() { "Re: your message".to_owned() } else { format!("Re: {rest}") }
}

/// The message ids (`<…>`) a `References` or `In-Reply-To` header names, in order, without
/// the angle brackets.
pub fn message_ids(header: &str) -> Vec<String> {
    header
        .split('<')
        .skip(1)
        .filter_map(|part| part.split_once('>').map(|(id, _)| id.trim()))
        .filter(|id| !id.is_empty() && id.contains('@') && id.len() <= 250)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quoted_history_is_cut() {
        let gmail = "Yes, order 4711.\n\nOn Mon, Dec 7, 2026 at 10:00 AM Acme Support <help@example.com> wrote:\n\
                     > Which order is it?\n> \n";
        assert_eq!(fresh_text(gmail), "Yes, order 4711.");
        let wrapped = "Still broken.\r\n\r\nOn Mon, Dec 7, 2026 at 10:00 AM Acme Support <help@\r\n\
                       example.com> wrote:\r\n> Try again\r\n";
        assert_eq!(fresh_text(wrapped), "Still broken.");
        let german = "Danke!\n\nAm 07.12.2026 um 10:00 schrieb Acme Support:\n> Bitte sehr";
        assert_eq!(fresh_text(german), "Danke!");
        let outlook = "It works now.\n\n-----Original Message-----\nFrom: Acme\nSent: Monday\n\nHello";
        assert_eq!(fresh_text(outlook), "It works now.");
        let headers = "Merci\n\nDe : Acme Support\nEnvoyé : lundi 7 décembre 2026\nÀ : moi\nObjet : Re";
        assert_eq!(fresh_text(headers), "Merci");
    }

    #[test]
    fn signatures_are_cut_and_inline_answers_kept() {
        assert_eq!(fresh_text("Where is my parcel?\n\n-- \nJane Doe\nACME Corp"), "Where is my parcel?");
        assert_eq!(fresh_text("Where is my parcel?\n\nSent from my iPhone"), "Where is my parcel?");
        let inline = "> Which order?\n4711\n> And the date?\nYesterday";
        assert_eq!(fresh_text(inline), "4711\nYesterday");
        // A mail of quotes only keeps what it has.
        assert_eq!(fresh_text("> just this"), "> just this");
        // Words that merely look like markers in the middle of a sentence stay.
        let plain = "From: my side the order never came.\nCan a person check?";
        assert_eq!(fresh_text(plain), plain);
    }

    #[test]
    fn html_mails_read_as_text() {
        let html = "<html><head><style>p{}</style></head><body><p>I need a person&nbsp;please</p>\
                    <div>order &lt;4711&gt;</div><blockquote>old words</blockquote></body></html>";
        assert_eq!(html_text(html), "I need a person please\norder <4711>");
    }

    #[test]
    fn answers_keep_the_thread() {
        assert_eq!(reply_subject("Broken parcel"), "Re: Broken parcel");
        assert_eq!(reply_subject("RE: Re: AW: Broken parcel"), "Re: Broken parcel");
        assert_eq!(reply_subject("  "), "Re: your message");
        assert_eq!(message_ids("<a@x> <b@y>\r\n <c@z>"), vec!["a@x", "b@y", "c@z"]);
        assert_eq!(message_ids("<no-at> junk"), Vec::<String>::new());
    }
}
