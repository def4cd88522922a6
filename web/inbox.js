/*
 * Baton inbox: where people pick up the conversations bots hand over.
 * Plain JS on purpose (no build step); the server embeds this file as /assets/inbox.js.
 * All user-provided text goes through textContent.
 */
'use strict';

const TOKEN_KEY = 'baton.session';
const TRIGGERS = {
  explicit_request: 'Asked for a human',
  frustration: 'Visitor seemed frustrated',
  forbidden_topic: 'Topic the bot must not handle',
  ai_decision: 'Bot decided to hand over',
  bot_failure: 'Bot could not help',
  manual_takeover: 'Taken over by a team member',
  api: 'Requested through the API',
};
const STATES = {
  gathering: 'Gathering details', queued: 'Waiting', offered: 'Offered', live: 'Live',
  offline: 'Offline', ticket: 'Ticket', closed: 'Closed',
};
const PRIORITY_RANK = { urgent: 3, high: 2, normal: 1, medium: 1, low: 0 };
const BOT_CHATS_MAX = 30;

const $ = (sel) => document.querySelector(sel);

let token = localStorage.getItem(TOKEN_KEY);
let me = null;
const handoffs = new Map(); // open handoffs by id
const botChats = new Map(); // conversation id → {conversationId, name, text, at}; bot-owned chats seen since load
const unread = new Set(); // conversation ids with contact messages I have not looked at
const fresh = new Set(); // handoff ids that just entered the queue (brief highlight)
let current = null; // the conversation open in the main pane
let ws = null;
let wsTimer = 0;
let wsDelay = 1000;
let draft = { text: '', clientId: '' };

// ---------- small helpers ----------
function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids) if (kid != null) el.append(kid);
  return el;
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await res.json(); } catch (_) { /* empty body */ }
  if (!res.ok) {
    const err = new Error(data?.detail || data?.title || `Request failed (${res.status})`);
    err.status = res.status;
    err.code = data?.code;
    // An expired or revoked session anywhere means the person has to sign in again.
    if (res.status === 401 && token && path !== '/v1/auth/login') signOut();
    throw err;
  }
  return data;
}

const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
  : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

