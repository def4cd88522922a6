/*
 * The handoff policy sections of the bot editor (when to hand off, topics, what to gather,
 * languages and messages, availability and waiting, assignment) and the "Test this bot"
 * panel. Each control changes the draft policy in place (see admin-bots.js).
 */
'use strict';

const PRESETS = {
  quick: 'Quickly: at the first sign of trouble (frustration from 0.45, after one answer the bot could not give).',
  balanced: 'Balanced: the bot tries once more before handing off (frustration from 0.6, after two failed answers).',
  ai_first: 'Only when needed: on an explicit request, a forbidden topic or strong frustration (from 0.8, after three failed answers).',
  ai_only: 'Never: the bot handles everything (a bot with no team behind it).',
  advanced: 'Custom: choose each trigger and its threshold below.',
};
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const FIELD_KINDS = { text: 'Text', email: 'Email address', phone: 'Phone number', number: 'Number', choice: 'One of a list' };
const MESSAGE_LABELS = {
  handoff_queued: 'Handoff queued', handoff_assigned: 'Someone joined ({name})', already_waiting: 'Asked again while waiting',
  queue_position: 'Place in the queue ({position}, {minutes})', queue_next: 'Next in the queue', offline: 'Nobody available (offline)',
  lead_prompt: 'Asking for contact details', lead_success: 'Details received', nobody_answered: 'Nobody answered, back to the bot',
  nobody_in_time: 'Nobody answered in time', transferred_to_team: 'Moved to another team', closing: 'Chat closed by the team',
  feedback_request: 'Asking for a rating', feedback_thanks: 'Thanks for the rating', cannot_help: 'The bot cannot help',
  gather_prompt: 'Asking for a detail ({label})', gather_invalid: 'A detail was not valid ({reason})', ticket_added: 'Message added to the ticket',
};

let policyHours = null; // the bot's office-hours editor
let messageDrafts = {}; // language → { key: custom text }

// A group of checkboxes choosing targets: everyone, teams, users (stored by id).
function targetPicker(label, chosen, onChange) {
  const has = (target) => chosen.some((t) => t === target || targetLabel(t) === targetLabel(target));
  const box = (target, text) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: target, checked: has(target) }), ` ${text}`);
  const group = h('div', { class: 'choice-grid', role: 'group', 'aria-label': label },
    box('all', 'Everyone'),
    ...people.teams.map((t) => box(`team:${t.id}`, `Team ${t.name}`)),
    ...people.users.map((u) => box(`user:${u.id}`, u.name)));
  group.addEventListener('change', () => onChange(checked(group)));
  return group;
}

function whenSection(policy) {
  const triggers = policy.triggers;
  const advanced = h('div', { class: 'advanced', hidden: policy.preset !== 'advanced' },
    h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => triggers.explicit_request, (v) => { triggers.explicit_request = v; }), ' The customer asks for a person'),
    h('div', { class: 'inline-fields', 'data-field': 'policy.triggers.frustration_threshold' },
      h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => triggers.frustration, (v) => { triggers.frustration = v; }), ' Frustration'),
      field('trigger-frustration', 'from a score of (0–1)', bound(h('input', { type: 'number', min: '0', max: '1', step: '0.05' }), () => triggers.frustration_threshold, (v) => { triggers.frustration_threshold = v; }, numberOrNull))),
    h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => triggers.forbidden_topics, (v) => { triggers.forbidden_topics = v; }), ' A forbidden topic comes up'),
    h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => triggers.ai_decision, (v) => { triggers.ai_decision = v; }), ' The LLM decides to hand off'),
    h('div', { 'data-field': 'policy.triggers.bot_failure_threshold' },
      field('trigger-failures', 'After this many answers in a row the bot could not give (0: never)', bound(h('input', { type: 'number', min: '0', max: '100' }), () => triggers.bot_failure_threshold, (v) => { triggers.bot_failure_threshold = v; }, numberOrNull))));
  const presets = h('div', { class: 'presets', role: 'radiogroup', 'aria-label': 'How eagerly to hand off' },
    ...Object.entries(PRESETS).map(([value, text]) => h('label', { class: 'preset' },
      h('input', { type: 'radio', name: 'preset', value, checked: policy.preset === value, onchange: () => { policy.preset = value; advanced.hidden = value !== 'advanced'; } }),
      h('span', { text }))));
  return section('policy-when', 'When to hand off', null,
    h('label', { class: 'check strong' }, bound(h('input', { type: 'checkbox', id: 'policy-enabled' }), () => policy.enabled, (v) => { policy.enabled = v; }), ' This bot hands conversations to people'),
    presets, advanced,
    h('div', { 'data-field': 'policy.when_to_use' }, field('policy-when-to-use', 'When an LLM should hand off (its instructions)', bound(h('textarea', { rows: '3' }), () => policy.when_to_use, (v) => { policy.when_to_use = v; }))));
}

