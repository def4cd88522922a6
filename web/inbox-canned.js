/*
 * Saved replies in the inbox: typing "/" in the composer opens the replies for the chat open
 * (the server fills in their placeholders for it); arrows choose, Enter or Tab inserts, Escape
 * closes. "Saved replies" in the top bar manages them: your own, and (admins) the team's.
 * Loaded after inbox.js, whose `current`, `me` and `api` it uses.
 */
'use strict';

const canned = {
  list: null, // the replies offered in the open chat: {conversationId, items}
  shown: [], // the filtered items in the picker
  active: 0,
  editing: null, // the reply being edited in the panel, or null for a new one
};

// The "/query" just before the caret, at the start of the text or after a space.
function slashQuery(input) {
  const before = input.value.slice(0, input.selectionStart);
  const m = /(^|\s)\/([a-z0-9_-]*)$/i.exec(before);
  return m ? { query: m[2].toLowerCase(), start: before.length - m[2].length - 1 } : null;
}

async function offeredReplies() {
  const id = current?.conversationId;
  if (!id) return [];
  if (canned.list?.conversationId !== id) {
    const data = await api('GET', `/v1/canned-responses?conversation_id=${encodeURIComponent(id)}`);
    canned.list = { conversationId: id, items: data.canned_responses };
  }
  return canned.list.items;
}

function closePicker() {
  $('#canned-picker').hidden = true;
  $('#chat-input').removeAttribute('aria-activedescendant');
}

function drawPicker() {
  const picker = $('#canned-picker');
  picker.replaceChildren(...canned.shown.map((r, i) => h('li', {
    id: `canned-option-${i}`, role: 'option', class: 'canned-option', 'aria-selected': i === canned.active ? 'true' : 'false',
    'data-shortcut': r.shortcut,
    onmousedown: (e) => { e.preventDefault(); canned.active = i; insertReply(); },
  }, h('strong', { text: `/${r.shortcut}` }), ' ', h('span', { class: 'muted', text: r.rendered }))));
  if (!canned.shown.length) picker.append(h('li', { class: 'canned-empty muted', text: 'No saved reply starts with that. Add one under "Saved replies".' }));
  picker.hidden = false;
  if (canned.shown.length) $('#chat-input').setAttribute('aria-activedescendant', `canned-option-${canned.active}`);
}

async function onComposerInput() {
  const input = $('#chat-input');
  const slash = slashQuery(input);
  if (!slash) return closePicker();
  let items;
  try { items = await offeredReplies(); } catch (e) { return closePicker(); }
  const q = slash.query;
  canned.shown = items.filter((r) => r.shortcut.startsWith(q) || (q.length > 1 && r.rendered.toLowerCase().includes(q)));
  canned.active = 0;
  drawPicker();
}

function insertReply() {
  const input = $('#chat-input');
  const slash = slashQuery(input);
  const reply = canned.shown[canned.active];
  if (!slash || !reply) return closePicker();
  const after = input.value.slice(input.selectionStart);
  input.value = input.value.slice(0, slash.start) + reply.rendered + after;
  const caret = slash.start + reply.rendered.length;
  input.setSelectionRange(caret, caret);
  closePicker();
  input.focus();
}

// Runs before the composer's own keys (it listens on the textarea): with the picker open,
// Enter and Tab insert instead of sending.
function onComposerKey(e) {
  if (e.target.id !== 'chat-input' || $('#canned-picker').hidden) return;
  const count = canned.shown.length;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (!count) return;
    canned.active = (canned.active + (e.key === 'ArrowDown' ? 1 : count - 1)) % count;
    drawPicker();
  } else if ((e.key === 'Enter' || e.key === 'Tab') && count) {
    insertReply();
  } else if (e.key === 'Escape') {
    closePicker();
  } else {
    return;
  }
  e.preventDefault();
  e.stopPropagation();
}