// Timestamps are documented as unix ms; accept seconds and ISO strings too rather than show 1970.
function toMs(v) {
  if (v == null || v === '') return null;
  if (typeof v === 'number') return v < 1e12 ? v * 1000 : v;
  const n = Number(v);
  if (!Number.isNaN(n)) return toMs(n);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function ago(ms) {
  const min = Math.floor((Date.now() - ms) / 60000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min`;
  const hrs = Math.floor(min / 60);
  if (hrs < 24) return `${hrs} h ${min % 60} min`;
  return `${Math.floor(hrs / 24)} d`;
}

function sinceEl(ms, prefix) {
  if (!ms) return null;
  return h('span', { class: 'since', 'data-since': String(ms), 'data-prefix': prefix || '', title: new Date(ms).toLocaleString(), text: (prefix || '') + ago(ms) });
}

function toast(msg) {
  const t = $('#toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
}

const contactName = (hf) => hf?.contact?.name || hf?.lead?.name || 'Visitor';
const contactEmail = (hf) => hf?.contact?.email || hf?.lead?.email || '';
const isMine = (hf) => !!(hf && me && hf.assignee && hf.assignee.id === me.id);
const isOpenState = (s) => s && s !== 'closed';
// The server lets a claim take a queued or offline handoff, or one offered to me.
const canClaim = (hf) => !!hf && (hf.state === 'queued' || hf.state === 'offline' ||
  (hf.state === 'offered' && (!hf.assignee || isMine(hf))));

function openHandoffFor(conversationId) {
  for (const hf of handoffs.values()) if (hf.conversation_id === conversationId) return hf;
  return null;
}

// ---------- session ----------
function showLogin(message) {
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
  const err = $('#login-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('#login-email').focus();
}

async function login(e) {
  e.preventDefault();
  const email = $('#login-email').value.trim();
  const password = $('#login-password').value;
  const err = $('#login-error');
  err.hidden = true;
  if (!email || !password) {
    err.textContent = 'Enter your email and password.';
    err.hidden = false;
    return;
  }
  $('#login-submit').disabled = true;
  try {
    const r = await api('POST', '/v1/auth/login', { email, password });
    token = r.token;
    localStorage.setItem(TOKEN_KEY, token);
    me = r.user;
    $('#login-password').value = '';
    // Someone who just signed in to the inbox wants to receive chats.
    try { me = await api('PUT', '/v1/me/status', { status: 'online' }); } catch (_) { /* keep going */ }
    startApp();
  } catch (ex) {
    err.textContent = ex.status === 401 ? (ex.message || 'Wrong email or password.') : ex.message;
    err.hidden = false;
  } finally {
    $('#login-submit').disabled = false;
  }
}

function signOut() {
  token = null;
  me = null;
  localStorage.removeItem(TOKEN_KEY);
  if (ws) { const s = ws; ws = null; s.close(); }
  clearTimeout(wsTimer);
  handoffs.clear();
  botChats.clear();
  unread.clear();
  current = null;
  document.title = 'Baton Inbox';
  showLogin();
}

async function logout() {
  // Going offline first keeps the router from offering chats to someone who left.
  try { await api('PUT', '/v1/me/status', { status: 'offline' }); } catch (_) { /* signing out anyway */ }
  signOut();
}

function renderMe() {
  $('#me-name').textContent = me.name || me.email;
  const sel = $('#status-select');
  if (me.status) sel.value = me.status;
  $('#status-dot').dataset.status = sel.value;
}

async function changeStatus() {
  const sel = $('#status-select');
  const wanted = sel.value;
  try {
    me = await api('PUT', '/v1/me/status', { status: wanted });
  } catch (e) {
    toast(e.message);
  }
  renderMe();
}

function startApp() {
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  renderMe();
  $('#notify-enable').hidden = !('Notification' in window) || Notification.permission !== 'default';
  loadLists().then(() => {
    const m = location.hash.match(/^#c=(.+)$/);
    if (m && !current) openConversation(decodeURIComponent(m[1]));
  }).catch((e) => toast(e.message));
  connectWs();
}

// ---------- lists ----------
async function loadLists() {
  const r = await api('GET', '/v1/handoffs');
  handoffs.clear();
  for (const hf of r.handoffs || []) if (isOpenState(hf.state)) handoffs.set(hf.id, hf);
  for (const id of botChats.keys()) if (openHandoffFor(id)) botChats.delete(id);
  if (current) {
    const hf = openHandoffFor(current.conversationId);
    if (hf) current.handoff = hf;
    else if (isOpenState(current.handoff?.state)) current.handoff = { ...current.handoff, state: 'closed' }; // closed while we were away
    renderChat();
  }
  renderLists();
}

function bucket(hf) {
  if (hf.state === 'live') return isMine(hf) ? 'mine' : 'others';
  if (hf.state === 'offline' || hf.state === 'ticket') return 'tickets';
  return 'queue'; // queued, offered, and anything still being set up
}

function priorityRank(p) {
  if (typeof p === 'number') return p;
  return PRIORITY_RANK[String(p || '').toLowerCase()] ?? 1;
}

function handoffItem(hf) {
  const active = current && current.conversationId === hf.conversation_id;
  const cls = ['handoff-item', active && 'active', unread.has(hf.conversation_id) && 'unread', fresh.has(hf.id) && 'fresh']
    .filter(Boolean).join(' ');
  const email = contactEmail(hf);
  const waiting = hf.state === 'queued' || hf.state === 'offered';
  const offeredTo = hf.state === 'offered' && hf.assignee ? (isMine(hf) ? 'Offered to you' : `Offered to ${hf.assignee.name}`) : '';
  const since = toMs(waiting ? hf.requested_at : hf.assigned_at || hf.requested_at);
  // The default priority is noise in a list; the header still shows it.
  const prio = hf.priority != null && !['', 'normal', 'medium'].includes(String(hf.priority).toLowerCase()) ? String(hf.priority) : '';
  const el = h('div', {
    class: cls, 'data-handoff-id': hf.id, 'data-conversation-id': hf.conversation_id, 'data-state': hf.state,
    tabindex: '0', 'aria-current': active ? 'true' : null,
  },
  h('div', { class: 'item-top' },
    h('span', { class: 'item-name', text: contactName(hf) }),
    sinceEl(since, waiting ? 'waiting ' : '')),
  email ? h('div', { class: 'item-email', text: email }) : null,
  h('div', { class: 'item-trigger', text: TRIGGERS[hf.trigger] || hf.trigger || '' }),
  hf.reason ? h('div', { class: 'item-reason', text: hf.reason }) : null,
  h('div', { class: 'item-tags' },
    h('span', { class: 'tag state-' + hf.state, text: STATES[hf.state] || hf.state }),
    prio ? h('span', { class: 'tag prio prio-' + prio.toLowerCase(), text: 'Priority ' + prio }) : null,
    hf.language ? h('span', { class: 'tag', text: hf.language }) : null,
    offeredTo ? h('span', { class: 'tag', text: offeredTo })
      : hf.assignee && !isMine(hf) ? h('span', { class: 'tag', text: hf.assignee.name || 'Assigned' }) : null,
    waiting && canClaim(hf) ? h('button', { type: 'button', class: 'claim btn primary small', text: 'Claim', 'aria-label': `Claim chat with ${contactName(hf)}` }) : null));
  return el;
}

function botChatItem(c) {
  const active = current && current.conversationId === c.conversationId;
  return h('div', {
    class: ['conv-item', active && 'active', unread.has(c.conversationId) && 'unread'].filter(Boolean).join(' '),
    'data-conversation-id': c.conversationId, tabindex: '0',
  },
  h('div', { class: 'item-top' }, h('span', { class: 'item-name', text: c.name || 'Visitor' }), sinceEl(c.at, '')),
  h('div', { class: 'item-reason', text: c.text || '' }));
}

function fillList(id, items) {
  const list = document.getElementById(id);
  list.replaceChildren(...items);
  if (!items.length) list.append(h('div', { class: 'list-empty', text: list.dataset.empty || '' }));
  const count = document.querySelector(`[data-count-for="${id}"]`);
  if (count) count.textContent = items.length ? String(items.length) : '';
}

function renderLists() {
  const groups = { queue: [], mine: [], others: [], tickets: [] };
  for (const hf of handoffs.values()) groups[bucket(hf)].push(hf);
  const oldest = (a, b) => (toMs(a.requested_at) || 0) - (toMs(b.requested_at) || 0);
  groups.queue.sort((a, b) => priorityRank(b.priority) - priorityRank(a.priority) || oldest(a, b));
  for (const k of ['mine', 'others', 'tickets']) groups[k].sort(oldest);
  for (const [k, list] of Object.entries(groups)) fillList(k, list.map(handoffItem));
  const bots = [...botChats.values()].sort((a, b) => (b.at || 0) - (a.at || 0));
  fillList('bot-chats', bots.map(botChatItem));
  const waiting = groups.queue.filter((hf) => hf.state === 'queued' || hf.state === 'offered').length;
  document.title = waiting ? `(${waiting}) Baton Inbox` : 'Baton Inbox';
}

function refreshTimes() {
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = el.dataset.prefix + ago(Number(el.dataset.since));
  }
}

// ---------- main pane ----------
async function openConversation(conversationId, handoffId) {
  const hf = (handoffId && handoffs.get(handoffId)) || openHandoffFor(conversationId);
  current = { conversationId, handoff: hf, seqs: new Set(), lastSeq: 0 };
  unread.delete(conversationId);
  history.replaceState(null, '', '#c=' + encodeURIComponent(conversationId));
  draft = { text: '', clientId: '' };
  $('#chat-input').value = '';
  $('#messages').replaceChildren(h('div', { class: 'list-empty placeholder', text: 'Loading…' }));
  renderChat();
  renderLists();
  try {
    const r = await api('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/messages`);
    if (current?.conversationId !== conversationId) return; // switched away meanwhile
    // Only drop the placeholder: frames that arrived during the fetch are already in place.
    $('#messages').querySelector('.placeholder')?.remove();
    for (const m of r.messages || []) appendMessage(m);
    scrollToEnd(true);
  } catch (e) {
    if (current?.conversationId === conversationId) $('#messages').replaceChildren(h('div', { class: 'error', text: e.message }));
  }
}