function topicsSection(policy) {
  const list = h('div', { class: 'rows' });
  const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);
  const draw = () => list.replaceChildren(...policy.topics.map((topic, i) => {
    const priority = h('select', {}, h('option', { value: '', text: 'As the summary says' }), ...PRIORITIES.map((p) => h('option', { value: p, text: `At least ${p}` })));
    priority.value = policy.priority_by_topic[topic.name] || '';
    priority.addEventListener('change', () => { if (priority.value) policy.priority_by_topic[topic.name] = priority.value; else delete policy.priority_by_topic[topic.name]; });
    return h('div', { class: 'row-card', 'data-field': `policy.topics.${i}` },
      h('span', { class: 'field-error', hidden: true }),
      field(`topic-${i}-name`, 'Topic', bound(h('input', { type: 'text', placeholder: 'refund' }), () => topic.name, (v) => {
        const floor = policy.priority_by_topic[topic.name];
        delete policy.priority_by_topic[topic.name];
        topic.name = v.trim();
        if (floor) policy.priority_by_topic[topic.name] = floor;
      })),
      field(`topic-${i}-phrases`, 'Phrases (one per line)', bound(h('textarea', { rows: '2', placeholder: 'refund\nmoney back' }), () => topic.phrases.join('\n'), (v) => { topic.phrases = lines(v); })),
      field(`topic-${i}-examples`, 'Example sentences (matched by meaning, any language)', bound(h('textarea', { rows: '2', placeholder: 'I want my money back' }), () => (topic.examples || []).join('\n'), (v) => { topic.examples = lines(v); })),
      field(`topic-${i}-priority`, 'Priority', priority),
      h('button', { type: 'button', class: 'btn small', text: 'Remove topic', onclick: () => { delete policy.priority_by_topic[topic.name]; policy.topics.splice(i, 1); draw(); } }));
  }));
  draw();
  return section('policy-topics', 'Forbidden topics', 'Subjects that always go to a person, whatever the bot could say.', list,
    h('button', { type: 'button', class: 'btn small', id: 'topic-add', text: '+ Add a topic', onclick: () => { policy.topics.push({ name: '', phrases: [], examples: [] }); draw(); } }));
}

