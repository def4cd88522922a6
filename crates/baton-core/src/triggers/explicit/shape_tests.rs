//! Request shapes beyond "verb + helper noun": instructions from someone else (`instructed.rs`),
//! asking the business to have someone call (`causative.rs`), helpers before a verb that is
//! usually a noun ("team email me"), names after titles and verbs taking a person, questions
//! whether a human works at the business (`presence.rs`), a helper named alone with its group,
//! and German separable transfer verbs. Sentences written for these tests (none from an
//! evaluation set).

use super::structure_tests::{fires, silent};

#[test]
fn someone_elses_instruction_is_no_request() {
    silent(&[
        "the insurer asked me to contact support about the windscreen",
        "My landlord told us to speak to an agent before signing.",
        "The leaflet says to call an advisor if the meter is blank.",
        "the bank wants me to talk to a human advisor first",
        "A escola pediu para eu falar com um atendente sobre a matrícula.",
        "Me disseram para ligar para o suporte depois das seis.",
        "O banco pediu para você entrar em contato diretamente com o suporte do aplicativo.",
        "En la tienda me dijeron que hablara con un agente.",
        "Le garagiste m'a dit de contacter un conseiller pour la garantie.",
        "Il tecnico mi ha detto di contattare un operatore per il contratto.",
    ]);
}

#[test]
fn the_writers_own_request_after_telling_still_fires() {
    fires(
        "en",
        &[
            "I asked you to put me through to an agent",
            "I already asked you to connect me with a person",
            "they told me to wait, but I want to talk to a human now",
        ],
    );
    fires("pt", &["Eu pedi para falar com um atendente, por favor."]);
    fires("fr", &["J'ai demandé à parler à un conseiller."]);
    fires("it", &["Ho chiesto di parlare con un operatore."]);
}

#[test]
fn a_helper_before_a_verb_that_is_usually_a_noun() {
    fires(
        "en",
        &[
            "can your billing team email me",
            "could the warranty team phone me tomorrow?",
            "can your support team email me?",
            "could your team call me back?",
            "could the sales team ring me back?",
        ],
    );
    silent(&["the support team email address bounces", "where is the agent phone number listed"]);
}

#[test]
fn german_separable_transfer_verbs() {
    fires(
        "de",
        &[
            "Stellen Sie mich bitte durch.",
            "Können Sie mich bitte durchstellen?",
            "kannst du mich weiterleiten",
        ],
    );
    silent(&["Die Seite lässt mich nicht weiterleiten.", "Er hat mich gestern durchgestellt."]);
}

#[test]
fn a_name_after_a_title_or_a_verb_taking_a_person() {
    fires("it", &["Posso sentire Giulia? Ha gestito lei la mia pratica.", "Mi passa il dottor Ferri?"]);
    fires("it", &["Vorrei sentire il dottor Bassi dell'ufficio tecnico."]);
    fires("fr", &["Pourriez-vous me passer Julien, s'il vous plaît ?", "Puis-je joindre Mme Durand ?"]);
    fires("es", &["¿Me pasa con la señora Ortiz?", "¿Pasame a Lucía, por favor?"]);
    fires("en", &["Can I talk to Mr Patel please?"]);
    silent(&[
        "Je vais passer Noël chez ma sœur.",
        "Comment joindre Excel à mon message ?",
        "non si riesce a sentire Spotify dal telefono",
        "I speak English and French.",
        "Ho chiesto di sentire Giulia ieri.",
    ]);
}

#[test]
fn asking_whether_a_human_works_at_the_business() {
    fires(
        "it",
        &[
            "esiste un tecnico umano in questo negozio?",
            "qualche persona vera ci lavora ancora in questo negozio?",
            "Nel vostro negozio ci lavora qualche persona vera?",
            "c'è un impiegato in questa filiale che mi sa aiutare?",
            "c'è 1 tecnico disponibile?",
        ],
    );
    silent(&[
        "ci sono operatori in questa zona che installano la fibra",
        "il tecnico lavora il sabato?",
        "esiste un operatore in questa città?",
    ]);
}

#[test]
fn a_function_word_is_no_typo_of_a_helper() {
    silent(&["¿Ofrecéis algún taller de recursos humanos?", "¿Hay algún descuento para estudiantes?"]);
    fires(
        "es",
        &[
            "Póngame al teléfono a un técnico, por favor.",
            "¿Hay algún empleado en esta oficina con quien pueda revisar mi factura?",
        ],
    );
    fires("pt", &["atendente, se faz favor", "operador, se faz favor"]);
}