async function catchUp() {
  if (!current) return;
  const id = current.conversationId;
  const r = await api('GET', `/v1/conversations/${encodeURIComponent(id)}/messages?after=${current.lastSeq}`);
  if (current?.conversationId === id) for (const m of r.messages || []) appendMessage(m);
}

function metaRow(dl, label, value) {
  if (value == null || value === '') return;
  dl.append(h('div', null, h('dt', { text: label }), h('dd', null, value)));
}

function renderChat() {
  $('#empty-state').hidden = !!current;
  $('#chat').hidden = !current;
  if (!current) return;
  const hf = current.handoff;
  const open = hf && isOpenState(hf.state);
  const st = open ? hf.state : null;
  const mineLive = st === 'live' && isMine(hf);
  const botOwned = !open;
  const name = hf ? contactName(hf) : current.name || 'Visitor';

  $('#chat-contact').textContent = name;
  $('#chat-contact-email').textContent = hf ? contactEmail(hf) : '';

  const dl = $('#chat-meta');
  dl.replaceChildren();
  metaRow(dl, 'State', h('span', { class: 'tag state-' + (st || 'bot'), text: st ? STATES[st] || st : (hf ? 'Closed · with the bot' : 'With the bot') }));
  if (hf) {
    metaRow(dl, 'Trigger', TRIGGERS[hf.trigger] || hf.trigger);
    metaRow(dl, 'Reason', hf.reason);
    metaRow(dl, 'Language', hf.language);
    metaRow(dl, 'Priority', hf.priority != null ? String(hf.priority) : '');
    metaRow(dl, 'Assignee', hf.assignee ? (isMine(hf) ? 'You' : hf.assignee.name) : '');
    const req = toMs(hf.requested_at);
    if (req) metaRow(dl, 'Requested', sinceEl(req, ''));
    if (hf.topic) metaRow(dl, 'Topic', hf.topic);
    if (hf.frustration != null) metaRow(dl, 'Frustration', hf.frustration.toFixed(2));
    for (const [key, value] of Object.entries(hf.gathered || {})) metaRow(dl, key.replace(/_/g, ' '), value);
    if (hf.rating != null) metaRow(dl, 'Rating', `${'★'.repeat(hf.rating)}${'☆'.repeat(Math.max(0, 5 - hf.rating))}${hf.comment ? ' — ' + hf.comment : ''}`);
  }

  const lead = $('#chat-lead');
  lead.replaceChildren();
  lead.hidden = !(hf?.lead || hf?.summary);
  if (hf?.summary) lead.append(h('p', { class: 'summary', text: hf.summary }));
  if (hf?.lead) {
    const l = hf.lead;
    const mail = h('a', { text: l.email });
    mail.href = 'mailto:' + l.email; // always a mailto: URL, so user input cannot become a script link
    lead.append(h('strong', { text: 'Left their details: ' }), mail);
    if (l.name) lead.append(h('span', { text: ' · ' + l.name }));
    if (l.message) lead.append(h('p', { text: l.message }));
  }

  $('#claim-chat').hidden = !(open && canClaim(hf));
  $('#takeover').hidden = !botOwned;
  $('#close-chat').disabled = !(mineLive || st === 'offline' || st === 'ticket');

  const note = $('#note-mode').checked;
  const canSend = mineLive || note;
  $('#chat-input').disabled = !canSend;
  $('#chat-send').disabled = !canSend;
  $('#chat-input').placeholder = note ? 'Internal note — only your team sees it' : 'Write a reply…';
  $('#composer').classList.toggle('note', note);
  const hint = $('#composer-hint');
  let text = '';
  if (!mineLive && !note) {
    if (st === 'queued' || (st === 'offered' && canClaim(hf))) text = 'Claim this chat to reply.';
    else if (st === 'offered') text = `This chat is being offered to ${hf.assignee?.name || 'someone else'}.`;
    else if (st === 'live') text = `${hf.assignee?.name || 'Someone else'} is handling this chat.`;
    else if (st === 'ticket') text = 'The visitor left their details: reply by email, then close the ticket.';
    else if (st === 'offline') text = 'This chat arrived while nobody was online. Claim it to reply while the visitor is here.';
    else if (st === 'gathering') text = 'The bot is collecting details before this joins the queue.';
    else text = 'The bot is handling this conversation. Take over to reply.';
    text += ' Tick Note to leave an internal note.';
  }
  hint.textContent = text;
  hint.hidden = !text;
}