function gatherSection(policy) {
  const list = h('div', { class: 'rows' });
  const move = (i, by) => { const [f] = policy.gather.splice(i, 1); policy.gather.splice(i + by, 0, f); draw(); };
  const draw = () => list.replaceChildren(...policy.gather.map((f, i) => {
    const kind = bound(h('select', {}, ...Object.entries(FIELD_KINDS).map(([value, text]) => h('option', { value, text }))), () => f.kind, (v) => { f.kind = v; draw(); });
    return h('div', { class: 'row-card gather-row', 'data-field': `policy.gather.${i}` },
      h('span', { class: 'field-error', hidden: true }),
      field(`gather-${i}-label`, 'Ask for', bound(h('input', { type: 'text', placeholder: 'order number' }), () => f.label, (v) => { f.label = v; })),
      field(`gather-${i}-key`, 'Key', bound(h('input', { type: 'text', placeholder: 'order_number' }), () => f.key, (v) => { f.key = v.trim(); })),
      field(`gather-${i}-kind`, 'Kind', kind),
      f.kind === 'choice' ? field(`gather-${i}-options`, 'Answers (comma-separated)', bound(h('input', { type: 'text' }), () => (f.options || []).join(', '), (v) => { f.options = v.split(',').map((o) => o.trim()).filter(Boolean); })) : null,
      h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => f.required, (v) => { f.required = v; }), ' Required'),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn small', text: '↑', 'aria-label': `Move ${f.label || 'field'} up`, disabled: i === 0, onclick: () => move(i, -1) }),
        h('button', { type: 'button', class: 'btn small', text: '↓', 'aria-label': `Move ${f.label || 'field'} down`, disabled: i === policy.gather.length - 1, onclick: () => move(i, 1) }),
        h('button', { type: 'button', class: 'btn small', text: 'Remove', onclick: () => { policy.gather.splice(i, 1); draw(); } })));
  }));
  draw();
  return section('policy-gather', 'Information to gather', 'Asked before the chat is routed, in this order; required ones must be answered.', list,
    h('div', { 'data-field': 'policy.gather' }, h('span', { class: 'field-error', hidden: true })),
    h('button', { type: 'button', class: 'btn small', id: 'gather-add', text: '+ Add a field', onclick: () => { policy.gather.push({ key: '', label: '', kind: 'text', required: true, options: [] }); draw(); } }));
}

function languagesSection(policy) {
  const defaults = h('select', {}, ...catalog.languages.map((l) => h('option', { value: l, text: LANGUAGE_NAMES[l] || l })));
  const boxes = h('div', { class: 'choice-grid', role: 'group', 'aria-label': 'Languages' },
    ...catalog.languages.map((l) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: l, checked: policy.languages.includes(l) }), ` ${LANGUAGE_NAMES[l] || l}`)));
  boxes.addEventListener('change', () => { policy.languages = checked(boxes); });
  messageDrafts = {};
  for (const [lang, texts] of Object.entries(policy.messages || {})) {
    messageDrafts[lang] = {};
    for (const [key, text] of Object.entries(texts)) if (text !== catalog.messages[lang]?.[key]) messageDrafts[lang][key] = text;
  }
  const texts = h('div', { class: 'messages' });
  const which = h('select', {}, ...catalog.languages.map((l) => h('option', { value: l, text: LANGUAGE_NAMES[l] || l })));
  const draw = () => {
    const lang = which.value;
    const custom = messageDrafts[lang] || {};
    texts.replaceChildren(...Object.keys(MESSAGE_LABELS).map((key) => h('div', { 'data-field': `policy.messages.${lang}.${key}` },
      field(`message-${key}`, MESSAGE_LABELS[key], bound(h('textarea', { rows: '2', placeholder: catalog.messages[lang]?.[key] || '' }), () => custom[key] || '', (v) => {
        messageDrafts[lang] = messageDrafts[lang] || {};
        if (v.trim()) messageDrafts[lang][key] = v; else delete messageDrafts[lang][key];
      })))));
  };
  which.value = policy.default_language;
  which.addEventListener('change', draw);
  draw();
  return section('policy-languages', 'Languages and messages', null,
    h('fieldset', { class: 'field plain', 'data-field': 'policy.languages' }, h('legend', { text: 'Conversations may be in' }), boxes, h('span', { class: 'field-error', hidden: true })),
    h('div', { 'data-field': 'policy.default_language' }, field('policy-default-language', 'Default language (when the customer\'s is unknown)', bound(defaults, () => policy.default_language, (v) => { policy.default_language = v; }))),
    h('div', { class: 'field' }, h('span', { class: 'label', text: 'What the customer is told' }),
      h('small', { class: 'muted', text: 'Empty boxes use the built-in text shown in grey.' }),
      field('message-language', 'Language', which), texts));
}

