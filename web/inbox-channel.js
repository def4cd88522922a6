/*
 * Where the customer is: a chat that came in on WhatsApp says so beside the state, with the
 * customer's number, and while WhatsApp's 24-hour window is closed the composer says why a
 * reply cannot go out (WhatsApp takes only approved templates until the customer writes
 * again) instead of letting one fail, and offers the channel's approved templates: pick one,
 * fill its variables, see what the customer will read, send. Loaded after inbox.js, which
 * raises `baton-chat-rendered` after every render of the open chat.
 */
'use strict';

const CHANNEL_NAMES = { whatsapp: 'WhatsApp', sms: 'SMS', email: 'Email', slack: 'Slack', voice: 'Phone' };
const channelViews = new Map(); // conversation id → { seq, view }: the latest read
const channelTemplates = new Map(); // conversation id → its approved templates, once read

// The team's view of the chat, read again when a message arrived since (the window moves).
async function freshChannelView(conversationId, seq) {
  const known = channelViews.get(conversationId);
  if (known && known.seq === seq) return known.view;
  try {
    const view = await api('GET', `/v1/conversations/${encodeURIComponent(conversationId)}`);
    channelViews.set(conversationId, { seq, view });
    return view;
  } catch (_) {
    return known?.view || null;
  }
}

function windowText(closesAt) {
  const left = closesAt - Date.now();
  if (left <= 0) return 'Closed';
  const hours = Math.floor(left / 3600000);
  return hours >= 1 ? `Open for ${hours} h more` : `Open for ${Math.max(1, Math.round(left / 60000))} min more`;
}

// Puts the channel, the number and the window into the chat's details, and closes the
// composer while the window is shut. Safe to call again: it replaces its own rows.
function applyChannel(view) {
  // A web chat whose waiting customer chose WhatsApp is answered there, under its window.
  const routed = !!view?.follow_up_whatsapp && (!view.channel || view.channel === 'web');
  if (!view || ((!view.channel || view.channel === 'web') && !routed)) { showTemplates(view, false); return; }
  const dl = $('#chat-meta');
  dl.querySelector('[data-channel]')?.remove();
  dl.querySelector('[data-channel-window]')?.remove();
  const kind = routed ? 'whatsapp' : view.channel;
  const name = CHANNEL_NAMES[kind] || kind;
  const number = routed ? view.follow_up_whatsapp : view.channel_address;
  const address = number ? ` · +${number}` : '';
  dl.prepend(h('div', { 'data-channel': kind },
    h('dt', { text: routed ? 'Answers go to' : 'Channel' }), h('dd', null, h('span', { class: 'tag channel', text: name + address }))));
  if (view.reply_window_closes_at != null) {
    dl.append(h('div', { 'data-channel-window': '' },
      h('dt', { text: 'Reply window' }), h('dd', { text: windowText(view.reply_window_closes_at) })));
  }
  const closed = view.reply_window_closes_at != null && view.reply_window_closes_at <= Date.now();
  const note = $('#note-mode').checked;
  const hf = current?.handoff;
  const mineLive = !!hf && hf.state === 'live' && isMine(hf);
  if (closed && !note) {
    $('#chat-input').disabled = true;
    $('#chat-send').disabled = true;
    const hint = $('#composer-hint');
    const before = hint.hidden || mineLive ? '' : hint.textContent.replace(/ Tick Note to leave an internal note\.$/, '') + ' ';
    const then = mineLive ? 'Send an approved template below, or tick Note to leave an internal note.' : 'Tick Note to leave an internal note.';
    hint.textContent = `${before}WhatsApp’s 24-hour window has closed: WhatsApp delivers only approved templates until the customer writes again. ${then}`;
    hint.hidden = false;
  }
  showTemplates(view, closed && !note && mineLive);
}

// How long a chat's list of templates is trusted before it is read again (an admin may have
// added some), and how long after a failed read it is tried again.
const TEMPLATES_FRESH_MS = 60000;