#[test]
fn a_helper_named_alone_with_its_group_or_kind() {
    fires(
        "fr",
        &["Technicien chauffage ??", "Responsable d'agence, svp.", "Un humain du soutien technique, svp."],
    );
    silent(&["Persona giuridica ??", "Technicien chauffage.", "Technicien chauffage ?"]);
}

#[test]
fn asking_the_business_to_have_someone_contact_the_writer() {
    fires(
        "en",
        &[
            "Can you get Sarah from accounts to give me a ring?",
            "can you have the plumber call me back?",
            "get the installer to phone me please",
            "please ask the surveyor to call me",
        ],
    );
    fires(
        "fr",
        &[
            "Faites en sorte que le technicien me rappelle.",
            "Pouvez-vous demander au livreur de me rappeler ?",
        ],
    );
    fires("it", &["Per favore chieda al corriere di richiamarmi."]);
    silent(&[
        "can you have the app email me the receipt?",
        "they asked the courier to call me",
        "I told the plumber to call me",
        "don't have anyone call me",
        "have a nice day",
    ]);
}

#[test]
fn anyone_asked_to_call_the_writer_back() {
    fires(
        "en",
        &[
            "Could the courier who covers my street ring me back?",
            "Can Tom, the guy from the warehouse, call me back?",
        ],
    );
    fires(
        "fr",
        &[
            "Est-ce que Paul, le responsable du magasin, peut me rappeler ?",
            "Est-ce que le livreur peut me rappeler ?",
        ],
    );
    silent(&[
        "can the app email me when it ships?",
        "when can the driver call me?",
        "can the confirmation email me a copy?",
        "can my wife call you instead?",
        "Est-ce que le site peut me rappeler mon mot de passe ?",
        "Quand est-ce que le livreur peut me rappeler ?",
        "Le livreur peut me rappeler demain, c'est ça ?",
        "¿La aplicación puede avisarme cuando llegue?",
        "¿Mi hijo puede llamarme desde otro número?",
    ]);
}

#[test]
fn an_abbreviation_ends_no_sentence() {
    fires("fr", &["Bonjour, M. Durand est-il joignable ?", "Mme. Roux est-elle disponible ?"]);
    fires("en", &["Can I speak to Dr. Shah please?"]);
    fires("it", &["Il dott. Ferri è in sede oggi?"]);
    silent(&["No. The parcel arrived, thanks.", "Dr. Shah's clinic closes at five."]);
}

#[test]
fn a_pronoun_for_a_helper_named_before() {
    fires(
        "en",
        &[
            "Do you still employ human staff? Put me onto one.",
            "Do you still employ human advisors? If so, connect me with one please.",
        ],
    );
    fires("it", &["Ci sono tecnici veri da voi? Potrei parlarci?"]);
    silent(&[
        "Your agents were rude last time. I don't want to talk to one.",
        "The technician fixed the boiler. Which one should I rate?",
        "I'd like to talk to one.",
        "The agent on the phone was kind. I have one question about my bill.",
    ]);
}

#[test]
fn someone_who_works_there_is_a_helper() {
    fires("en", &["I want somebody who really works at your company to sort my refund"]);
    fires("it", &["voglio qualcuno che ci lavora davvero"]);
    silent(&[
        "I know someone who works there, she said the fee is normal.",
        "my brother has a friend that works at your warehouse",
    ]);
}

#[test]
fn a_wish_that_a_helper_take_the_case_over() {
    fires(
        "fr",
        &[
            "Qu'un technicien reprenne mon dossier, svp.",
            "Est-il possible qu'un technicien regarde ma facture ?",
            "Je voudrais qu'un conseiller de la banque examine mon contrat.",
        ],
    );
    silent(&[
        "Je ne veux pas qu'un conseiller me rappelle.",
        "Il paraît qu'un conseiller regarde les dossiers le lundi.",
    ]);
}

#[test]
fn presence_of_a_person_described_after_a_comma() {
    fires("es", &["¿Está Lorena, la contable?", "¿Está Iván, el técnico?"]);
    fires("it", &["C'è Franco, il magazziniere?"]);
    silent(&["¿Está Lorena, la contable, de vacaciones hasta cuándo?", "Está Lorena, la de siempre."]);
}

#[test]
fn asking_whether_nobody_is_there() {
    fires("it", &["Ma c'è nessuno??", "c'è nessuno che risponde?"]);
    fires("es", &["Hola, ¿no hay nadie que me atienda?"]);
    silent(&[
        "il sabato pomeriggio in negozio non c'è nessuno?",
        "Nessuno mi ha ancora risposto.",
        "No hay nadie en casa por la mañana.",
        "nobody called me back",
    ]);
}