// Per language, the built-in texts with the custom ones in their place; none: no entry.
function messagesToSend() {
  const out = {};
  for (const [lang, custom] of Object.entries(messageDrafts)) {
    if (!Object.keys(custom).length) continue;
    out[lang] = { ...catalog.messages[lang], ...custom };
  }
  return out;
}

function minutesField(id, label, get, set, hint) {
  return field(id, label, bound(h('input', { type: 'number', min: '0', step: '0.5', inputmode: 'decimal' }),
    () => (get() ? get() / 60 : 0), (v) => set(Math.round(Number(v || 0) * 60)), numberOrNull), hint);
}

function availabilitySection(policy) {
  const hoursRoot = h('div', { class: 'hours' });
  policyHours = hoursEditor(hoursRoot, 'bot-hours');
  policyHours.set(policy.schedule || null);
  const fallbackKind = typeof policy.waiting.fallback === 'object' ? 'widen' : policy.waiting.fallback;
  const widen = h('div', { class: 'widen', hidden: fallbackKind !== 'widen' },
    targetPicker('Widen to', policy.waiting.fallback.widen || [], (targets) => { policy.waiting.fallback = { widen: targets }; }));
  const fallback = h('select', {}, h('option', { value: 'offline', text: 'Offline: ask for their details' }), h('option', { value: 'bot', text: 'Back to the bot' }), h('option', { value: 'widen', text: 'Widen to more people' }));
  fallback.value = fallbackKind;
  fallback.addEventListener('change', () => {
    widen.hidden = fallback.value !== 'widen';
    policy.waiting.fallback = fallback.value === 'widen' ? { widen: checked(widen) } : fallback.value;
  });
  return section('policy-availability', 'Availability and waiting', null,
    h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => policy.availability_check, (v) => { policy.availability_check = v; }), ' Go offline (ask for details) unless someone eligible is online'),
    h('fieldset', { class: 'field plain', 'data-field': 'policy.schedule' }, h('legend', { text: 'Office hours' }), hoursRoot, h('span', { class: 'field-error', hidden: true })),
    h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => policy.offline_outside_hours, (v) => { policy.offline_outside_hours = v; }), ' Outside office hours, go offline even if someone is online'),
    h('div', { class: 'inline-fields' },
      h('div', { 'data-field': 'policy.waiting.timeout_seconds' }, minutesField('waiting-timeout', 'Wait in the queue at most (minutes; 0: no limit)', () => policy.waiting.timeout_seconds, (v) => { policy.waiting.timeout_seconds = v; })),
      h('div', { 'data-field': 'policy.waiting.fallback' }, field('waiting-fallback', 'Then', fallback), widen)),
    h('div', { class: 'inline-fields' },
      h('div', { 'data-field': 'policy.waiting.reassign_after_seconds' }, minutesField('waiting-reassign', 'Take a chat back from an agent who has not replied after (minutes; 0: never)', () => policy.waiting.reassign_after_seconds, (v) => { policy.waiting.reassign_after_seconds = v; })),
      h('div', { 'data-field': 'policy.watchdog.first_reply_seconds' }, minutesField('watchdog-first-reply', 'Remind the agent after (minutes)', () => policy.watchdog.first_reply_seconds, (v) => { policy.watchdog.first_reply_seconds = v; })),
      h('div', { 'data-field': 'policy.watchdog.unanswered_alert_seconds' }, minutesField('watchdog-unanswered', 'Alert admins when a customer waits (minutes)', () => policy.watchdog.unanswered_alert_seconds, (v) => { policy.watchdog.unanswered_alert_seconds = v; }))),
    h('label', { class: 'check' }, bound(h('input', { type: 'checkbox' }), () => policy.feedback, (v) => { policy.feedback = v; }), ' Ask the customer to rate the chat when the team closes it'));
}

