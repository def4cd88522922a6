use async_trait::async_trait;
use baton_core::triggers::normalize;

use crate::{AiBackend, AiError, Reply, Turn};

/// Answers from the bot's FAQ: the entry with the most keywords found in the message wins.
/// A keyword matches whole words of the normalised text, plural or not ("return" matches
/// "returns"; "ship" does not match "relationship").
#[derive(Debug, Default, Clone, Copy)]
pub struct RulesBot;

#[async_trait]
impl AiBackend for RulesBot {
    async fn reply(&self, turn: Turn<'_>) -> Result<Reply, AiError> {
        let text = format!(" {} ", words_only(&normalize(turn.text)));
        let best = turn
            .settings
            .faq
            .iter()
            .map(|entry| {
                let hits = entry
                    .keywords
                    .iter()
                    .filter(|keyword| {
                        let keyword = words_only(&normalize(keyword));
                        !keyword.is_empty()
                            && ["", "s", "es"]
                                .iter()
                                .any(|plural| text.contains(&format!(" {keyword}{plural} ")))
                    })
                    .count();
                (hits, entry)
            })
            .filter(|(hits, _)| *hits > 0)
            .max_by_key(|(hits, _)| *hits);
        Ok(match best {
            Some((_, entry)) => Reply::Answer(entry.answer.clone()),
            None => Reply::CannotHelp(turn.settings.policy.messages_for(turn.language).cannot_help),
        })
    }
}

/// Letters and digits separated by single spaces.
fn words_only(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use baton_core::policy::BotSettings;

    use super::*;

    fn reply(text: &str) -> Reply {
        let settings = BotSettings::demo();
        futures_lite_block_on(RulesBot.reply(Turn::of_text(&settings, text))).unwrap()
    }

    /// The rules bot never awaits anything, so polling it once completes it.
    fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("the rules bot must not wait"),
        }
    }

    #[test]
    fn answers_from_the_faq_by_whole_words() {
        assert!(matches!(reply("How long does SHIPPING take?"), Reply::Answer(a) if a.contains("ship")));
        assert!(matches!(reply("Can I get a refund?"), Reply::Answer(a) if a.contains("return")));
        assert!(matches!(reply("how do returns work"), Reply::Answer(a) if a.contains("return")));
        assert!(matches!(reply("our relationship is complicated"), Reply::CannotHelp(_)));
    }

    #[test]
    fn says_it_cannot_help_otherwise() {
        let Reply::CannotHelp(text) = reply("what is the meaning of life") else { panic!() };
        assert_eq!(text, BotSettings::default().policy.messages_for(None).cannot_help);
    }
}
