//! Explicit requests for a human in Chinese (simplified, with the common traditional forms).
//!
//! Chinese has no spaces, so instead of tokens the detector scans each clause for a human noun
//! (人工, 真人, 客服 …) and reads the few characters before it: a request verb right in front
//! ("转人工", "找个真人", "我需要人工"), "with … talk" around it ("跟客服聊"), or nothing but
//! politeness ("人工客服，谢谢"). Only measure words and softeners may stand between the verb
//! and the noun ("找个", "转一下"), so an aspect mark there is not a request ("找过客服", "I
//! have contacted support"). A negation just before the verb ("不用转人工"), a condition or a
//! past time anywhere in the clause ("如果…", "昨天…") or "是" in front ("你是真人吗") cancel it.

use super::normalize::is_cjk;

/// Human helpers, longest first so "人工客服" wins over "人工".
#[rustfmt::skip]
const HUMANS: &[&str] = &[
    "人工客服", "人工服务", "人工服務", "人工坐席", "人工座席", "真人客服", "客服人员", "客服人員",
    "客服专员", "客服代表", "工作人员", "工作人員", "服务人员", "服務人員", "人工", "真人", "活人",
    "客服", "接线员", "接線員", "话务员", "話務員", "坐席", "座席", "经理", "經理", "主管", "人类",
];

/// After these the noun is something else: 人工智能 (AI), 人工费 (labour cost), 客服电话 (the
/// phone number, a question rather than a request).
#[rustfmt::skip]
const NOT_AFTER: &[&str] = &[
    "智能", "费", "費", "成本", "电话", "電話", "邮箱", "郵箱", "热线", "熱線", "号码", "號碼",
    "工作时间",
];

/// Verbs that ask for the noun right after them (through `GAPS`).
#[rustfmt::skip]
const MARKERS: &[&str] = &[
    "转接到", "转接给", "转接", "转到", "转至", "转给", "转", "接入", "轉接", "轉", "找", "需要",
    "要", "接通", "接", "联系", "聯繫", "联络", "呼叫", "叫", "请", "請", "换", "換", "切换",
    "切換", "让", "讓", "给我", "給我", "有没有", "有沒有", "有", "求", "咨询", "諮詢", "可以",
];

/// "with": a request only when a talking verb follows the noun ("跟客服聊").
#[rustfmt::skip]
const COMPANIONS: &[&str] = &["跟", "和", "与", "與", "同"];
#[rustfmt::skip]
const TALK: &[&str] = &[
    "说话", "說話", "说", "說", "聊", "谈", "談", "沟通", "溝通", "通话", "通話", "对话", "對話",
    "讲", "講", "交流", "联系", "聯繫",
];

/// Measure words and softeners allowed between the verb and the noun ("找个真人", "转一下人工").
#[rustfmt::skip]
const GAPS: &[&str] = &[
    "一个", "一個", "个", "個", "一位", "位", "一名", "名", "一下", "下", "真正的", "真的", "的",
    "我", "你们", "你們", "您的",
];

/// Words that may surround a bare noun in a standalone request.
#[rustfmt::skip]
const POLITE: &[&str] = &[
    "谢谢", "謝謝", "麻烦", "麻煩", "一下", "马上", "馬上", "立刻", "在吗", "在嗎", "你好", "您好",
    "在哪里", "在哪裡", "在哪儿", "在哪", "请", "請", "吧", "啊", "呀", "吗", "嗎", "呢", "呗",
    "哦", "快", "点", "點", "的", "了", "您",
];

#[rustfmt::skip]
const NEGATORS: &[&str] = &[
    "不要", "不用", "不需要", "不想", "别", "別", "没必要", "沒必要", "无需", "無需", "不必",
    "用不着", "用不著", "不找", "不转", "不轉",
];

#[rustfmt::skip]
const HYPOTHETICAL: &[&str] = &[
    "如果", "要是", "假如", "万一", "萬一", "昨天", "之前", "刚才", "剛才", "上次", "以前", "的话",
    "的話", "以后", "以後",
];

/// Questions about who is answering ("你是真人吗", "是不是人工").
#[rustfmt::skip]
const IDENTITY: &[&str] = &[
    "你是", "您是", "是不是", "还是机器人", "還是機器人", "机器人还是", "機器人還是",
];

/// The matched phrase if `norm` (normalised text) asks for a human in Chinese.
pub(crate) fn detect(norm: &str) -> Option<String> {
    let mut clause = String::new();
    for raw in norm.split(|c: char| !(c.is_alphanumeric() || c == ' ')) {
        if !raw.chars().any(is_cjk) {
            continue;
        }
        clause.clear();
        clause.extend(raw.chars().filter(|c| *c != ' '));
        if let Some(phrase) = detect_in_clause(&clause) {
            return Some(phrase.to_string());
        }
    }
    None
}

fn detect_in_clause(clause: &str) -> Option<&str> {
    if HYPOTHETICAL.iter().chain(IDENTITY).any(|w| clause.contains(w)) {
        return None;
    }
    for (p, _) in clause.char_indices() {
        let Some(human) = HUMANS.iter().find(|h| clause[p..].starts_with(**h)) else {
            continue;
        };
        let end = p + human.len();
        let after = &clause[end..];
        if NOT_AFTER.iter().any(|w| after.starts_with(w)) {
            continue;
        }
        let before = strip_gaps(&clause[..p]);
        if before.ends_with('是') {
            continue;
        }
        let marker = MARKERS.iter().find(|m| before.ends_with(**m)).or_else(|| {
            let talk_follows = TALK.iter().any(|t| after.starts_with(t));
            COMPANIONS.iter().find(|c| talk_follows && before.ends_with(**c))
        });
        if let Some(marker) = marker {
            let start = before.len() - marker.len();
            if negated(&clause[..p], start) {
                continue;
            }
            return Some(&clause[start..end]);
        }
        if only_polite(before) && only_polite(after) {
            return Some(*human);
        }
    }
    None
}

/// Whether a negation, condition, past time or identity question occurs anywhere in `norm`.
pub(crate) fn has_blocker(norm: &str) -> bool {
    NEGATORS.iter().chain(HYPOTHETICAL).chain(IDENTITY).any(|w| norm.contains(w))
}

/// Remove up to two measure words / softeners from the end of `text`.
fn strip_gaps(mut text: &str) -> &str {
    for _ in 0..2 {
        match GAPS.iter().find(|g| text.ends_with(**g)) {
            Some(g) => text = &text[..text.len() - g.len()],
            None => break,
        }
    }
    text
}

/// Whether a negation sits in the few characters before the verb at byte `start` of `before`
/// (the clause up to the noun), or wraps it as 不 + 要. Farther back it belongs to another verb
/// ("我不想跟机器人聊我要真人").
fn negated(before: &str, start: usize) -> bool {
    let window_start = before[..start].char_indices().rev().nth(3).map_or(0, |(i, _)| i);
    NEGATORS.iter().any(|n| before[window_start..].contains(n))
}

/// Whether `text` holds only politeness, or the noun again ("人工人工人工" is a common plea).
fn only_polite(mut text: &str) -> bool {
    while !text.is_empty() {
        match POLITE.iter().chain(HUMANS).find(|w| text.starts_with(**w)) {
            Some(w) => text = &text[w.len()..],
            None => return false,
        }
    }
    true
}