// The template picker in the text box's place while the window is closed and the chat is the
// user's: the channel's approved templates, a field per variable, and a preview.
function showTemplates(view, wanted) {
  const panel = $('#template-panel');
  const id = current?.conversationId;
  const known = wanted && id ? channelTemplates.get(id) : null;
  const templates = known?.templates || null;
  // The panel takes the text box's place (and its Send button's) while it shows.
  panel.hidden = !templates;
  $('#chat-input').hidden = !!templates;
  $('#chat-send').hidden = !!templates;
  if (!wanted || !id) return;
  if (!known || Date.now() - known.at > TEMPLATES_FRESH_MS) {
    channelTemplates.set(id, { at: Date.now(), templates, loading: true });
    api('GET', `/v1/conversations/${encodeURIComponent(id)}/templates`)
      .then((list) => {
        const changed = JSON.stringify(list.templates) !== JSON.stringify(templates);
        channelTemplates.set(id, { at: Date.now(), templates: list.templates });
        if (changed) delete panel.dataset.conversation; // built again with the new list
        if (changed && current?.conversationId === id) renderChat();
      })
      .catch((e) => {
        // Kept (or empty) until the next try, a minute on: one toast, not one per render.
        channelTemplates.set(id, { at: Date.now(), templates });
        toast(`Could not load the templates: ${e.message}`);
      });
  }
  if (!templates) return;
  if (panel.dataset.conversation === id) return; // already built for this chat: keep what was typed
  panel.dataset.conversation = id;
  const choice = $('#template-choice');
  choice.replaceChildren(...templates.map((t, i) => h('option', { value: String(i), text: `${t.name} (${t.language})` })));
  $('#template-none').hidden = templates.length > 0;
  choice.hidden = templates.length === 0;
  $('#template-form-body').hidden = templates.length === 0;
  if (templates.length) pickTemplate(templates[0]);
}

function pickTemplate(template) {
  const fields = $('#template-fields');
  fields.replaceChildren(...Array.from({ length: template.variables }, (_, i) => {
    const input = h('input', { id: `template-var-${i + 1}`, type: 'text', maxlength: '1024', 'aria-label': `Value of {{${i + 1}}}`, placeholder: `{{${i + 1}}}`, oninput: () => previewTemplate(template) });
    return h('label', { class: 'template-var' }, h('span', { text: `{{${i + 1}}}` }), input);
  }));
  previewTemplate(template);
}

function templateValues(template) {
  return Array.from({ length: template.variables }, (_, i) => $(`#template-var-${i + 1}`).value.trim());
}

function previewTemplate(template) {
  const values = templateValues(template);
  $('#template-preview').textContent = template.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (all, n) => values[n - 1] || all);
  $('#template-send').disabled = values.some((v) => !v);
}

function chosenTemplate() {
  const templates = channelTemplates.get(current?.conversationId)?.templates || [];
  return templates[Number($('#template-choice').value)];
}

let templateDraft = { key: '', clientId: '' }; // a retried send keeps its client_id
async function sendTemplate() {
  const template = chosenTemplate();
  if (!template || !current) return;
  const parameters = templateValues(template);
  const key = JSON.stringify([current.conversationId, template.name, template.language, parameters]);
  if (templateDraft.key !== key) templateDraft = { key, clientId: uuid() };
  $('#template-send').disabled = true;
  try {
    const m = await api('POST', `/v1/conversations/${encodeURIComponent(current.conversationId)}/template-messages`,
      { name: template.name, language: template.language, parameters, client_id: templateDraft.clientId });
    templateDraft = { key: '', clientId: '' };
    appendMessage(m);
    scrollToEnd(true);
    pickTemplate(template);
    toast('Template sent.');
  } catch (e) {
    toast(e.message);
    previewTemplate(template);
  }
}

$('#template-choice').addEventListener('change', () => { const t = chosenTemplate(); if (t) pickTemplate(t); });
$('#template-send').addEventListener('click', sendTemplate);

async function showChannel() {
  const id = current?.conversationId;
  if (!id) return;
  // What is known now, at once, so the details never flicker; then the fresh view.
  applyChannel(channelViews.get(id)?.view);
  const seq = current.lastSeq;
  if (channelViews.get(id)?.seq === seq) return;
  await freshChannelView(id, seq);
  // Rendered again with the fresh view (from the cache, so this does not loop): the composer
  // opens or closes as the window now says.
  if (current?.conversationId === id) renderChat();
}

document.addEventListener('baton-chat-rendered', showChannel);
// A customer's new message on WhatsApp opens the window again: rendering the chat reads the
// view afresh (its seq moved on), which opens the composer.
document.addEventListener('baton-live-message', (e) => {
  const view = channelViews.get(current?.conversationId)?.view;
  if (e.detail?.author?.kind === 'contact' && view?.reply_window_closes_at != null) renderChat();
});
