/*
 * The contact panel beside the open chat: who the contact is across their conversations
 * (name, email, whether the host site verified them, language, the details the site passed),
 * what this chat gathered, and their past conversations with ratings, each a click away.
 * Admins can export everything held about the contact or erase it. Reads
 * GET /v1/conversations/{id} for the contact's record id, then GET /v1/contacts/{id}.
 * Loaded after inbox.js, which announces an opened chat as `baton-chat-opened`.
 */
'use strict';

const panel = { conversationId: null, record: null, contactId: null };

function dl(rows) {
  const list = h('dl');
  for (const [label, value] of rows) {
    if (value == null || value === '') continue;
    list.append(h('dt', { text: label }), h('dd', null, value));
  }
  return list.children.length ? list : null;
}

const starsText = (n) => '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n));

function pastChat(c) {
  const last = c.handoffs[c.handoffs.length - 1];
  const rated = [...c.handoffs].reverse().find((hf) => hf.rating != null);
  const state = c.state === 'bot' ? (last ? 'closed' : 'bot') : c.state;
  const at = toMs(c.last_message_at);
  const here = current?.conversationId === c.id;
  return h('li', null, h('button', {
    type: 'button', class: 'past-chat', 'data-conversation-id': c.id, 'data-state': state,
    'aria-current': here ? 'true' : null,
  },
  h('span', { text: at ? new Date(at).toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' }) : '' }),
  h('span', { class: 'tag state-' + state, text: here ? 'This chat' : state === 'bot' ? 'With the bot' : STATES[state] || state }),
  last ? h('span', { class: 'muted', text: TRIGGERS[last.trigger] || last.trigger }) : null,
  rated ? h('span', { class: 'tag rating', text: starsText(rated.rating), title: `Rated ${rated.rating} of 5` }) : null));
}

function renderContact() {
  const box = $('#contact-card');
  const hf = current?.handoff;
  $('#contact-panel').hidden = !current;
  if (!current) return;
  const record = panel.record?.contact;
  const name = record?.name || (hf && contactName(hf)) || current.name || 'Visitor';
  const email = record?.email || (hf && contactEmail(hf)) || '';
  const parts = [h('div', { class: 'contact-name', text: name })];
  if (email) {
    const mail = h('a', { text: email });
    mail.href = 'mailto:' + email; // always a mailto: URL
    parts.push(mail);
  }
  if (record?.email && !record.external_id) parts.push(h('div', { class: 'muted', text: 'Email as given in the chat, not verified' }));
  if (record?.external_id) parts.push(h('div', null, h('span', { class: 'tag verified', text: 'Verified by your site', title: `Signed in on your site as ${record.external_id}` })));
  else if (panel.contactId === null && panel.conversationId === current.conversationId) {
    parts.push(h('div', { class: 'muted', text: 'Not linked to other conversations.' }));
  }
  parts.push(dl([
    ['Phone', record?.phone ? '+' + record.phone : ''],
    ['Language', record?.language || hf?.language || ''],
    ['Site user id', record?.external_id || ''],
    ['First seen', record ? new Date(toMs(record.created_at)).toLocaleDateString([], { dateStyle: 'medium' }) : ''],
  ]));
  const attributes = Object.entries(record?.attributes || {});
  if (attributes.length) parts.push(h('h3', { text: 'From your site' }), dl(attributes.map(([k, v]) => [k.replace(/_/g, ' '), v])));
  const gathered = Object.entries(hf?.gathered || {});
  if (gathered.length) parts.push(h('h3', { text: 'Gathered in this chat' }), dl(gathered.map(([k, v]) => [k.replace(/_/g, ' '), v])));
  const chats = panel.record?.conversations || [];
  if (chats.length) {
    parts.push(h('h3', { text: `Conversations (${chats.length})` }), h('ul', { class: 'past-chats' }, ...chats.map(pastChat)));
  }
  if (record && isAdmin()) {
    parts.push(h('div', { class: 'contact-actions' },
      h('button', { type: 'button', id: 'contact-export', class: 'btn small', text: 'Export data', title: 'Download everything Baton holds about this contact' }),
      h('button', { type: 'button', id: 'contact-erase', class: 'btn small danger', text: 'Erase contact…', title: 'Delete their messages and personal data for good' })));
  }
  box.replaceChildren(h('div', { class: 'contact-card' }, ...parts.filter(Boolean)));
}

async function loadContact(conversationId) {
  panel.conversationId = conversationId;
  panel.record = null;
  panel.contactId = undefined;
  renderContact();
  try {
    const view = await api('GET', `/v1/conversations/${encodeURIComponent(conversationId)}`);
    if (current?.conversationId !== conversationId) return;
    panel.contactId = view.contact_id || null;
    if (!panel.contactId) return renderContact();
    const record = await api('GET', `/v1/contacts/${encodeURIComponent(panel.contactId)}`);
    if (current?.conversationId !== conversationId) return;
    panel.record = record;
  } catch (e) {
    if (e.status !== 404) toast(e.message);
  }
  renderContact();
}

async function exportContact() {
  const id = panel.contactId;
  let data;
  try {
    data = await api('GET', `/v1/contacts/${encodeURIComponent(id)}/export`);
  } catch (e) {
    return toast(e.message);
  }
  const link = h('a', { download: `contact-${id}.json` });
  link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function eraseContact() {
  const name = panel.record?.contact?.name || panel.record?.contact?.email || 'this contact';
  if (!confirm(`Erase ${name}? Their messages and personal details are deleted for good; anonymous counts stay.`)) return;
  try {
    await api('DELETE', `/v1/contacts/${encodeURIComponent(panel.contactId)}`);
    toast(`${name} was erased.`);
    openConversation(current.conversationId, null, { readOnly: current.readOnly });
  } catch (e) {
    toast(e.message);
  }
}

$('#contact-panel').addEventListener('click', (e) => {
  const chat = e.target.closest('.past-chat');
  if (chat && chat.dataset.conversationId !== current?.conversationId) {
    const open = !['bot', 'closed'].includes(chat.dataset.state);
    openConversation(chat.dataset.conversationId, null, { readOnly: !open });
  } else if (e.target.closest('#contact-export')) exportContact();
  else if (e.target.closest('#contact-erase')) eraseContact();
});
document.addEventListener('baton-chat-opened', (e) => loadContact(e.detail.conversationId));
document.addEventListener('baton-chat-rendered', () => {
  if (current && panel.conversationId === current.conversationId) renderContact();
});