function authorLabel(m) {
  const a = m.author || {};
  switch (a.kind) {
    case 'contact': return a.name || (current?.handoff ? contactName(current.handoff) : 'Visitor');
    case 'bot': return a.name || 'Bot';
    case 'user': return (a.name || 'Team member') + (me && a.id === me.id ? ' (you)' : '');
    default: return 'System';
  }
}

function appendMessage(m) {
  if (!current || !m || typeof m.seq !== 'number') return;
  if (m.conversation_id && m.conversation_id !== current.conversationId) return;
  if (current.seqs.has(m.seq)) return;
  current.seqs.add(m.seq);
  current.lastSeq = Math.max(current.lastSeq, m.seq);
  const list = $('#messages');
  const nearEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const at = toMs(m.created_at);
  const el = h('div', {
    class: 'msg', 'data-author': m.author?.kind || 'system', 'data-seq': String(m.seq), 'data-note': m.note ? 'true' : null,
  },
  h('div', { class: 'msg-meta' },
    h('span', { class: 'msg-author', text: (m.note ? 'Note · ' : '') + authorLabel(m) }),
    at ? h('time', { datetime: new Date(at).toISOString(), title: new Date(at).toLocaleString(), text: new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }) : null),
  h('div', { class: 'msg-text', text: m.text }));
  const next = [...list.children].find((c) => Number(c.dataset.seq) > m.seq);
  list.insertBefore(el, next || null);
  if (!current.name && m.author?.kind === 'contact' && m.author.name) current.name = m.author.name;
  scrollToEnd(nearEnd || (m.author?.kind === 'user' && m.author.id === me?.id));
}

