/*
 * Bots: the list, and the editor of one bot: its name, greeting and FAQ, its AI backend
 * (secrets write-only), its API key, and its handoff policy (admin-policy.js draws those
 * sections). The editor keeps a copy of the bot's settings, changes what its controls show,
 * and saves the whole document with PUT /v1/bots/{id}; the server checks it and names the
 * field of any problem, which is shown next to that field. "Test this bot" tries the edited,
 * unsaved settings.
 */
'use strict';

let bots = [];
let catalog = null; // { languages, messages: { lang: { key: text } } }
let draft = null; // { id, name, settings } being edited
const REDACTED = '********';

const clone = (value) => JSON.parse(JSON.stringify(value));

async function loadCatalog() {
  if (!catalog) catalog = await api('GET', '/v1/catalog');
  return catalog;
}

function backendLabel(backend) {
  if (backend.kind === 'openai') return `LLM: ${backend.model || 'no model set'}`;
  if (backend.kind === 'webhook') return 'External bot (webhook)';
  return 'Rules and FAQ';
}

function presetLabel(policy) {
  if (!policy.enabled) return 'Never';
  return { ai_only: 'Never (AI only)', quick: 'Quickly', balanced: 'Balanced', ai_first: 'Only when needed', advanced: 'Custom triggers' }[policy.preset] || policy.preset;
}

// A target as people read it: team and user names instead of ids.
function targetLabel(target) {
  if (target === 'all' || target === '*') return 'Everyone';
  const [kind, key] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
  if (kind === 'team') return `Team ${people.teams.find((t) => t.id === key || t.name === key)?.name || key}`;
  if (kind === 'user') return people.users.find((u) => u.id === key || u.email === key)?.name || key;
  return target;
}

function routesLabel(policy) {
  const targets = policy.assignment?.targets || {};
  const entries = Object.entries(targets);
  if (!entries.length) return 'Everyone';
  return entries.map(([lang, list]) => `${lang === '*' ? 'Other languages' : (LANGUAGE_NAMES[lang] || lang)}: ${list.map(targetLabel).join(', ')}`).join('; ');
}

async function loadBots(rest) {
  try {
    [bots] = await Promise.all([api('GET', '/v1/bots'), loadPeople(), loadCatalog()]);
  } catch (e) {
    return toast(`Could not load the bots: ${e.message}`);
  }
  $('#bot-rows').replaceChildren(...bots.map((b) => h('tr', { 'data-bot-id': b.id },
    h('td', {}, h('div', { class: 'strong', text: b.name }), b.is_default ? h('div', { class: 'muted', text: 'Default bot: the widget uses it unless told otherwise' }) : null),
    h('td', { text: backendLabel(b.settings.backend) }),
    h('td', { text: presetLabel(b.settings.policy) }),
    h('td', { text: routesLabel(b.settings.policy) }),
    h('td', {}, h('div', { class: 'row-actions' },
      h('a', { class: 'btn small', href: `#bots/${b.id}`, text: 'Edit', 'aria-label': `Edit ${b.name}` }))))));
  const bot = bots.find((b) => b.id === rest);
  if (bot) openBot(bot); else closeBot();
}

function closeBot() {
  draft = null;
  $('#bot-editor').hidden = true;
  $('#bot-editor').replaceChildren();
  $('#bot-list').hidden = false;
}