function assignmentSection(policy) {
  const a = policy.assignment;
  const rows = h('div', { class: 'rows' });
  const draw = () => rows.replaceChildren(...Object.entries(a.targets).map(([lang, targets]) => h('div', { class: 'row-card', 'data-field': `policy.assignment.targets.${lang}` },
    h('strong', { text: lang === '*' ? 'Any other language' : (LANGUAGE_NAMES[lang] || lang) }),
    targetPicker(`Who takes ${lang === '*' ? 'other languages' : (LANGUAGE_NAMES[lang] || lang)}`, targets, (chosen) => { a.targets[lang] = chosen; }),
    h('span', { class: 'field-error', hidden: true }),
    h('button', {
      type: 'button', class: 'btn small', text: 'Remove route',
      // The "*" route goes last: languages without their own route need it.
      disabled: lang === '*' && Object.keys(a.targets).length > 1,
      onclick: () => { delete a.targets[lang]; draw(); },
    }))));
  const add = h('select', { id: 'route-add', 'aria-label': 'Add a route for' }, h('option', { value: '', text: 'Add a route for…' }),
    h('option', { value: '*', text: 'Any other language (*)' }), ...catalog.languages.map((l) => h('option', { value: l, text: LANGUAGE_NAMES[l] || l })));
  add.addEventListener('change', () => {
    if (add.value && !a.targets[add.value]) {
      a.targets[add.value] = [];
      // With a route per language, the other languages need one too: everyone, to start with.
      if (!a.targets['*']) a.targets['*'] = ['all'];
      draw();
    }
    add.value = '';
  });
  draw();
  return section('policy-assignment', 'Assignment', 'Who takes a chat in each language; without a route, everyone. "Any other language" covers the rest.',
    rows, h('div', { 'data-field': 'policy.assignment.targets' }, add, h('span', { class: 'field-error', hidden: true })),
    h('div', { class: 'inline-fields' },
      h('div', { 'data-field': 'policy.assignment.strategy' }, field('assignment-strategy', 'Strategy', bound(h('select', {}, ...Object.entries(STRATEGIES).map(([value, text]) => h('option', { value, text }))), () => a.strategy, (v) => { a.strategy = v; }))),
      h('div', { 'data-field': 'policy.assignment.capacity' }, field('assignment-capacity', 'Live chats per person', bound(h('input', { type: 'number', min: '1', max: '100' }), () => a.capacity, (v) => { a.capacity = v; }, numberOrNull))),
      h('div', { 'data-field': 'policy.assignment.offer_ttl_seconds' }, field('assignment-offer-ttl', 'An offer waits (seconds)', bound(h('input', { type: 'number', min: '5' }), () => a.offer_ttl_seconds, (v) => { a.offer_ttl_seconds = v; }, numberOrNull)))));
}

function policySections(policy) {
  return [whenSection(policy), topicsSection(policy), gatherSection(policy), languagesSection(policy), availabilitySection(policy), assignmentSection(policy)];
}

// ---------- Test this bot ----------
function trialPanel() {
  const language = h('select', {}, h('option', { value: '', text: 'Detect it' }), ...catalog.languages.map((l) => h('option', { value: l, text: LANGUAGE_NAMES[l] || l })));
  return h('aside', { class: 'card trial', 'aria-labelledby': 'trial-title' },
    h('h2', { id: 'trial-title', text: 'Test this bot' }),
    h('p', { class: 'muted', text: 'Type what a customer would write, or paste a short conversation (lines starting "Bot:" are the bot\'s). Uses your unsaved changes; nothing is sent or saved.' }),
    h('form', { id: 'trial-form', class: 'trial-form', novalidate: true, onsubmit: runTrial },
      field('trial-text', 'Customer message', h('textarea', { rows: '4', placeholder: 'I want to talk to a person' })),
      field('trial-language', 'Language', language),
      h('div', { class: 'error form-error', role: 'alert', hidden: true }),
      h('button', { type: 'submit', class: 'btn primary', id: 'trial-run', text: 'Test' })),
    h('div', { id: 'trial-result', 'aria-live': 'polite' }));
}