function scrollToEnd(force) {
  const list = $('#messages');
  if (force) list.scrollTop = list.scrollHeight;
}

// ---------- actions ----------
async function claim(handoffId) {
  try {
    const hf = await api('POST', `/v1/handoffs/${encodeURIComponent(handoffId)}/claim`);
    upsertHandoff(hf);
    openConversation(hf.conversation_id, hf.id);
  } catch (e) {
    if (e.status === 409) {
      toast('Someone else took this chat');
      loadLists().catch(() => {});
    } else toast(e.message);
  }
}

async function closeCurrent() {
  const hf = current?.handoff;
  if (!hf) return;
  $('#close-chat').disabled = true;
  try {
    upsertHandoff(await api('POST', `/v1/handoffs/${encodeURIComponent(hf.id)}/close`), 'handoff.closed');
  } catch (e) {
    toast(e.message);
    renderChat();
  }
}

async function takeover() {
  if (!current) return;
  $('#takeover').disabled = true;
  try {
    const hf = await api('POST', `/v1/conversations/${encodeURIComponent(current.conversationId)}/takeover`);
    upsertHandoff(hf);
  } catch (e) {
    toast(e.message);
  } finally {
    $('#takeover').disabled = false;
  }
}

async function send() {
  const input = $('#chat-input');
  const text = input.value.trim();
  if (!text || !current || $('#chat-send').disabled) return;
  const note = $('#note-mode').checked;
  const base = `/v1/conversations/${encodeURIComponent(current.conversationId)}`;
  // Reuse the client_id while the same text is retried, so a lost response never doubles a message.
  if (draft.text !== text) draft = { text, clientId: uuid() };
  $('#chat-send').disabled = true;
  try {
    const m = note
      ? await api('POST', base + '/notes', { text })
      : await api('POST', base + '/messages', { text, client_id: draft.clientId });
    if (input.value.trim() === text) input.value = '';
    draft = { text: '', clientId: '' };
    appendMessage(m);
    scrollToEnd(true);
  } catch (e) {
    toast(e.message);
  } finally {
    renderChat();
    input.focus();
  }
}

// ---------- live updates ----------
function upsertHandoff(hf, type) {
  if (!hf?.id) return;
  const prev = handoffs.get(hf.id);
  const closed = type === 'handoff.closed' || !isOpenState(hf.state);
  if (closed) handoffs.delete(hf.id);
  else {
    handoffs.set(hf.id, hf);
    botChats.delete(hf.conversation_id);
    if (hf.state === 'queued' && prev?.state !== 'queued') announce(hf);
  }
  if (current?.conversationId === hf.conversation_id) {
    current.handoff = closed ? { ...hf, state: 'closed' } : hf;
    renderChat();
  }
  renderLists();
}

function announce(hf) {
  fresh.add(hf.id);
  setTimeout(() => { fresh.delete(hf.id); document.querySelector(`[data-handoff-id="${CSS.escape(hf.id)}"]`)?.classList.remove('fresh'); }, 4000);
  if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification('A visitor is waiting', {
    body: `${contactName(hf)}: ${TRIGGERS[hf.trigger] || hf.trigger || 'needs a human'}`, tag: 'baton-' + hf.id,
  });
  n.onclick = () => { window.focus(); openConversation(hf.conversation_id, hf.id); n.close(); };
}

