//! Words of frustration in Chinese (simplified, with the common traditional forms), matched by
//! substring since Chinese has no spaces. A negative word right after a negation ("不差",
//! "没那么糟糕") does not count.

use super::index::{Kind, Langs};
use super::signals::{Hit, Matched};

#[rustfmt::skip]
const STRONG: &[&str] = &[
    "垃圾", "太差", "很差", "真差", "差劲", "差勁", "太烂", "烂透", "糟糕", "糟透", "恶心",
    "噁心", "坑人", "坑爹", "骗人", "騙人", "无语", "無語",
    "离谱", "離譜", "荒唐", "荒谬", "荒謬", "可笑", "气死", "氣死", "生气", "生氣", "愤怒",
    "憤怒", "受够", "受夠", "没用", "沒用", "废物", "廢物", "浪费时间", "浪費時間", "什么破",
    "什麼破", "破玩意", "烦死", "煩死", "不可理喻", "岂有此理", "豈有此理",
    "忍无可忍", "忍無可忍", "无法接受", "無法接受", "不能接受", "太过分", "太過分", "崩溃",
    "崩潰", "不满意", "不滿意", "受不了", "无能", "無能",
];

#[rustfmt::skip]
const MILD: &[&str] = &[
    "诈骗", "詐騙", "骗子", "騙子", "投诉", "投訴", "失望", "麻烦", "麻煩", "郁闷", "鬱悶", "过分", "過分", "醉了", "难用", "難用"];

#[rustfmt::skip]
const PROFANITY: &[&str] = &[
    "他妈的", "他媽的", "妈的", "媽的", "操你", "卧槽", "我靠", "傻逼", "傻b", "傻x", "白痴",
    "笨蛋", "蠢货", "蠢貨", "滚蛋", "滾蛋", "狗屎", "尼玛", "尼瑪", "特么", "靠北",
];

#[rustfmt::skip]
const WAITING: &[&str] = &[
    "还是没", "還是沒", "还是不", "還是不", "一直没", "一直沒", "一直不", "等了",
    "等半天", "好几天", "好幾天", "好几次", "好幾次", "多少次", "多少遍", "说过了", "說過了",
    "已经说了", "已經說了", "试过了", "試過了", "已经试", "已經試", "怎么还", "怎麼還", "没人",
    "沒人", "同样的问题", "同樣的問題", "一样的问题", "一樣的問題", "又是",
];

#[rustfmt::skip]
const AGAIN: &[&str] = &["还没", "還沒", "又", "再次", "一直", "到底", "有人吗", "有人嗎", "在吗", "在嗎"];

#[rustfmt::skip]
const BLAME: &[&str] = &[
    "听不懂", "聽不懂", "你不懂", "你不明白", "答非所问", "答非所問", "你在说什么", "你在說什麼",
    "看不懂我", "根本没用", "根本沒用", "说了也没用", "說了也沒用", "没帮助", "沒幫助",
];

#[rustfmt::skip]
const THANKS: &[&str] = &["谢谢", "謝謝", "感谢", "感謝", "多谢", "多謝", "太好了", "完美"];

/// Just before a negative word, these deny it.
#[rustfmt::skip]
const NEGATORS: &[&str] = &[
    "不", "没", "沒", "并不", "並不", "不太", "不是很", "没那么", "沒那麼", "不那么", "不那麼",
    "不会", "不會",
];

#[rustfmt::skip]
const BOT_FAILURE: &[&str] = &[
    "不明白", "不理解", "没听懂", "沒聽懂", "没理解", "沒理解", "没有理解", "沒有理解", "无法回答",
    "無法回答", "无法帮助", "無法幫助", "帮不了", "幫不了", "换个说法", "換個說法", "重新描述",
    "再说一遍", "再說一遍", "我不知道", "不确定您的意思", "不確定您的意思", "没有找到", "沒有找到",
];

/// What a contact says when the help did not help (see `Lexicon::unresolved`).
#[rustfmt::skip]
const UNRESOLVED: &[&str] = &[
    "不行", "还是不行", "還是不行", "没反应", "沒反應", "没有反应", "沒有反應", "还是一样", "還是一樣",
    "没变化", "沒變化", "没有变化", "沒有變化", "不管用", "没效果", "沒效果", "没有效果", "沒有效果",
    "还是报错", "還是報錯", "同样的错误", "同樣的錯誤", "没解决", "沒解決",
    "没有解决", "沒有解決", "不是这个", "不是這個",
];

/// Add the Chinese hits in `norm` (normalised text holding CJK).
pub(super) fn scan(norm: &str, hits: &mut Vec<Hit>) {
    let tables = [
        (Kind::Strong, STRONG),
        (Kind::Mild, MILD),
        (Kind::Profanity, PROFANITY),
        (Kind::Waiting, WAITING),
        (Kind::Again, AGAIN),
        (Kind::Blame, BLAME),
        (Kind::Thanks, THANKS),
    ];
    for (kind, table) in tables {
        for word in table {
            let negatable = matches!(kind, Kind::Strong | Kind::Mild);
            let found = norm.match_indices(word).find(|(at, _)| !(negatable && negated(&norm[..*at])));
            // A longer entry already matched here covers a shorter one ("还是没" and "还没").
            let Some((at, _)) = found else { continue };
            if hits.iter().any(|h| matches!(h.matched, Matched::Cjk(w) if w.contains(word))) {
                continue;
            }
            // "有点烦" is a mild complaint, "有点麻烦" none.
            let kind = match kind {
                Kind::Strong if negatable && downtoned(&norm[..at]) => Kind::Mild,
                Kind::Mild if downtoned(&norm[..at]) => continue,
                kind => kind,
            };
            hits.push(Hit { kind, langs: Langs::ZH, matched: Matched::Cjk(word) });
        }
    }
}

/// Just before a negative word, these soften it.
const DOWNTONERS: &[&str] = &["有点", "有點", "有些", "稍微", "一点", "一點"];

fn downtoned(before: &str) -> bool {
    DOWNTONERS.iter().any(|d| before.ends_with(d))
}

fn negated(before: &str) -> bool {
    NEGATORS.iter().any(|n| before.ends_with(n))
}

/// Whether a bot line in Chinese says it failed.
pub(super) fn is_bot_failure(norm: &str) -> bool {
    BOT_FAILURE.iter().any(|w| norm.contains(w))
}

/// Whether a Chinese message says the help did not help.
pub(super) fn is_unresolved(norm: &str) -> bool {
    UNRESOLVED.iter().any(|w| norm.contains(w))
}