// ---------- the editor ----------
function section(id, title, intro, ...content) {
  return h('section', { class: 'card editor-section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: title }), intro ? h('p', { class: 'muted', text: intro }) : null, ...content);
}

// A control bound to a path in the draft; `read` turns the control's value into the document's.
function bound(control, get, set, read = (c) => c.value) {
  const value = get();
  if (control.type === 'checkbox') control.checked = !!value; else control.value = value ?? '';
  control.addEventListener(control.type === 'checkbox' || control.tagName === 'SELECT' ? 'change' : 'input', () => set(control.type === 'checkbox' ? control.checked : read(control)));
  return control;
}

function numberOrNull(control) {
  const text = control.value.trim();
  return text === '' ? null : Number(text);
}

function basicsSection() {
  const s = draft.settings;
  const faqList = h('div', { class: 'rows' });
  const drawFaq = () => faqList.replaceChildren(...s.faq.map((entry, i) => h('div', { class: 'row-card', 'data-field': `faq.${i}` },
    field(`faq-${i}-keywords`, 'When the message contains any of', bound(h('input', { type: 'text', placeholder: 'opening hours, open, hours' }),
      () => entry.keywords.join(', '), (v) => { entry.keywords = v.split(',').map((k) => k.trim()).filter(Boolean); })),
    h('div', { 'data-field': `faq.${i}.answer` }, field(`faq-${i}-answer`, 'The bot answers', bound(h('textarea', { rows: '2' }), () => entry.answer, (v) => { entry.answer = v; }))),
    h('button', { type: 'button', class: 'btn small', text: 'Remove', 'aria-label': `Remove answer ${i + 1}`, onclick: () => { s.faq.splice(i, 1); drawFaq(); } }))));
  drawFaq();
  return section('bot-basics', 'Name and answers', null,
    h('div', { 'data-field': 'name' }, field('bot-name', 'Name', bound(h('input', { type: 'text', maxlength: '200' }), () => draft.name, (v) => { draft.name = v; }))),
    h('div', { 'data-field': 'greeting' }, field('bot-greeting', 'Greeting', bound(h('textarea', { rows: '2' }), () => s.greeting, (v) => { s.greeting = v; }), 'Sent when a conversation starts.')),
    h('div', { 'data-field': 'identity_secret' }, field('bot-identity-secret', 'Identity secret for logged-in customers',
      bound(h('input', { type: 'password', autocomplete: 'off', placeholder: s.identity_secret === REDACTED ? 'Saved; type to replace it' : 'Not set' }),
        () => (s.identity_secret === REDACTED ? '' : s.identity_secret || ''),
        (v) => { s.identity_secret = v === '' && draft.original.identity_secret === REDACTED ? REDACTED : v; }),
      'Your server signs each logged-in customer\'s id with it (HMAC-SHA256) so the team knows who they are. At least 16 characters; write-only.')),
    h('div', { class: 'field', 'data-field': 'faq' }, h('span', { class: 'label', text: 'FAQ answers (the rules bot)' }), faqList,
      h('button', { type: 'button', class: 'btn small', id: 'faq-add', text: '+ Add an answer', onclick: () => { s.faq.push({ keywords: [], answer: '' }); drawFaq(); } }),
      h('span', { class: 'field-error', hidden: true })));
}

function backendSection() {
  const s = draft.settings;
  const body = h('div', { class: 'backend-body' });
  const secret = (id, label, get, set) => field(id, label, bound(h('input', { type: 'password', autocomplete: 'off', placeholder: get() === REDACTED ? 'Saved; type to replace it' : 'Not set' }),
    () => (get() === REDACTED ? '' : get()), (v) => set(v === '' && draft.original.backend.kind === s.backend.kind ? REDACTED : v)), 'Write-only: never shown again once saved.');
  const draw = () => {
    const b = s.backend;
    if (b.kind === 'openai') {
      body.replaceChildren(
        field('openai-url', 'API base URL', bound(h('input', { type: 'url' }), () => b.base_url, (v) => { b.base_url = v; })),
        field('openai-model', 'Model', bound(h('input', { type: 'text' }), () => b.model, (v) => { b.model = v; })),
        secret('openai-key', 'API key', () => b.api_key, (v) => { b.api_key = v; }),
        field('openai-instructions', 'Instructions', bound(h('textarea', { rows: '3' }), () => b.instructions, (v) => { b.instructions = v; }), 'Who the bot is and how it answers.'),
        h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => b.stream, (v) => { b.stream = v; }), ' Stream answers (the customer sees the bot typing)'),
        field('openai-timeout', 'Timeout (ms)', bound(h('input', { type: 'number', min: '100' }), () => b.timeout_ms, (v) => { b.timeout_ms = v; }, numberOrNull)));
    } else if (b.kind === 'webhook') {
      body.replaceChildren(
        field('webhook-bot-url', 'Your bot\'s URL', bound(h('input', { type: 'url' }), () => b.url, (v) => { b.url = v; }), 'Each customer message is POSTed there, signed; your bot answers through the bot API with its API key.'),
        secret('webhook-bot-secret', 'Signing secret (whsec_…)', () => b.secret, (v) => { b.secret = v; }),
        field('webhook-bot-timeout', 'Timeout (ms)', bound(h('input', { type: 'number', min: '100' }), () => b.timeout_ms, (v) => { b.timeout_ms = v; }, numberOrNull)));
    } else {
      body.replaceChildren(h('p', { class: 'muted', text: 'The built-in rules bot answers from the FAQ above and says honestly when it cannot help.' }));
    }
  };
  const kind = h('select', {}, h('option', { value: 'rules', text: 'Rules and FAQ (built in)' }), h('option', { value: 'openai', text: 'An OpenAI-compatible LLM' }), h('option', { value: 'webhook', text: 'An external bot (webhook)' }));
  kind.value = s.backend.kind;
  kind.addEventListener('change', () => {
    const keep = draft.original.backend.kind === kind.value ? clone(draft.original.backend) : null;
    s.backend = keep || (kind.value === 'openai'
      ? { kind: 'openai', base_url: 'https://api.openai.com/v1', model: '', api_key: '', instructions: 'You are a helpful, concise customer support assistant.', stream: true, temperature: null, timeout_ms: 20000 }
      : kind.value === 'webhook' ? { kind: 'webhook', url: '', secret: '', timeout_ms: 10000 } : { kind: 'rules' });
    draw();
  });
  draw();
  const failure = s.policy.ai_failure;
  return section('bot-backend', 'AI backend', 'What answers the customer before a person takes over.',
    h('div', { 'data-field': 'backend' }, field('bot-backend-kind', 'Answers with', kind), body),
    h('div', { class: 'inline-fields', 'data-field': 'policy.ai_failure' },
      field('ai-retries', 'When the AI fails: retries', bound(h('input', { type: 'number', min: '0', max: '5' }), () => failure.retries, (v) => { failure.retries = v; }, numberOrNull)),
      field('ai-fallback', 'then', bound(h('select', {}, h('option', { value: 'hand_off', text: 'hand the chat to a person' }), h('option', { value: 'rules_bot', text: 'let the rules bot answer' })), () => failure.fallback, (v) => { failure.fallback = v; }))),
    h('div', { class: 'field' }, h('span', { class: 'label', text: 'API key for an external bot' }),
      h('p', { class: 'muted', text: 'An external bot answers and hands off through the bot API with this key.' }),
      h('button', { type: 'button', class: 'btn small', id: 'bot-key', text: 'Issue a new API key', onclick: issueKey })));
}