function onMessage(m) {
  if (!m?.conversation_id) return;
  const id = m.conversation_id;
  if (current?.conversationId === id) appendMessage(m);
  else if (m.author?.kind === 'contact') unread.add(id);
  if (!openHandoffFor(id) && !m.note) {
    const prev = botChats.get(id) || { conversationId: id };
    const name = m.author?.kind === 'contact' && m.author.name ? m.author.name : prev.name;
    botChats.delete(id);
    botChats.set(id, { ...prev, name, text: m.text, at: toMs(m.created_at) || Date.now() });
    while (botChats.size > BOT_CHATS_MAX) botChats.delete(botChats.keys().next().value);
  }
  renderLists();
}

function onReturnedToBot(conversationId) {
  for (const [id, hf] of handoffs) if (hf.conversation_id === conversationId) handoffs.delete(id);
  if (current?.conversationId === conversationId && isOpenState(current.handoff?.state)) {
    current.handoff = { ...current.handoff, state: 'closed' };
    renderChat();
  }
  renderLists();
}

function handleEvent(type, d) {
  switch (type) {
    case 'message.created': onMessage(d); break;
    case 'lead.captured': upsertHandoff(d, type); break;
    case 'conversation.returned_to_bot': onReturnedToBot(d.conversation_id); break;
    case 'feedback.received':
      if (current?.handoff?.id === d.handoff_id) {
        current.handoff = { ...current.handoff, rating: d.rating, comment: d.comment };
        renderChat();
      }
      break;
    case 'resync': // the server dropped frames for this socket: re-read instead
      loadLists().catch(() => {});
      catchUp().catch(() => {});
      break;
    case 'user.status_changed':
      if (me && d.user_id === me.id) { me.status = d.status; renderMe(); }
      break;
    default:
      // Every handoff.* frame (offered, declined, expired, transferred…) carries the whole Handoff.
      if (type.startsWith('handoff.') && d?.id && d.state) upsertHandoff(d, type);
      break; // typing, feedback.requested and future events
  }
}

function connectWs() {
  if (!token || ws) return;
  clearTimeout(wsTimer);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const sock = (ws = new WebSocket(`${proto}//${location.host}/v1/ws?token=${encodeURIComponent(token)}`));
  let opened = false;
  sock.onopen = () => {
    opened = true;
    wsDelay = 1000;
    $('#connection').hidden = true;
    // Events sent while we were disconnected are gone; re-read what they would have changed.
    loadLists().catch(() => {});
    catchUp().catch(() => {});
  };
  sock.onmessage = (e) => {
    let f;
    try { f = JSON.parse(e.data); } catch (_) { return; }
    if (f?.type) handleEvent(f.type, f.data || {});
  };
  sock.onclose = () => {
    if (ws !== sock) return;
    ws = null;
    if (!token) return;
    $('#connection').hidden = false;
    // A socket that never opened may mean the session is gone; /v1/me answers that (401 signs out).
    if (!opened) api('GET', '/v1/me').catch(() => {});
    wsTimer = setTimeout(connectWs, wsDelay * (1 + Math.random() / 2));
    wsDelay = Math.min(wsDelay * 2, 30000);
  };
}

// ---------- wiring ----------
function onListActivate(e) {
  const item = e.target.closest('.handoff-item, .conv-item');
  if (!item) return;
  if (e.type === 'keydown' && (e.target !== item || (e.key !== 'Enter' && e.key !== ' '))) return;
  e.preventDefault();
  const claimBtn = e.target.closest('button.claim');
  if (claimBtn) claim(item.dataset.handoffId);
  else openConversation(item.dataset.conversationId, item.dataset.handoffId);
}

async function boot() {
  $('#login-form').addEventListener('submit', login);
  $('#logout').addEventListener('click', logout);
  $('#status-select').addEventListener('change', changeStatus);
  $('.sidebar').addEventListener('click', onListActivate);
  $('.sidebar').addEventListener('keydown', onListActivate);
  $('#claim-chat').addEventListener('click', () => current?.handoff && claim(current.handoff.id));
  $('#close-chat').addEventListener('click', closeCurrent);
  $('#takeover').addEventListener('click', takeover);
  $('#note-mode').addEventListener('change', renderChat);
  $('#composer').addEventListener('submit', (e) => { e.preventDefault(); send(); });
  $('#chat-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  $('#notify-enable').addEventListener('click', async () => {
    await Notification.requestPermission();
    $('#notify-enable').hidden = Notification.permission === 'default';
  });
  setInterval(refreshTimes, 20000);

  if (!token) return showLogin();
  try {
    me = await api('GET', '/v1/me');
    startApp();
  } catch (e) {
    showLogin(e.status === 401 ? '' : `Could not reach Baton: ${e.message}`);
  }
}

boot();
