//! Refusals of the bot, which ask for a human: "no more bots", "I won't talk to a machine".

use super::{Detector, Mention, REFUSAL_WINDOW, Span};

impl Detector<'_> {
    /// A refusal of the bot, which asks for a human: a word for the bot next to a refusal
    /// ("no more bots", "this bot is useless", "basta de robô"), or a verb of contact or
    /// wanting before it under a negation ("I won't talk to a machine", "no quiero un bot").
    /// Not in a hypothetical or reported clause, nor in a question about who is answering.
    pub(super) fn refusal(&self, (cs, ce): Span) -> Option<Span> {
        let lx = self.lx;
        let mut found = None;
        for i in cs..ce {
            let near = |n: usize| {
                let from = i.saturating_sub(REFUSAL_WINDOW).max(cs);
                (from..(i + n + REFUSAL_WINDOW).min(ce)).find_map(|k| {
                    let (len, _) = self.match_at(lx.refusals, k, ce, false)?;
                    Some((k.min(i), (k + len).max(i + n)))
                })
            };
            if let Some((n, _)) = self.match_at(lx.refused, i, ce, false)
                && let Some(span) = near(n)
            {
                found = Some(span);
                break;
            }
            if let Some((n, _)) = self.match_at(lx.bot_words, i, ce, false) {
                let bot = Mention { start: i, end: i + n, strong: true, typo: false, name: false };
                if let Some(link) = self.link_back_from(cs, ce, &bot, i)
                    && self.negated(cs, &bot, &link)
                {
                    found = Some((link.span.0.min(i), i + n));
                    break;
                }
            }
        }
        let span = found?;
        let asks_who = (cs..ce).any(|k| self.match_at(lx.identity, k, ce, false).is_some());
        (!asks_who && !self.hypothetical(cs, ce)).then_some(span)
    }
}