async function issueKey() {
  if (!confirm('Issue a new API key for this bot? The earlier key stops working at once.')) return;
  try {
    const made = await api('POST', `/v1/bots/${draft.id}/api-key`);
    $('#key-value').textContent = made.api_key;
    $('#key-box').hidden = false;
    $('#key-copy').focus();
  } catch (e) {
    toast(e.message);
  }
}

function openBot(bot) {
  draft = { id: bot.id, name: bot.name, settings: clone(bot.settings), original: clone(bot.settings) };
  $('#bot-list').hidden = true;
  const form = h('form', { id: 'bot-form', class: 'bot-form', novalidate: true, onsubmit: saveBot },
    h('div', { class: 'page-head' },
      h('h2', { text: `Edit ${bot.name}` }),
      h('a', { class: 'btn', href: '#bots', text: 'Back to bots' })),
    basicsSection(),
    backendSection(),
    ...policySections(draft.settings.policy),
    h('div', { class: 'save-bar' },
      h('div', { class: 'error form-error', role: 'alert', hidden: true }),
      h('button', { type: 'submit', class: 'btn primary', id: 'bot-save', text: 'Save bot' }),
      h('a', { class: 'btn', href: '#bots', text: 'Cancel' })));
  $('#bot-editor').replaceChildren(h('div', { class: 'bot-layout' }, form, trialPanel()));
  $('#bot-editor').hidden = false;
  $('#bot-name').focus();
}

// The document to save or try: the draft, with what the editor keeps apart folded back in.
function settingsToSend() {
  const settings = clone(draft.settings);
  settings.policy.schedule = policyHours.get();
  settings.policy.messages = messagesToSend();
  return settings;
}

async function saveBot(e) {
  e.preventDefault();
  const form = $('#bot-form');
  clearErrors(form);
  $('#bot-save').disabled = true;
  try {
    const saved = await api('PUT', `/v1/bots/${draft.id}`, { name: draft.name.trim(), settings: settingsToSend() });
    toast('Bot saved.');
    bots = bots.map((b) => (b.id === saved.id ? saved : b));
    draft.original = clone(saved.settings);
    draft.settings = clone(saved.settings);
  } catch (ex) {
    showError(form, ex.message);
  } finally {
    $('#bot-save').disabled = false;
  }
}

async function newBot() {
  const name = prompt('Name of the new bot');
  if (!name) return;
  try {
    const made = await api('POST', '/v1/bots', { name, settings: {} });
    location.hash = `#bots/${made.id}`;
  } catch (e) {
    toast(e.message);
  }
}

PAGES.bots = loadBots;
SETUP.push(() => {
  $('#bot-add').addEventListener('click', newBot);
  $('#key-copy').addEventListener('click', () => copyText($('#key-value').textContent, 'API key'));
  $('#key-done').addEventListener('click', () => { $('#key-box').hidden = true; $('#key-value').textContent = ''; });
});