function trialLines(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const m = /^(bot|customer|contact|visitor)\s*:\s*(.*)$/i.exec(line);
    if (!m) return { from: 'contact', text: line };
    return { from: m[1].toLowerCase() === 'bot' ? 'bot' : 'contact', text: m[2] };
  });
}

async function runTrial(e) {
  e.preventDefault();
  const form = $('#trial-form');
  clearErrors(form);
  const body = { messages: trialLines($('#trial-text').value), language: $('#trial-language').value || null, settings: settingsToSend() };
  $('#trial-run').disabled = true;
  try {
    showTrial(await api('POST', `/v1/bots/${draft.id}/trial`, body));
  } catch (ex) {
    // A problem in the unsaved settings belongs to the editor's field; the rest to this form.
    if (/^(name|greeting|faq|backend|policy|languages|triggers)/.test(ex.message)) showError($('#bot-form'), ex.message);
    else showError(form, ex.message.replace(/^messages: /, ''));
  } finally {
    $('#trial-run').disabled = false;
  }
}

const TRIGGERS = { explicit_request: 'Asked for a person', frustration: 'Frustration', forbidden_topic: 'Forbidden topic', ai_decision: 'The AI decided', bot_failure: 'The bot could not help' };

function showTrial(t) {
  const facts = (pairs) => h('dl', { class: 'facts' }, ...pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
  const handoff = t.handoff;
  const verdict = handoff
    ? h('p', { class: 'trial-verdict hands-off' }, h('strong', { text: `Hands off: ${TRIGGERS[handoff.trigger] || handoff.trigger}` }), ` — ${handoff.reason}`)
    : h('p', { class: 'trial-verdict stays' }, h('strong', { text: 'No handoff' }), ' — the bot answers this one itself.');
  const outcome = { queue: 'Queued', offline: 'Offline', disabled: 'Handoff is off' }[t.route.outcome] || t.route.outcome;
  $('#trial-result').replaceChildren(
    verdict,
    facts([
      ['Language', LANGUAGE_NAMES[t.language] || t.language],
      ['Frustration', t.frustration.toFixed(2)],
      handoff ? ['Priority', handoff.priority] : null,
      handoff?.topic ? ['Topic', handoff.topic] : null,
      handoff ? ['Gathered', Object.entries(handoff.gathered).map(([k, v]) => `${k}: ${v}`).join(', ') || 'nothing yet'] : null,
      handoff?.would_ask ? ['Would ask for', draft.settings.policy.gather.find((f) => f.key === handoff.would_ask)?.label || handoff.would_ask] : null,
    ]),
    t.signals.length ? h('div', {}, h('h3', { text: 'Evidence' }), h('ul', { class: 'signals' }, ...t.signals.map((s) => h('li', {}, h('code', { text: s.name }), s.detail ? ` ${s.detail}` : '', h('span', { class: 'muted', text: ` (${s.weight.toFixed(2)})` }))))) : null,
    handoff ? h('div', {}, h('h3', { text: 'Summary for the team' }), h('p', { class: 'summary', text: handoff.summary })) : null,
    h('div', { class: 'trial-route' },
      h('h3', { text: 'Where it would go now' }),
      h('p', {}, h('span', { class: `badge ${t.route.outcome === 'queue' ? 'ok' : 'wait'}`, text: outcome }), ' ', t.route.targets.map(targetLabel).join(', ') || 'Everyone'),
      h('p', { class: 'route-why', text: t.route.explanation }),
      t.route.candidates.length ? h('ul', { class: 'candidates' }, ...t.route.candidates.map((c) => h('li', {},
        h('span', { text: c.name }), ' ', h('span', { class: `badge ${c.on_duty ? 'ok' : ''}`, text: c.on_duty ? 'on duty' : c.status }),
        h('span', { class: 'muted', text: ` ${c.live} live` })))) : null));
}
