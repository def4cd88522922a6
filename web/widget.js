/*
 * Baton chat widget.
 * Embed: <script src="https://HOST/widget.js" data-bot-id="…" data-locale="…" data-title="…" async></script>
 * Self-contained on purpose (no dependencies, no build step): it injects its own CSS,
 * every class is prefixed `baton-`, and it talks to the server the script was loaded from.
 */
(function () {
  'use strict';
  if (window.Baton && window.Baton._loaded) return; // embedded twice: keep the first

  // document.currentScript only exists while this file first runs, so read it now.
  const script = document.currentScript ||
    Array.from(document.scripts).find((s) => /\/widget\.js([?#]|$)/.test(s.src));
  const src = (script && script.src) || location.origin + '/widget.js';
  const BASE = src.replace(/\/widget\.js([?#].*)?$/, '');
  const WS_BASE = BASE.replace(/^http/, 'ws'); // http→ws, https→wss
  const settings = window.BatonSettings || {};
  const attrs = (script && script.dataset) || {};
  const botId = attrs.botId || settings.botId || '';
  // Only an explicitly configured locale is sent: it fixes the conversation's language. Without
  // one, Baton detects the language from what the visitor writes.
  const locale = attrs.locale || settings.locale || '';
  const customTitle = attrs.title || settings.title || '';
  const STORE_KEY = 'baton.conversation.' + (botId || 'default');
  const VISITOR_KEY = 'baton.visitor';
  const OPEN_STATES = ['gathering', 'queued', 'offered', 'live', 'offline', 'ticket'];
  const HANDOFF_OPEN = ['queued', 'offered', 'live', 'offline', 'ticket']; // "talk to a human" hidden
  const STATUS = { bot: 'bot', gathering: 'gathering', queued: 'waiting', offered: 'waiting', offline: 'offline', ticket: 'ticket' };
  // The widget's own words, in the eight languages Baton's catalog speaks. The language is
  // the conversation's once Baton knows it, else the configured locale, else the browser's.
  const WORDS = {
    en: {
      title: 'Chat with us', bot: 'Chatting with our assistant', gathering: 'Connecting you with our team…',
      waiting: 'Waiting for a team member…', offline: 'Our team is offline', ticket: "Thanks! We'll get back to you by email",
      live: "You're chatting with {name}", member: 'a team member', open: 'Open chat', close: 'Close chat',
      messages: 'Messages', name: 'Your name', email: 'Email address', help: 'How can we help?', send: 'Send',
      comment: 'Anything to add? (optional)', human: 'Talk to a human', type: 'Type a message…',
      leadIntro: "Our team is offline right now. Leave your email and we'll get back to you.",
      followUp: "Don't want to wait? Get the answer by email", followUpIntro: "Leave your email: you keep your place in line and the answer comes by email. You can close this window.",
      rate: 'How did we do?', rateGroup: 'Rate this conversation', of5: '{n} of 5', typing: '{name} is typing…', sending: 'Sending…', sent: 'Sent', notSent: 'Not sent ({error}). Retry',
      noStart: 'Could not start the chat. Please try again.', failed: 'Something went wrong ({status}). Please try again.',
      attach: 'Attach a file',
      whatsappIntro: 'Or continue on WhatsApp: you keep your place in line and can close this window.', whatsappUse: 'Continue on WhatsApp',
      whatsappSend: 'To confirm it\'s you, send this message from your WhatsApp to {number}:', whatsappOpen: 'Open WhatsApp',
      whatsappChosen: 'The answer will come on WhatsApp. You keep your place in line and can close this window.',
    },
    es: {
      title: 'Chatea con nosotros', bot: 'Hablando con nuestro asistente', gathering: 'Conectándote con nuestro equipo…',
      waiting: 'Esperando a una persona del equipo…', offline: 'Nuestro equipo no está disponible', ticket: '¡Gracias! Te responderemos por correo electrónico',
      live: 'Estás hablando con {name}', member: 'una persona del equipo', open: 'Abrir chat', close: 'Cerrar chat',
      messages: 'Mensajes', name: 'Tu nombre', email: 'Correo electrónico', help: '¿Cómo podemos ayudarte?', send: 'Enviar',
      comment: '¿Algo más que añadir? (opcional)', human: 'Hablar con una persona', type: 'Escribe un mensaje…',
      leadIntro: 'Nuestro equipo no está disponible ahora. Déjanos tu correo y te responderemos.',
      followUp: "¿No quieres esperar? Recibe la respuesta por correo", followUpIntro: "Déjanos tu correo: conservas tu lugar en la cola y la respuesta te llegará por correo. Puedes cerrar esta ventana.",
      rate: '¿Qué tal lo hicimos?', rateGroup: 'Valora esta conversación', of5: '{n} de 5', typing: '{name} está escribiendo…', sending: 'Enviando…', sent: 'Enviado', notSent: 'No enviado ({error}). Reintentar',
      noStart: 'No se pudo iniciar el chat. Inténtalo de nuevo.', failed: 'Algo salió mal ({status}). Inténtalo de nuevo.',
      attach: 'Adjuntar un archivo',
      whatsappIntro: 'O continúa por WhatsApp: conservas tu lugar en la cola y puedes cerrar esta ventana.', whatsappUse: 'Continuar por WhatsApp',
      whatsappSend: 'Para confirmar que eres tú, envía este mensaje desde tu WhatsApp al {number}:', whatsappOpen: 'Abrir WhatsApp',
      whatsappChosen: 'La respuesta te llegará por WhatsApp. Conservas tu lugar en la cola y puedes cerrar esta ventana.',
    },
    fr: {
      title: 'Discutez avec nous', bot: 'Vous parlez avec notre assistant', gathering: 'Mise en relation avec notre équipe…',
      waiting: "En attente d'un membre de l'équipe…", offline: "Notre équipe n'est pas disponible", ticket: 'Merci ! Nous vous répondrons par e-mail',
      live: 'Vous parlez avec {name}', member: "un membre de l'équipe", open: 'Ouvrir le chat', close: 'Fermer le chat',
      messages: 'Messages', name: 'Votre nom', email: 'Adresse e-mail', help: 'Comment pouvons-nous vous aider ?', send: 'Envoyer',
      comment: 'Quelque chose à ajouter ? (facultatif)', human: 'Parler à une personne', type: 'Écrivez un message…',
      leadIntro: "Notre équipe n'est pas disponible pour le moment. Laissez votre e-mail et nous vous répondrons.",
      followUp: "Pas envie d'attendre ? Recevez la réponse par e-mail", followUpIntro: "Laissez votre e-mail : vous gardez votre place dans la file et la réponse arrive par e-mail. Vous pouvez fermer cette fenêtre.",
      rate: "Comment s'est passé l'échange ?", rateGroup: 'Notez cette conversation', of5: '{n} sur 5', typing: '{name} écrit…', sending: 'Envoi…', sent: 'Envoyé', notSent: 'Non envoyé ({error}). Réessayer',
      noStart: "Impossible de démarrer le chat. Veuillez réessayer.", failed: 'Une erreur est survenue ({status}). Veuillez réessayer.',
      attach: 'Joindre un fichier',
      whatsappIntro: 'Ou continuez sur WhatsApp : vous gardez votre place dans la file et pouvez fermer cette fenêtre.', whatsappUse: 'Continuer sur WhatsApp',
      whatsappSend: 'Pour confirmer que c\'est bien vous, envoyez ce message depuis votre WhatsApp au {number} :', whatsappOpen: 'Ouvrir WhatsApp',
      whatsappChosen: 'La réponse arrivera sur WhatsApp. Vous gardez votre place dans la file et pouvez fermer cette fenêtre.',
    },
    de: {
      title: 'Chatten Sie mit uns', bot: 'Sie chatten mit unserem Assistenten', gathering: 'Wir verbinden Sie mit unserem Team…',
      waiting: 'Warten auf eine Person aus unserem Team…', offline: 'Unser Team ist nicht erreichbar', ticket: 'Danke! Wir melden uns per E-Mail',
      live: 'Sie chatten mit {name}', member: 'einer Person aus unserem Team', open: 'Chat öffnen', close: 'Chat schließen',
      messages: 'Nachrichten', name: 'Ihr Name', email: 'E-Mail-Adresse', help: 'Wie können wir helfen?', send: 'Senden',
      comment: 'Möchten Sie etwas ergänzen? (optional)', human: 'Mit einem Menschen sprechen', type: 'Nachricht schreiben…',
      leadIntro: 'Unser Team ist gerade nicht erreichbar. Hinterlassen Sie Ihre E-Mail-Adresse, dann melden wir uns.',
      followUp: "Keine Lust zu warten? Antwort per E-Mail erhalten", followUpIntro: "Hinterlassen Sie Ihre E-Mail-Adresse: Sie behalten Ihren Platz in der Warteschlange, und die Antwort kommt per E-Mail. Sie können dieses Fenster schließen.",
      rate: 'Wie waren wir?', rateGroup: 'Gespräch bewerten', of5: '{n} von 5', typing: '{name} schreibt…', sending: 'Wird gesendet…', sent: 'Gesendet', notSent: 'Nicht gesendet ({error}). Erneut versuchen',
      noStart: 'Der Chat konnte nicht gestartet werden. Bitte versuchen Sie es erneut.', failed: 'Etwas ist schiefgelaufen ({status}). Bitte versuchen Sie es erneut.',
      attach: 'Datei anhängen',
      whatsappIntro: 'Oder per WhatsApp weiterschreiben: Sie behalten Ihren Platz in der Warteschlange und können dieses Fenster schließen.', whatsappUse: 'Per WhatsApp weiter',
      whatsappSend: 'Senden Sie zur Bestätigung diese Nachricht von Ihrem WhatsApp an {number}:', whatsappOpen: 'WhatsApp öffnen',
      whatsappChosen: 'Die Antwort kommt per WhatsApp. Sie behalten Ihren Platz in der Warteschlange und können dieses Fenster schließen.',
    },
    pt: {
      title: 'Fale connosco', bot: 'A conversar com o nosso assistente', gathering: 'A ligar você à nossa equipa…',
      waiting: 'À espera de uma pessoa da equipa…', offline: 'A nossa equipa não está disponível', ticket: 'Obrigado! Responderemos por e-mail',
      live: 'Está a conversar com {name}', member: 'uma pessoa da equipa', open: 'Abrir chat', close: 'Fechar chat',
      messages: 'Mensagens', name: 'O seu nome', email: 'Endereço de e-mail', help: 'Como podemos ajudar?', send: 'Enviar',
      comment: 'Algo a acrescentar? (opcional)', human: 'Falar com uma pessoa', type: 'Escreva uma mensagem…',
      leadIntro: 'A nossa equipa não está disponível agora. Deixe o seu e-mail e responderemos.',
      followUp: "Não quer esperar? Receba a resposta por e-mail", followUpIntro: "Deixe o seu e-mail: mantém o seu lugar na fila e a resposta chega por e-mail. Pode fechar esta janela.",
      rate: 'Como correu?', rateGroup: 'Avalie esta conversa', of5: '{n} de 5', typing: '{name} está a escrever…', sending: 'A enviar…', sent: 'Enviado', notSent: 'Não enviado ({error}). Tentar de novo',
      noStart: 'Não foi possível iniciar o chat. Tente de novo.', failed: 'Algo correu mal ({status}). Tente de novo.',
      attach: 'Anexar um arquivo',
      whatsappIntro: 'Ou continue pelo WhatsApp: mantém o seu lugar na fila e pode fechar esta janela.', whatsappUse: 'Continuar pelo WhatsApp',
      whatsappSend: 'Para confirmar que é você, envie esta mensagem do seu WhatsApp para {number}:', whatsappOpen: 'Abrir o WhatsApp',
      whatsappChosen: 'A resposta chega pelo WhatsApp. Mantém o seu lugar na fila e pode fechar esta janela.',
    },
    it: {
      title: 'Chatta con noi', bot: 'Stai parlando con il nostro assistente', gathering: 'Ti stiamo mettendo in contatto con il team…',
      waiting: 'In attesa di una persona del team…', offline: 'Il nostro team non è disponibile', ticket: 'Grazie! Ti risponderemo via email',
      live: 'Stai parlando con {name}', member: 'una persona del team', open: 'Apri la chat', close: 'Chiudi la chat',
      messages: 'Messaggi', name: 'Il tuo nome', email: 'Indirizzo email', help: 'Come possiamo aiutarti?', send: 'Invia',
      comment: 'Vuoi aggiungere qualcosa? (facoltativo)', human: 'Parla con una persona', type: 'Scrivi un messaggio…',
      leadIntro: 'Il nostro team al momento non è disponibile. Lasciaci la tua email e ti risponderemo.',
      followUp: "Non vuoi aspettare? Ricevi la risposta via email", followUpIntro: "Lasciaci la tua email: mantieni il tuo posto in coda e la risposta arriverà via email. Puoi chiudere questa finestra.",
      rate: "Com'è andata?", rateGroup: 'Valuta questa conversazione', of5: '{n} su 5', typing: '{name} sta scrivendo…', sending: 'Invio…', sent: 'Inviato', notSent: 'Non inviato ({error}). Riprova',
      noStart: 'Impossibile avviare la chat. Riprova.', failed: 'Qualcosa è andato storto ({status}). Riprova.',
      attach: 'Allega un file',
      whatsappIntro: 'Oppure continua su WhatsApp: mantieni il tuo posto in coda e puoi chiudere questa finestra.', whatsappUse: 'Continua su WhatsApp',
      whatsappSend: 'Per confermare che sei tu, invia questo messaggio dal tuo WhatsApp al {number}:', whatsappOpen: 'Apri WhatsApp',
      whatsappChosen: 'La risposta arriverà su WhatsApp. Mantieni il tuo posto in coda e puoi chiudere questa finestra.',
    },
    nl: {
      title: 'Chat met ons', bot: 'Je chat met onze assistent', gathering: 'We verbinden je met ons team…',
      waiting: 'Wachten op iemand van ons team…', offline: 'Ons team is niet bereikbaar', ticket: 'Bedankt! We antwoorden je per e-mail',
      live: 'Je chat met {name}', member: 'iemand van ons team', open: 'Chat openen', close: 'Chat sluiten',
      messages: 'Berichten', name: 'Je naam', email: 'E-mailadres', help: 'Waarmee kunnen we helpen?', send: 'Verstuur',
      comment: 'Nog iets toe te voegen? (optioneel)', human: 'Praat met een medewerker', type: 'Typ een bericht…',
      leadIntro: 'Ons team is nu niet bereikbaar. Laat je e-mailadres achter, dan antwoorden we je.',
      followUp: "Geen zin om te wachten? Krijg het antwoord per e-mail", followUpIntro: "Laat je e-mailadres achter: je houdt je plek in de rij en het antwoord komt per e-mail. Je kunt dit venster sluiten.",
      rate: 'Hoe hebben we het gedaan?', rateGroup: 'Beoordeel dit gesprek', of5: '{n} van 5', typing: '{name} is aan het typen…', sending: 'Versturen…', sent: 'Verstuurd', notSent: 'Niet verstuurd ({error}). Opnieuw',
      noStart: 'De chat kon niet starten. Probeer het opnieuw.', failed: 'Er ging iets mis ({status}). Probeer het opnieuw.',
      attach: 'Bestand bijvoegen',
      whatsappIntro: 'Of ga verder via WhatsApp: je houdt je plek in de rij en kunt dit venster sluiten.', whatsappUse: 'Verder via WhatsApp',
      whatsappSend: 'Stuur ter bevestiging dit bericht vanaf je WhatsApp naar {number}:', whatsappOpen: 'WhatsApp openen',
      whatsappChosen: 'Het antwoord komt via WhatsApp. Je houdt je plek in de rij en kunt dit venster sluiten.',
    },
    zh: {
      title: '与我们聊天', bot: '正在与我们的助手聊天', gathering: '正在为您转接我们的团队…',
      waiting: '正在等待工作人员…', offline: '我们的团队目前不在线', ticket: '谢谢！我们会通过邮件回复您',
      live: '您正在与 {name} 聊天', member: '工作人员', open: '打开聊天', close: '关闭聊天',
      messages: '消息', name: '您的姓名', email: '邮箱地址', help: '我们能为您做什么？', send: '发送',
      comment: '还有什么要补充的吗？（可选）', human: '转人工', type: '输入消息…',
      leadIntro: '我们的团队目前不在线。请留下您的邮箱，我们会回复您。',
      followUp: "不想等待？通过邮件获取答复", followUpIntro: "留下您的邮箱：您将保留排队位置，答复会发送到您的邮箱。您可以关闭此窗口。",
      rate: '您对我们的服务满意吗？', rateGroup: '为本次对话评分', of5: '{n} / 5', typing: '{name} 正在输入…', sending: '发送中…', sent: '已发送', notSent: '未发送（{error}）。重试',
      noStart: '无法开始聊天，请重试。', failed: '出错了（{status}），请重试。',
      attach: '添加附件',
      whatsappIntro: '或通过 WhatsApp 继续：您将保留排队位置，可以关闭此窗口。', whatsappUse: '通过 WhatsApp 继续',
      whatsappSend: '为确认是您本人，请用您的 WhatsApp 将这条消息发送到 {number}：', whatsappOpen: '打开 WhatsApp',
      whatsappChosen: '答复将通过 WhatsApp 发送。您将保留排队位置，可以关闭此窗口。',
    },
  };
  const supported = (tag) => {
    const primary = String(tag || '').split(/[-_]/)[0].toLowerCase();
    return Object.prototype.hasOwnProperty.call(WORDS, primary) ? primary : null;
  };
  let language = supported(locale) || supported(navigator.language) || 'en';
  const t = (key, vars) => {
    let text = (WORDS[language] || WORDS.en)[key] || WORDS.en[key] || key;
    for (const [name, value] of Object.entries(vars || {})) text = text.replace('{' + name + '}', value);
    return text;
  };


  const Baton = (window.Baton = window.Baton || {});
  Baton._loaded = true;

  let conv = load(); // {id, token} of the conversation this browser owns
  let state = 'bot';
  let ownerName = '';
  let leadMode = 'offline'; // what the details form is for: 'offline' or 'follow-up'
  let followUpChosen = false; // the contact left an address to be answered at while waiting
  let whatsappOffered = false; // the bot has a WhatsApp number the answer may go to instead
  let onWhatsapp = false; // the contact continues there: the team's replies go to their WhatsApp
  let invite = null; // the number and the message with a code to send from WhatsApp, until it comes back
  let lastSeq = 0;
  let isOpen = false;
  let unread = 0;
  let creating = null;
  let openWhenReady = false; // open() called before the DOM was ready
  let ws = null;
  let wsTimer = 0;
  let wsDelay = 1000;
  let wsEverOpened = false;
  const seen = new Set(); // seqs already rendered
  const pending = new Map(); // client_id → optimistic element
  const fired = new Set(); // "handoffId:kind" already reported to onHandoff
  let ui = {};

  // ---------- helpers ----------
  function load() {
    try {
      const v = JSON.parse(localStorage.getItem(STORE_KEY));
      return v && v.id && v.token ? v : null;
    } catch (_) { return null; }
  }
  function save() {
    try {
      if (conv) localStorage.setItem(STORE_KEY, JSON.stringify(conv));
      else localStorage.removeItem(STORE_KEY);
    } catch (_) { /* storage disabled: the chat still works for this page view */ }
  }
  // randomUUID needs a secure context; plain-http intranet pages still deserve idempotent sends.
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

  // ---------- who the visitor is ----------
  // One id per browser, kept across visits, so a returning visitor's conversations share
  // their contact record (the team sees their past chats). Not sent anywhere else.
  function visitorId() {
    try {
      let id = localStorage.getItem(VISITOR_KEY);
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(id || '')) {
        id = uuid();
        localStorage.setItem(VISITOR_KEY, id);
      }
      return id;
    } catch (_) { return undefined; } // storage disabled: every visit is a new visitor
  }
  // What the host page says about a logged-in customer: `data-user-id`, `data-user-hash`
  // (the site server's HMAC-SHA256 of the id with the bot's identity secret),
  // `data-user-name`, `data-user-email` and `data-attribute-<name>` on the script tag, the
  // same as `BatonSettings.user`, or later `Baton.identify({...})`, which applies to the next
  // conversation this browser starts.
  const snake = (key) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
  function identityFromPage() {
    const user = Object.assign({}, settings.user || {});
    const attributes = Object.assign({}, user.attributes || {});
    for (const [key, value] of Object.entries(attrs)) {
      if (/^attribute[A-Z]/.test(key)) attributes[snake(key.slice(9, 10).toLowerCase() + key.slice(10))] = value;
    }
    return {
      user_id: attrs.userId || user.user_id || user.id, user_hash: attrs.userHash || user.user_hash || user.hash,
      name: attrs.userName || user.name, email: attrs.userEmail || user.email, attributes,
    };
  }
  let identity = identityFromPage();
  Baton.identify = (who) => {
    const next = Object.assign({}, who || {});
    identity = {
      user_id: next.user_id || next.id, user_hash: next.user_hash || next.hash, name: next.name, email: next.email,
      attributes: Object.assign({}, identity.attributes, next.attributes || {}),
    };
  };
  function contactFields() {
    const contact = Object.assign({}, settings.contact || {});
    if (identity.name) contact.name = identity.name;
    if (identity.email) contact.email = identity.email;
    return {
      contact: Object.keys(contact).length ? contact : undefined,
      visitor_id: visitorId(),
      identity: identity.user_id && identity.user_hash ? { user_id: String(identity.user_id), user_hash: String(identity.user_hash) } : undefined,
      attributes: Object.keys(identity.attributes || {}).length ? identity.attributes : undefined,
    };
  }
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids) if (kid != null) el.append(kid);
    return el;
  }
  // JSON in and out; a file (a Blob) is sent as it is.
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const raw = body instanceof Blob;
    if (body !== undefined) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
    if (conv && path !== '/v1/conversations') headers.Authorization = 'Bearer ' + conv.token;
    const res = await fetch(BASE + path, {
      method, headers, body: body === undefined || raw ? body : JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch (_) { /* empty body */ }
    if (!res.ok) {
      const err = new Error((data && (data.detail || data.title)) || t('failed', { status: res.status }));
      err.status = res.status;
      throw err;
    }
    return data;
  }
  const convPath = (suffix) => `/v1/conversations/${encodeURIComponent(conv.id)}${suffix || ''}`;

  // ---------- UI ----------
  const CSS = `
.baton-root{--baton-accent:${settings.color || '#2b59c3'};position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330}
.baton-root *{box-sizing:border-box;font:inherit}
.baton-root [hidden]{display:none!important}
.baton-root button{cursor:pointer}
.baton-root :focus-visible{outline:2px solid var(--baton-accent);outline-offset:2px}
.baton-launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--baton-accent);color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.22);display:grid;place-items:center;position:relative;transition:transform .15s}
.baton-launcher:hover{transform:scale(1.06)}
.baton-launcher svg{width:26px;height:26px;fill:currentColor}
.baton-badge{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#e5484d;color:#fff;font-size:12px;font-weight:600;line-height:20px}
.baton-panel{position:absolute;right:0;bottom:72px;width:370px;max-width:calc(100vw - 24px);height:min(600px,calc(100vh - 110px));background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.22);display:flex;flex-direction:column;overflow:hidden}
.baton-header{background:var(--baton-accent);color:#fff;padding:14px 12px 14px 16px;display:flex;align-items:center;gap:8px}
.baton-title{font-weight:600;font-size:15px}
.baton-status{font-size:12.5px;opacity:.9}
.baton-close{margin-left:auto;background:none;border:0;color:inherit;font-size:22px;width:34px;height:34px;border-radius:8px}
.baton-close:hover{background:rgba(255,255,255,.15)}
.baton-body{flex:1;overflow-y:auto;background:#f6f7f9;padding:14px 12px}
.baton-messages{display:flex;flex-direction:column;gap:8px}
.baton-msg{max-width:84%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e4e7ec;align-self:flex-start;border-bottom-left-radius:4px}
.baton-msg[data-author=contact]{align-self:flex-end;background:var(--baton-accent);color:#fff;border-color:transparent;border-radius:14px 14px 4px 14px}
.baton-msg[data-author=user]{background:#eef7f1;border-color:#d2e8da}
.baton-msg-name{display:flex;align-items:center;gap:6px}
.baton-avatar{display:inline-grid;place-items:center;width:20px;height:20px;border-radius:50%;background:#d2e8da;color:#14532d;font-size:10px;font-weight:700}
.baton-msg-state{font-size:11px;opacity:.8;text-align:right;margin-top:2px}
.baton-typing{font-size:12.5px;color:#475467;font-style:italic;padding:2px 4px}
.baton-msg[data-author=system]{align-self:center;background:none;border:0;color:#6b7280;font-size:12.5px;text-align:center}
.baton-msg[data-pending]{opacity:.65}
.baton-msg[data-failed]{opacity:1;background:#fdecec;color:#8a1f1f}
.baton-msg-name{font-size:12px;font-weight:600;color:#2f6b45;margin-bottom:2px}
.baton-retry{display:block;margin-top:4px;background:none;border:0;padding:0;color:inherit;text-decoration:underline;font-size:12px}
.baton-card{margin-top:12px;padding:12px;border:1px solid #e4e7ec;border-radius:12px;background:#fff;display:flex;flex-direction:column;gap:8px}
.baton-card p{margin:0}
.baton-quote{padding:8px 10px;background:#e7f6e9;border-radius:8px;font-style:italic}
a.baton-btn{text-align:center;text-decoration:none}
.baton-field{width:100%;padding:8px 10px;border:1px solid #d0d5dd;border-radius:8px;background:#fff;color:inherit}
.baton-root .baton-field:focus{outline:0;border-color:var(--baton-accent)}
.baton-btn{padding:8px 14px;border-radius:8px;border:0;background:var(--baton-accent);color:#fff;font-weight:600}
.baton-btn:disabled{opacity:.55;cursor:default}
.baton-error{color:#b42318;font-size:12.5px}
.baton-stars{display:flex;flex-direction:row-reverse;justify-content:center;gap:2px}
.baton-stars button{font-size:26px;line-height:1;background:none;border:0;color:#c9ced6;padding:2px 4px}
.baton-stars button:hover,.baton-stars button:hover~button{color:#f5a524}
.baton-foot{border-top:1px solid #e4e7ec;padding:8px 12px 12px;background:#fff}
.baton-human{display:block;margin:0 auto 8px;background:none;border:1px solid #d0d5dd;border-radius:999px;padding:4px 12px;font-size:12.5px;color:#374151}
.baton-human:hover{border-color:var(--baton-accent);color:var(--baton-accent)}
.baton-composer{display:flex;gap:8px;align-items:flex-end}
.baton-composer textarea{flex:1;resize:none;max-height:120px;min-height:38px}
.baton-attach{flex:none;width:38px;height:38px;border:1px solid #d0d5dd;border-radius:10px;background:#fff;cursor:pointer;display:grid;place-items:center;padding:0}
.baton-attach svg{width:18px;height:18px;fill:#475467}
.baton-image{display:block;max-width:100%;max-height:220px;border-radius:10px;cursor:zoom-in}
.baton-file{border:0;background:none;color:inherit;font:inherit;text-decoration:underline;cursor:pointer;padding:0;text-align:left;overflow-wrap:anywhere}
@media (max-width:480px){.baton-root{right:12px;bottom:12px}.baton-panel{position:fixed;inset:0;width:auto;max-width:none;height:auto;border-radius:0}.baton-root[data-open] .baton-launcher{display:none}}`;

  const ICON_CHAT = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  const ICON_CLIP = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg>';
  const ICON_CLOSE = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="m5 6.4 1.4-1.4 12.6 12.6-1.4 1.4zm0 11.2L17.6 5 19 6.4 6.4 19z"/></svg>';

  const field = (tag, id, label, extra) => h(tag, {
    id: 'baton-' + id, class: 'baton-field', placeholder: label, 'aria-label': label, ...extra,
  });

  function build() {
    document.head.append(h('style', { id: 'baton-style', text: CSS }));
    const stars = [5, 4, 3, 2, 1].map((n) => h('button', {
      type: 'button', 'data-rating': String(n), text: '★', onclick: () => rate(n),
    }));
    ui = {
      launcher: h('button', {
        id: 'baton-launcher', class: 'baton-launcher', type: 'button',
        'aria-expanded': 'false', 'aria-controls': 'baton-panel', onclick: () => (isOpen ? close() : open()),
      }),
      badge: h('span', { class: 'baton-badge', hidden: true, 'aria-hidden': 'true' }),
      status: h('div', { id: 'baton-status', class: 'baton-status', 'aria-live': 'polite' }),
      body: h('div', { class: 'baton-body' }),
      messages: h('div', {
        id: 'baton-messages', class: 'baton-messages', role: 'log', 'aria-live': 'polite',
      }),
      leadName: field('input', 'lead-name', '', { autocomplete: 'name' }),
      leadEmail: field('input', 'lead-email', '', { type: 'email', autocomplete: 'email' }),
      leadMessage: field('textarea', 'lead-message', '', { rows: '3' }),
      leadError: h('div', { id: 'baton-lead-error', class: 'baton-error', role: 'alert', hidden: true }),
      leadSubmit: h('button', { id: 'baton-lead-submit', class: 'baton-btn', type: 'submit' }),
      waIntro: h('p'),
      waSubmit: h('button', { id: 'baton-whatsapp-submit', class: 'baton-btn', type: 'button', onclick: () => chooseWhatsapp() }),
      waSend: h('p', { id: 'baton-whatsapp-send', hidden: true }),
      waText: h('p', { id: 'baton-whatsapp-text', class: 'baton-quote', hidden: true }),
      // Always a wa.me link built by Baton, opened in a new tab.
      waLink: h('a', { id: 'baton-whatsapp-link', class: 'baton-btn', target: '_blank', rel: 'noopener', hidden: true }),
      waError: h('div', { id: 'baton-whatsapp-error', class: 'baton-error', role: 'alert', hidden: true }),
      ratingComment: field('input', 'rating-comment', ''),
      error: h('div', { id: 'baton-error', class: 'baton-error', role: 'alert', hidden: true }),
      human: h('button', { id: 'baton-human', class: 'baton-human', type: 'button', onclick: askHuman }),
      followUp: h('button', { id: 'baton-follow-up', class: 'baton-human', type: 'button', hidden: true, onclick: openFollowUp }),
      input: field('textarea', 'input', '', { rows: '1' }),
      send: h('button', { id: 'baton-send', class: 'baton-btn', type: 'submit' }),
      attach: h('button', { id: 'baton-attach', class: 'baton-attach', type: 'button', onclick: () => pickFile() }),
      file: h('input', { id: 'baton-file', type: 'file', hidden: true, onchange: () => sendFile() }),
      leadIntro: h('p'),
      rateIntro: h('p'),
      stars: h('div', { class: 'baton-stars', role: 'group' }, ...stars),
      title: h('div', { class: 'baton-title' }),
      closeButton: h('button', { class: 'baton-close', type: 'button', text: '×', onclick: close }),
    };
    // novalidate: the server's 422 wording is what the person should see, not the browser's bubble.
    ui.lead = h('form', { id: 'baton-lead', class: 'baton-card', hidden: true, novalidate: true, onsubmit: submitLead },
      ui.leadIntro, ui.leadName, ui.leadEmail, ui.leadMessage, ui.leadError, ui.leadSubmit);
    // The same moment on WhatsApp, for a bot that has a number there.
    ui.whatsapp = h('div', { id: 'baton-whatsapp', class: 'baton-card', hidden: true },
      ui.waIntro, ui.waError, ui.waSubmit, ui.waSend, ui.waText, ui.waLink);
    ui.rating = h('div', { id: 'baton-rating', class: 'baton-card', hidden: true },
      ui.rateIntro, ui.ratingComment, ui.stars);
    ui.launcher.innerHTML = ICON_CHAT;
    ui.launcher.append(ui.badge);
    ui.typing = h('div', { id: 'baton-typing', class: 'baton-typing', role: 'status', 'aria-live': 'polite', hidden: true });
    ui.body.append(ui.messages, ui.typing, ui.lead, ui.whatsapp, ui.rating);
    ui.panel = h('section', { id: 'baton-panel', class: 'baton-panel', role: 'dialog', hidden: true },
      h('header', { class: 'baton-header' }, h('div', null, ui.title, ui.status), ui.closeButton),
      ui.body,
      h('div', { class: 'baton-foot' }, ui.error, ui.human, ui.followUp,
        h('form', { class: 'baton-composer', onsubmit: (e) => { e.preventDefault(); submitInput(); } }, ui.attach, ui.file, ui.input, ui.send)));
    ui.attach.innerHTML = ICON_CLIP;
    ui.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitInput(); }
    });
    ui.input.addEventListener('input', () => {
      ui.input.style.height = 'auto';
      ui.input.style.height = ui.input.scrollHeight + 2 + 'px';
      typingNow();
    });
    // Escape closes the chat, as it does any dialog, and gives the focus back to the launcher.
    ui.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.isComposing) { e.preventDefault(); close(); ui.launcher.focus(); }
    });
    ui.root = h('div', { id: 'baton-root', class: 'baton-root', lang: language }, ui.panel, ui.launcher);
    document.body.append(ui.root);
    applyWords();
  }

  // Puts every word of the widget in the current language.
  function applyWords() {
    const label = (el, key) => { el.placeholder = t(key); el.setAttribute('aria-label', t(key)); };
    const title = customTitle || t('title');
    ui.root.lang = language;
    ui.title.textContent = title;
    ui.panel.setAttribute('aria-label', title);
    ui.closeButton.setAttribute('aria-label', t('close'));
    ui.launcher.setAttribute('aria-label', isOpen ? t('close') : t('open'));
    ui.messages.setAttribute('aria-label', t('messages'));
    label(ui.leadName, 'name');
    label(ui.leadEmail, 'email');
    label(ui.leadMessage, 'help');
    label(ui.ratingComment, 'comment');
    label(ui.input, 'type');
    ui.leadSubmit.textContent = t('send');
    ui.send.textContent = t('send');
    ui.attach.setAttribute('aria-label', t('attach'));
    ui.attach.title = t('attach');
    ui.human.textContent = t('human');
    ui.followUp.textContent = t('followUp');
    ui.waIntro.textContent = t('whatsappIntro');
    ui.waSubmit.textContent = t('whatsappUse');
    ui.waLink.textContent = t('whatsappOpen');
    showInvite(invite);
    ui.leadIntro.textContent = t(leadMode === 'follow-up' ? 'followUpIntro' : 'leadIntro');
    ui.rateIntro.textContent = t('rate');
    ui.stars.setAttribute('aria-label', t('rateGroup'));
    for (const star of ui.stars.children) star.setAttribute('aria-label', t('of5', { n: star.dataset.rating }));
    setState(state);
  }

  // Follows the conversation's language once Baton knows it.
  function useLanguage(tag) {
    const next = supported(tag);
    if (!next || next === language) return;
    language = next;
    applyWords();
  }

  function showError(e) {
    ui.error.textContent = (e && e.message) || String(e);
    ui.error.hidden = false;
    clearTimeout(showError.t);
    showError.t = setTimeout(() => { ui.error.hidden = true; }, 8000);
  }
  const scrollDown = () => { ui.body.scrollTop = ui.body.scrollHeight; };

  function setState(s) {
    state = s || 'bot';
    ui.status.textContent = state === 'live'
      ? t('live', { name: ownerName || t('member') })
      : t(STATUS[state] || STATUS.bot);
    ui.human.hidden = HANDOFF_OPEN.includes(state);
    const waiting = state === 'queued' || state === 'offered';
    if (!waiting && leadMode === 'follow-up') setLeadMode('offline');
    ui.followUp.hidden = !waiting || followUpChosen || onWhatsapp || !!invite || leadMode === 'follow-up';
    ui.lead.hidden = !(state === 'offline' || (waiting && leadMode === 'follow-up' && !invite));
    ui.whatsapp.hidden = !(waiting && whatsappOffered && !onWhatsapp && (leadMode === 'follow-up' || invite));
  }

  // The details form serves two moments: the team is offline (a lead, and the handoff becomes
  // a ticket), or the contact would rather not wait (the handoff keeps its place and the answer
  // is emailed).
  function setLeadMode(mode) {
    leadMode = mode;
    ui.leadIntro.textContent = t(mode === 'follow-up' ? 'followUpIntro' : 'leadIntro');
  }

  function openFollowUp() {
    setLeadMode('follow-up');
    setState(state);
    ui.leadEmail.focus();
    scrollDown();
  }

  function setUnread(n) {
    unread = n;
    ui.badge.hidden = !n;
    ui.badge.textContent = String(n);
  }

  // ---------- messages ----------
  // "Ana Lima" → "AL": the avatar of a team member who has no picture.
  const initials = (name) => name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');

  function msgEl(kind, text, name, attachment) {
    const el = h('div', { class: 'baton-msg', 'data-author': kind });
    if (kind === 'user' && name) {
      el.append(h('div', { class: 'baton-msg-name' },
        h('span', { class: 'baton-avatar', 'aria-hidden': 'true', text: initials(name) }), name));
    }
    el.append(attachment ? fileEl(attachment) : h('div', { class: 'baton-msg-text', text }));
    return el;
  }

  // ---------- files ----------
  // A file is fetched with the conversation's token (never put in a URL) and shown from
  // memory: a picture inline, anything else as a button that saves it.
  const fileUrls = new Map();
  function fileUrl(a) {
    if (!fileUrls.has(a.id)) {
      fileUrls.set(a.id, fetch(BASE + convPath('/attachments/' + encodeURIComponent(a.id)), {
        headers: { Authorization: 'Bearer ' + conv.token },
      }).then((res) => {
        if (!res.ok) throw new Error(t('failed', { status: res.status }));
        return res.blob();
      }).then((blob) => URL.createObjectURL(blob)));
      fileUrls.get(a.id).catch(() => fileUrls.delete(a.id));
    }
    return fileUrls.get(a.id);
  }
  const sizeText = (n) => (n < 1024 ? n + ' B' : n < 1048576 ? Math.round(n / 1024) + ' KB' : (n / 1048576).toFixed(1) + ' MB');
  function saveFile(a) {
    fileUrl(a).then((url) => {
      const link = h('a', { href: url, download: a.name });
      document.body.append(link);
      link.click();
      link.remove();
    }).catch(showError);
  }
  function fileEl(a) {
    const chip = () => h('button', { type: 'button', class: 'baton-file', text: a.name + ' · ' + sizeText(a.size), onclick: () => saveFile(a) });
    if (!/^image\//.test(a.content_type) || !conv) return chip();
    const img = h('img', { class: 'baton-image', alt: a.name });
    fileUrl(a).then((url) => { img.src = url; img.onclick = () => saveFile(a); }).catch(() => img.replaceWith(chip()));
    return img;
  }

  function pickFile() {
    ui.file.value = '';
    ui.file.click();
  }
  function sendFile() {
    const file = ui.file.files && ui.file.files[0];
    if (!file) return;
    const clientId = uuid();
    uploadFile(file, clientId, pendingEl(file.name, clientId));
  }
  async function uploadFile(file, clientId, el) {
    try {
      await ensureConversation();
      const query = '?name=' + encodeURIComponent(file.name) + '&client_id=' + clientId;
      addMessage(await api('POST', convPath('/attachments') + query, file), clientId);
    } catch (e) {
      pending.delete(clientId);
      el.dataset.failed = '';
      el.replaceChildren(h('div', { class: 'baton-msg-text', text: file.name + ': ' + e.message }));
    }
  }

  // The contact's newest message says how it went: sending, or sent. Older ones say nothing.
  function deliveryState(el, key) {
    for (const old of ui.messages.querySelectorAll('.baton-msg-state')) if (!el.contains(old)) old.remove();
    let state = el.querySelector('.baton-msg-state');
    if (!state) { state = h('div', { class: 'baton-msg-state' }); el.append(state); }
    state.textContent = t(key);
  }

  // Keep the list in seq order; unconfirmed (optimistic) messages stay at the end.
  function place(el, seq) {
    const next = Array.from(ui.messages.children).find((c) =>
      c !== el && (c.dataset.seq === undefined || Number(c.dataset.seq) > seq));
    ui.messages.insertBefore(el, next || null);
  }

  function addMessage(m, clientId, live) {
    if (!m || m.note || typeof m.seq !== 'number') return;
    const cid = m.client_id || clientId;
    const mine = cid && pending.get(cid);
    if (cid) pending.delete(cid);
    if (seen.has(m.seq)) {
      if (mine && mine.dataset.seq === undefined) mine.remove(); // the websocket already rendered it
      return;
    }
    seen.add(m.seq);
    lastSeq = Math.max(lastSeq, m.seq);
    const kind = (m.author && m.author.kind) || 'system';
    let el = mine;
    if (el) {
      delete el.dataset.pending;
      delete el.dataset.failed;
      el.replaceChildren(m.attachment ? fileEl(m.attachment) : h('div', { class: 'baton-msg-text', text: m.text }));
      deliveryState(el, 'sent');
    } else {
      el = msgEl(kind, m.text, m.author && m.author.name, m.attachment);
    }
    el.dataset.seq = String(m.seq);
    if (m.created_at) el.title = new Date(m.created_at).toLocaleString();
    place(el, m.seq);
    scrollDown();
    if (live && !isOpen && kind !== 'contact') setUnread(unread + 1);
  }

  // ---------- typing ----------
  // The team sees the contact typing (with the draft so far); sent at most every 1.5 s while
  // typing, and "stopped" after 3 s without a key or when the message goes.
  const typingState = { sentAt: 0, idle: 0, trailing: 0 };
  function sendTyping(typing) {
    if (!conv) return;
    const body = typing ? { typing: true, draft: ui.input.value } : { typing: false };
    api('POST', convPath('/typing'), body).catch(() => {});
  }
  function typingNow() {
    clearTimeout(typingState.idle);
    typingState.idle = setTimeout(typingDone, 3000);
    const wait = 1500 - (Date.now() - typingState.sentAt);
    if (wait > 0) {
      // Within the window: the latest draft goes when it ends.
      if (!typingState.trailing) typingState.trailing = setTimeout(() => { typingState.trailing = 0; typingNow(); }, wait);
      return;
    }
    typingState.sentAt = Date.now();
    sendTyping(true);
  }
  function typingDone() {
    clearTimeout(typingState.idle);
    clearTimeout(typingState.trailing);
    typingState.trailing = 0;
    if (typingState.sentAt) sendTyping(false);
    typingState.sentAt = 0;
  }
  // "Ana is typing…" below the messages, until she stops, writes, or 6 s pass.
  function showTyping(d) {
    clearTimeout(showTyping.timer);
    if (!d.typing) { ui.typing.hidden = true; return; }
    ui.typing.textContent = t('typing', { name: d.author?.name || t('member') });
    ui.typing.hidden = false;
    scrollDown();
    showTyping.timer = setTimeout(() => { ui.typing.hidden = true; }, 6000);
  }

  function submitInput() {
    const text = ui.input.value.trim();
    if (!text) return;
    typingDone();
    ui.input.value = '';
    ui.input.style.height = '';
    const clientId = uuid();
    deliver(text, clientId, pendingEl(text, clientId));
  }

  // The visitor's message shown at once, "Sending…" until the server has it.
  function pendingEl(text, clientId) {
    const el = msgEl('contact', text);
    el.dataset.pending = '';
    deliveryState(el, 'sending');
    pending.set(clientId, el);
    ui.messages.append(el);
    scrollDown();
    return el;
  }

  async function deliver(text, clientId, el) {
    try {
      await ensureConversation();
      const m = await api('POST', convPath('/messages'), { text, client_id: clientId });
      addMessage(m, clientId);
    } catch (e) {
      if (!pending.has(clientId)) return;
      // Same client_id on retry, so the server never stores it twice.
      el.dataset.failed = '';
      el.replaceChildren(h('div', { class: 'baton-msg-text', text }), h('button', {
        type: 'button', class: 'baton-retry', text: t('notSent', { error: e.message }),
        onclick: () => { el.replaceChildren(h('div', { class: 'baton-msg-text', text })); delete el.dataset.failed; deliver(text, clientId, el); },
      }));
    }
  }

  // ---------- conversation lifecycle ----------
  function forget() {
    conv = null;
    save();
    if (ws) { const s = ws; ws = null; s.close(); }
    clearTimeout(wsTimer);
    seen.clear();
    lastSeq = 0;
    ownerName = '';
    ui.messages.replaceChildren();
    for (const el of pending.values()) ui.messages.append(el); // unsent drafts survive into the new conversation
    ui.rating.hidden = true;
    whatsappOffered = onWhatsapp = false;
    invite = null;
    showInvite(null);
    ui.waError.hidden = true;
    setState('bot');
  }

  function ensureConversation() {
    if (conv) return Promise.resolve(conv);
    if (!creating) {
      creating = (async () => {
        const r = await api('POST', '/v1/conversations', Object.assign({
          bot_id: botId || undefined, locale: locale || undefined,
        }, contactFields()));
        conv = { id: r.id, token: r.token };
        save();
        await resume().catch(() => {}); // a hiccup here must not lose the message being sent
        if (!conv) throw new Error(t('noStart'));
        return conv;
      })().finally(() => { creating = null; });
    }
    return creating;
  }

  async function refreshConversation() {
    const c = await api('GET', convPath());
    ownerName = (c.handoff && c.handoff.assignee && c.handoff.assignee.name) || '';
    useLanguage(c.language);
    setState(c.state);
    // Never hide on false: a feedback.requested frame may have overtaken this response.
    if (c.feedback_pending) showRating();
    whatsappOffered = !!c.whatsapp_follow_up;
    const confirmed = !onWhatsapp && !!c.follow_up_on_whatsapp;
    onWhatsapp = !!c.follow_up_on_whatsapp;
    invite = c.whatsapp_invite || null;
    showInvite(invite);
    setState(c.state);
    if (confirmed) {
      ui.messages.append(msgEl('system', t('whatsappChosen')));
      scrollDown();
    }
    const contact = c.contact || {};
    if (contact.name && !ui.leadName.value) ui.leadName.value = contact.name;
    if (contact.email && !ui.leadEmail.value) ui.leadEmail.value = contact.email;
  }

  // State first, then the transcript, then live events from the highest seq we hold.
  async function resume() {
    try {
      await refreshConversation();
      const r = await api('GET', convPath('/messages') + (lastSeq ? `?after=${lastSeq}` : ''));
      for (const m of r.messages || []) addMessage(m);
      connect();
    } catch (e) {
      if ([401, 403, 404].includes(e.status)) forget(); // stale token or deleted conversation
      else connect(); // the socket replays whatever the failed GET would have returned
      throw e;
    }
  }

  function connect() {
    if (!conv || ws) return;
    clearTimeout(wsTimer);
    const url = `${WS_BASE}${convPath('/ws')}?token=${encodeURIComponent(conv.token)}&after=${lastSeq}`;
    const sock = (ws = new WebSocket(url));
    sock.onopen = () => {
      wsDelay = 1000;
      // Only messages are replayed on reconnect, so re-read the state we may have missed.
      if (wsEverOpened) refreshConversation().catch(() => {});
      wsEverOpened = true;
    };
    sock.onmessage = (e) => {
      let f;
      try { f = JSON.parse(e.data); } catch (_) { return; }
      if (f && f.type) handleEvent(f.type, f.data || {});
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      if (!conv) return;
      wsTimer = setTimeout(connect, wsDelay * (1 + Math.random() / 2));
      wsDelay = Math.min(wsDelay * 2, 30000);
    };
  }

  function fireHandoff(hf, kind) {
    const key = hf.id + ':' + kind;
    if (fired.has(key)) return;
    fired.add(key);
    const cb = Baton.onHandoff || settings.onHandoff;
    if (typeof cb === 'function') {
      try { cb(hf, kind); } catch (e) { console.error('Baton.onHandoff failed', e); }
    }
  }

  function backToBot() {
    ownerName = '';
    onWhatsapp = false;
    invite = null;
    showInvite(null);
    setState('bot');
    refreshConversation().catch(() => {});
  }

  // kind: which onHandoff moment this is ('requested' | 'queued' | 'offline'), if any.
  function applyHandoff(hf, kind) {
    if (!hf || typeof hf.state !== 'string') return;
    if (hf.state === 'closed') return backToBot();
    if (hf.assignee && hf.assignee.name) ownerName = hf.assignee.name;
    followUpChosen = !!hf.lead && (hf.state === 'queued' || hf.state === 'offered');
    useLanguage(hf.language);
    if (OPEN_STATES.includes(hf.state)) setState(hf.state);
    if (['requested', 'queued', 'offline'].includes(kind)) fireHandoff(hf, kind);
  }

  function handleEvent(type, d) {
    if (type === 'typing') { if (d.author?.kind === 'user') showTyping(d); return; }
    if (type === 'message.created') {
      if (d.author?.kind === 'user') showTyping({ typing: false });
      addMessage(d, null, true);
    }
    else if (type === 'handoff.closed' || type === 'conversation.returned_to_bot') backToBot();
    else if (type === 'feedback.requested') showRating();
    else if (type === 'feedback.received') {
      // The bot thanks the contact in the chat, in their language: once.
      ui.rating.hidden = true;
    } else if (type === 'handoff.follow_up_chosen' && invite) {
      // The code came back from WhatsApp: the contact view says where answers go now.
      applyHandoff(d, 'follow_up_chosen');
      refreshConversation().catch(() => {});
    } else if (type.startsWith('handoff.') || type === 'lead.captured') {
      // Every handoff.* frame carries the whole Handoff (gathering, assigned, transferred…).
      applyHandoff(d, type.replace('handoff.', ''));
    }
    // user.status_changed and future events are ignored
  }

  // ---------- actions ----------
  async function askHuman() {
    ui.human.disabled = true;
    try {
      await ensureConversation();
      applyHandoff(await api('POST', convPath('/handoff'), {}), 'requested');
    } catch (e) {
      if (e.status === 409) refreshConversation().catch(() => {}); // one is already open
      else showError(e);
    } finally {
      ui.human.disabled = false;
    }
  }

  async function submitLead(e) {
    e.preventDefault();
    ui.leadError.hidden = true;
    // Blank optional fields become undefined, which JSON.stringify leaves out.
    const body = {
      email: ui.leadEmail.value.trim(),
      name: ui.leadName.value.trim() || undefined,
      message: ui.leadMessage.value.trim() || undefined,
    };
    ui.leadSubmit.disabled = true;
    try {
      const following = leadMode === 'follow-up';
      const hf = await api('POST', convPath(following ? '/follow-up' : '/lead'), body);
      if (following) setLeadMode('offline');
      applyHandoff(hf);
      ui.lead.hidden = true;
    } catch (err) {
      ui.leadError.textContent = err.message;
      ui.leadError.hidden = false;
    } finally {
      ui.leadSubmit.disabled = false;
    }
  }

  // The waiting contact continues on WhatsApp: Baton gives the business number and a message
  // with a one-time code; sending it from WhatsApp confirms their number, which then gets the
  // answer (the contact view says so, and this chat tells them).
  async function chooseWhatsapp() {
    ui.waError.hidden = true;
    ui.waSubmit.disabled = true;
    try {
      invite = await api('POST', convPath('/follow-up/whatsapp'), {});
      showInvite(invite);
      setState(state);
      scrollDown();
    } catch (err) {
      ui.waError.textContent = err.message;
      ui.waError.hidden = false;
    } finally {
      ui.waSubmit.disabled = false;
    }
  }

  function showInvite(inv) {
    if (!ui.waSend) return;
    ui.waSubmit.hidden = !!inv;
    ui.waSend.hidden = ui.waText.hidden = ui.waLink.hidden = !inv;
    if (!inv) return;
    ui.waSend.textContent = t('whatsappSend', { number: inv.number });
    ui.waText.textContent = inv.text;
    ui.waLink.href = /^https:\/\/wa\.me\//.test(inv.link) ? inv.link : '#';
  }

  function showRating() {
    ui.rating.hidden = false;
    scrollDown();
  }

  async function rate(n) {
    try {
      await api('POST', convPath('/feedback'), { rating: n, comment: ui.ratingComment.value.trim() || undefined });
      ui.rating.hidden = true;
    } catch (e) {
      if (e.status === 409) ui.rating.hidden = true; // nothing pending any more
      else showError(e);
    }
  }

  function toggle(show) {
    if (!ui.panel) return void (openWhenReady = show);
    isOpen = show;
    ui.panel.hidden = !show;
    ui.root.toggleAttribute('data-open', show);
    ui.launcher.setAttribute('aria-expanded', String(show));
    ui.launcher.setAttribute('aria-label', show ? t('close') : t('open'));
    ui.launcher.innerHTML = show ? ICON_CLOSE : ICON_CHAT;
    ui.launcher.append(ui.badge);
    if (!show) return;
    setUnread(0);
    scrollDown();
    ui.input.focus();
    ensureConversation().catch(showError);
  }
  const open = (Baton.open = () => toggle(true));
  const close = (Baton.close = () => toggle(false));

  function start() {
    build();
    // A returning visitor: pick the conversation back up so replies arrive even while closed.
    if (conv) resume().catch(() => {});
    if (openWhenReady) open();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