// ---------- the "Saved replies" panel ----------
function cannedFieldError(message) {
  for (const span of $('#canned-form').querySelectorAll('.field-error')) span.hidden = true;
  $('#canned-error').hidden = true;
  for (const el of $('#canned-form').querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  if (!message) return;
  const m = /^(shortcut|text|language): (.*)$/s.exec(message);
  if (!m) {
    $('#canned-error').textContent = message;
    $('#canned-error').hidden = false;
    return;
  }
  const span = $(`#canned-${m[1]}-error`);
  span.textContent = m[2];
  span.hidden = false;
  $(`#canned-${m[1]}`).setAttribute('aria-invalid', 'true');
  $(`#canned-${m[1]}`).focus();
}

function editReply(reply) {
  canned.editing = reply;
  $('#canned-shortcut').value = reply ? reply.shortcut : '';
  $('#canned-text').value = reply ? reply.text : '';
  $('#canned-language').value = reply?.language || '';
  $('#canned-shared').checked = !!reply?.shared;
  $('#canned-save').textContent = reply ? 'Save changes' : 'Add reply';
  cannedFieldError('');
  $('#canned-shortcut').focus();
}

async function drawReplies() {
  let data;
  try { data = await api('GET', '/v1/canned-responses'); } catch (e) { return toast(e.message); }
  const mayChange = (r) => !r.shared || me.role === 'admin';
  $('#canned-rows').replaceChildren(...data.canned_responses.map((r) => h('li', { class: 'canned-row', 'data-shortcut': r.shortcut },
    h('div', {},
      h('strong', { text: `/${r.shortcut}` }),
      h('span', { class: 'muted', text: ` ${r.shared ? 'team' : 'mine'}${r.language ? ` · ${r.language}` : ''}` }),
      h('div', { class: 'canned-text', text: r.text })),
    mayChange(r) ? h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small', text: 'Edit', 'aria-label': `Edit /${r.shortcut}`, onclick: () => editReply(r) }),
      h('button', { type: 'button', class: 'btn small', text: 'Delete', 'aria-label': `Delete /${r.shortcut}`, onclick: () => deleteReply(r) })) : null)));
  $('#canned-none').hidden = data.canned_responses.length > 0;
}

async function toggleCanned() {
  const form = $('#canned-form');
  if (!form.hidden) return closeCanned();
  $('#canned-shared-label').hidden = me.role !== 'admin';
  form.hidden = false;
  $('#canned-toggle').setAttribute('aria-expanded', 'true');
  editReply(null);
  await drawReplies();
}

function closeCanned() {
  $('#canned-form').hidden = true;
  $('#canned-toggle').setAttribute('aria-expanded', 'false');
  $('#canned-toggle').focus();
}

async function saveReply(e) {
  e.preventDefault();
  const body = {
    shortcut: $('#canned-shortcut').value,
    text: $('#canned-text').value,
    language: $('#canned-language').value || null,
    shared: $('#canned-shared').checked,
  };
  $('#canned-save').disabled = true;
  try {
    if (canned.editing) await api('PUT', `/v1/canned-responses/${canned.editing.id}`, body);
    else await api('POST', '/v1/canned-responses', body);
    canned.list = null; // the open chat's list is read again
    toast(canned.editing ? 'Reply saved.' : `Saved: type /${body.shortcut.replace(/^\//, '').toLowerCase()} in a chat.`);
    editReply(null);
    await drawReplies();
  } catch (ex) {
    cannedFieldError(ex.message);
  } finally {
    $('#canned-save').disabled = false;
  }
}

async function deleteReply(reply) {
  if (!confirm(`Delete the saved reply /${reply.shortcut}?`)) return;
  try {
    await api('DELETE', `/v1/canned-responses/${reply.id}`);
    canned.list = null;
    if (canned.editing?.id === reply.id) editReply(null);
    await drawReplies();
  } catch (e) {
    toast(e.message);
  }
}

$('#chat-input').addEventListener('input', onComposerInput);
$('#chat-input').addEventListener('blur', () => setTimeout(closePicker, 150));
$('#composer').addEventListener('keydown', onComposerKey, true);
$('#canned-toggle').addEventListener('click', toggleCanned);
$('#canned-form').addEventListener('submit', saveReply);
$('#canned-new').addEventListener('click', () => editReply(null));
$('#canned-close').addEventListener('click', closeCanned);
$('#canned-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeCanned(); } });
