//! Accepting the bot's offer of a person ([`super::offer`]): sentences written for these tests.

use super::super::context::{Line, Speaker};
use super::offer::accepted_offer;

fn after_bot(bot: &str, reply: &str) -> Option<&'static str> {
    let earlier = [
        Line { speaker: Speaker::Contact, text: "my order is stuck" },
        Line { speaker: Speaker::Bot, text: bot },
    ];
    accepted_offer(&earlier, reply).map(|accepted| accepted.language)
}

#[test]
fn a_short_yes_to_an_offer_of_a_person_is_a_request() {
    let cases = [
        ("Do you want me to transfer you to one of our agents?", "yes please", "en"),
        ("A refund this old needs our payments team. Shall I put you through?", "sure, go ahead", "en"),
        ("I can hand you over to a colleague if you prefer.", "ok connect me", "en"),
        ("I can show the FAQ, or pass you to a specialist. Which one?", "the specialist please", "en"),
        ("¿Quieres que te pase con un agente de ventas?", "sí, por favor", "es"),
        ("Voulez-vous que je vous transfère à un conseiller ?", "oui, merci", "fr"),
        ("Soll ich Sie mit einem Kollegen verbinden?", "ja bitte", "de"),
        ("Posso encaminhar você para um atendente. Quer?", "sim, pode", "pt"),
        ("Vuoi che ti passi un operatore del negozio?", "sì grazie", "it"),
        ("Zal ik je doorverbinden met een medewerker?", "ja graag", "nl"),
        ("需要帮您转接人工客服吗？", "好的", "zh"),
        ("如需人工服务可以为您转接。", "可以", "zh"),
    ];
    for (bot, reply, language) in cases {
        assert_eq!(after_bot(bot, reply), Some(language), "{bot} / {reply}");
    }
}

#[test]
fn refusals_other_options_and_new_subjects_are_not() {
    let cases = [
        ("Do you want me to transfer you to one of our agents?", "no thanks"),
        ("Do you want me to transfer you to one of our agents?", "not yet"),
        ("I can show the FAQ, or pass you to a specialist. Which one?", "no, just the FAQ"),
        ("I can show the FAQ, or pass you to a specialist. Which one?", "the FAQ please"),
        (
            "Do you want me to transfer you to one of our agents?",
            "yes but first tell me when the shop opens tomorrow",
        ),
        ("Do you want me to transfer you to one of our agents?", "thanks"),
        ("¿Quieres que te pase con un agente de ventas?", "no, gracias, ya está"),
        ("Voulez-vous que je vous transfère à un conseiller ?", "non merci"),
        ("Soll ich Sie mit einem Kollegen verbinden?", "nein danke"),
        ("Soll ich Sie mit einem Kollegen verbinden?", "passt schon"),
        ("Posso encaminhar você para um atendente. Quer?", "não precisa"),
        ("Vuoi che ti passi un operatore del negozio?", "no grazie"),
        ("Zal ik je doorverbinden met een medewerker?", "nee hoeft niet"),
        ("需要帮您转接人工客服吗？", "不用了"),
        ("需要帮您转接人工客服吗？", "先不用，谢谢"),
    ];
    for (bot, reply) in cases {
        assert_eq!(after_bot(bot, reply), None, "{bot} / {reply}");
    }
}

#[test]
fn a_yes_to_anything_but_a_person_is_not() {
    let cases = [
        ("Is your router connected to the power socket?", "yes"),
        ("Our trainers work every weekday. Would you like to see the prices?", "sure, go ahead"),
        ("An advisor called you on Monday. Anything else I can do?", "yes please"),
        ("An advisor will email you within two days.", "ok thanks"),
        ("Would you like to transfer money between your accounts?", "yes"),
        ("¿Quieres hacer una transferencia a otra cuenta?", "sí"),
        ("Ist Ihr Gerät mit dem WLAN verbunden?", "ja"),
        ("您的订单已经发货了，还有其他问题吗？", "好的"),
    ];
    for (bot, reply) in cases {
        assert_eq!(after_bot(bot, reply), None, "{bot} / {reply}");
    }
}

#[test]
fn only_the_bots_last_line_counts() {
    let earlier = [
        Line { speaker: Speaker::Bot, text: "Shall I connect you with an agent?" },
        Line { speaker: Speaker::Contact, text: "wait" },
    ];
    assert_eq!(accepted_offer(&earlier, "ok"), None);
    assert_eq!(accepted_offer(&[], "yes please"), None);
}
