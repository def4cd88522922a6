/*
 * Baton inbox: where people pick up the conversations bots hand over.
 * Plain JS on purpose (no build step); the server embeds this file as /assets/inbox.js, after
 * /assets/common.js (the session, `api`, `h`, `toast`).
 * All user-provided text goes through textContent.
 */
'use strict';

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

let me = null;
const handoffs = new Map(); // open handoffs by id
const botChats = new Map(); // conversation id → {conversationId, name, text, at}; bot-owned chats seen since load
const unread = new Set(); // conversation ids with contact messages I have not looked at
const fresh = new Set(); // handoff ids that just entered the queue (brief highlight)
const late = new Map(); // handoff id → sla.breached data: live chats whose first reply is overdue
const lines = new Map(); // handoff id → handoff.queue_updated data (position, eta_seconds)
let directory = null; // {users, teams} from /v1/directory: the transfer and assignment targets
let directoryLoading = false;
let mailEnabled = false; // whether this Baton sends email (its [smtp] names a server)
let socketUpdates = 0; // handoff frames applied from the socket
const socketUpdated = new Map(); // handoff id → socketUpdates when its last frame was applied
let current = null; // the conversation open in the main pane
let ws = null;
let wsTimer = 0;
let wsDelay = 1000;
let draft = { text: '', clientId: '' };

// ---------- small helpers ----------

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

function duration(seconds) {
  if (seconds == null) return '';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const hrs = Math.floor(seconds / 3600);
  const min = Math.round((seconds % 3600) / 60);
  return min ? `${hrs} h ${min} min` : `${hrs} h`;
}

const slaText = (breach) => `No first reply within ${duration(breach.first_response_sla_seconds)}, the team's first-response target`;

function sinceEl(ms, prefix) {
  if (!ms) return null;
  return h('span', { class: 'since', 'data-since': String(ms), 'data-prefix': prefix || '', title: new Date(ms).toLocaleString(), text: (prefix || '') + ago(ms) });
}

const contactName = (hf) => hf?.contact?.name || hf?.lead?.name || 'Visitor';
const contactEmail = (hf) => hf?.contact?.email || hf?.lead?.email || '';
const isMine = (hf) => !!(hf && me && hf.assignee && hf.assignee.id === me.id);
const isAdmin = () => me?.role === 'admin';
const isOpenState = (s) => s && s !== 'closed';
const offeredToMe = (hf) => hf?.state === 'offered' && isMine(hf);
// The server lets a claim take a queued or offline handoff, or accept one offered to me.
const canClaim = (hf) => !!hf && (hf.state === 'queued' || hf.state === 'offline' ||
  (hf.state === 'offered' && (!hf.assignee || isMine(hf))));
// A live chat can be transferred or released by whoever has it, or by an admin.
const canMove = (hf) => hf?.state === 'live' && (isMine(hf) || isAdmin());
const claimLabel = (hf) => (offeredToMe(hf) ? 'Accept' : 'Claim');

// Routing targets as the server writes them: "all", "team:<name or id>", "user:<id or email>".
function targetLabel(t) {
  if (t === 'all') return 'Everyone';
  const [kind, ...rest] = String(t).split(':');
  const name = rest.join(':');
  if (kind === 'team') return 'Team ' + (directory?.teams.find((team) => team.id === name)?.name || name);
  if (kind === 'user') return directory?.users.find((u) => u.id === name)?.name || name;
  return String(t);
}

// What the client-side marks of a handoff (late, place in line) still apply to.
function pruneMarks(hf, closed) {
  const breach = late.get(hf.id);
  if (breach && (closed || hf.state !== 'live' || hf.first_response_at ||
    hf.assignee?.id !== breach.assignee?.id || toMs(hf.assigned_at) !== toMs(breach.assigned_at))) late.delete(hf.id);
  if (closed || (hf.state !== 'queued' && hf.state !== 'offered')) lines.delete(hf.id);
}

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
  me = await signInWithForm();
  if (!me) return;
  // Someone who just signed in to the inbox wants to receive chats.
  try { me = await api('PUT', '/v1/me/status', { status: 'online' }); } catch (_) { /* keep going */ }
  startApp();
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
  late.clear();
  lines.clear();
  socketUpdated.clear();
  directory = null;
  current = null;
  document.title = 'Baton Inbox';
  $('#toast').hidden = true;
  showLogin();
}

async function logout() {
  // Going offline first keeps the router from offering chats to someone who left.
  try { await api('PUT', '/v1/me/status', { status: 'offline' }); } catch (_) { /* signing out anyway */ }
  signOut();
}

function renderMe() {
  $('#me-name').textContent = me.name || me.email;
  $('#admin-link').hidden = me.role !== 'admin';
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
  $('#alerts-form').hidden = true;
  renderMe();
  api('GET', '/v1/me/notifications').then((prefs) => {
    mailEnabled = !!prefs.mail_enabled;
    if (current) renderChat();
  }).catch(() => { /* the alerts form says why when opened */ });
  loadLists().then(() => {
    const m = location.hash.match(/^#c=(.+)$/);
    if (m && !current) openConversation(decodeURIComponent(m[1]));
  }).catch((e) => toast(e.message));
  connectWs();
}

// ---------- lists ----------
async function loadLists() {
  const since = socketUpdates;
  const r = await api('GET', '/v1/handoffs');
  // Frames that arrived while the list was on its way are newer than it: a handoff queued
  // (or closed) meanwhile keeps the socket's word, not the older list's.
  const newer = new Map([...socketUpdated].filter(([, n]) => n > since).map(([id]) => [id, handoffs.get(id)]));
  handoffs.clear();
  for (const hf of r.handoffs || []) if (isOpenState(hf.state)) handoffs.set(hf.id, hf);
  for (const [id, hf] of newer) {
    if (hf && isOpenState(hf.state)) handoffs.set(id, hf);
    else handoffs.delete(id);
  }
  // Places in line as they stand now, so a reload shows them before the next update.
  for (const [id, place] of Object.entries(r.places || {})) lines.set(id, { handoff_id: id, ...place });
  for (const id of botChats.keys()) if (openHandoffFor(id)) botChats.delete(id);
  for (const id of new Set([...late.keys(), ...lines.keys()])) {
    const hf = handoffs.get(id);
    if (hf) pruneMarks(hf, false);
    else { late.delete(id); lines.delete(id); }
  }
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
  const breach = late.get(hf.id);
  const cls = ['handoff-item', active && 'active', unread.has(hf.conversation_id) && 'unread', fresh.has(hf.id) && 'fresh',
    breach && 'late'].filter(Boolean).join(' ');
  const name = contactName(hf);
  const email = contactEmail(hf);
  const waiting = hf.state === 'queued' || hf.state === 'offered';
  const offer = offeredToMe(hf);
  const offeredTo = hf.state === 'offered' && hf.assignee && !offer ? `Offered to ${hf.assignee.name}` : '';
  const line = waiting ? lines.get(hf.id) : null;
  const teams = (hf.targets || []).filter((t) => t === 'all' || String(t).startsWith('team:'));
  const since = toMs(waiting ? hf.requested_at : hf.assigned_at || hf.requested_at);
  // The default priority is noise in a list; the header still shows it.
  const prio = hf.priority != null && !['', 'normal', 'medium'].includes(String(hf.priority).toLowerCase()) ? String(hf.priority) : '';
  const el = h('div', {
    class: cls, 'data-handoff-id': hf.id, 'data-conversation-id': hf.conversation_id, 'data-state': hf.state,
    tabindex: '0', 'aria-current': active ? 'true' : null,
  },
  h('div', { class: 'item-top' },
    h('span', { class: 'item-name', text: name }),
    sinceEl(since, waiting ? 'waiting ' : '')),
  email ? h('div', { class: 'item-email', text: email }) : null,
  h('div', { class: 'item-trigger', text: TRIGGERS[hf.trigger] || hf.trigger || '' }),
  context(hf) ? h('div', { class: 'item-reason', text: context(hf) }) : null,
  h('div', { class: 'item-tags' },
    h('span', { class: 'tag state-' + hf.state, text: offer ? 'Offered to you' : STATES[hf.state] || hf.state }),
    breach ? h('span', { class: 'tag late', text: 'Late', title: slaText(breach) }) : null,
    prio ? h('span', { class: 'tag prio prio-' + prio.toLowerCase(), text: 'Priority ' + prio }) : null,
    hf.language ? h('span', { class: 'tag', text: hf.language }) : null,
    ...teams.map((t) => h('span', { class: 'tag', text: targetLabel(t) })),
    line?.position ? h('span', { class: 'tag', text: `#${line.position} in line`, title: line.eta_seconds ? `About ${duration(line.eta_seconds)} to wait` : null }) : null,
    waiting && me && (hf.declined_by || []).includes(me.id) ? h('span', { class: 'tag', text: 'You declined' }) : null,
    offeredTo ? h('span', { class: 'tag', text: offeredTo })
      : hf.assignee && !isMine(hf) ? h('span', { class: 'tag', text: hf.assignee.name || 'Assigned' }) : null,
    waiting && canClaim(hf) ? h('button', { type: 'button', class: 'claim btn primary small', text: claimLabel(hf), 'aria-label': `${claimLabel(hf)} chat with ${name}` }) : null,
    offer ? h('button', { type: 'button', class: 'decline btn small', text: 'Decline', 'aria-label': `Decline chat with ${name}` }) : null));
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
// `readOnly`: opened from the history, so without an open handoff there is nothing to answer.
async function openConversation(conversationId, handoffId, { readOnly = false } = {}) {
  const hf = (handoffId && handoffs.get(handoffId)) || openHandoffFor(conversationId);
  current = { conversationId, handoff: hf, seqs: new Set(), lastSeq: 0, readOnly, episodes: null };
  unread.delete(conversationId);
  history.replaceState(null, '', '#c=' + encodeURIComponent(conversationId));
  draft = { text: '', clientId: '' };
  $('#chat-input').value = '';
  $('#messages').replaceChildren(h('div', { class: 'list-empty placeholder', text: 'Loading…' }));
  renderChat();
  renderLists();
  document.dispatchEvent(new CustomEvent('baton-chat-opened', { detail: { conversationId } }));
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

// One line of plain context for a list item: the topic and a mood worth knowing; the engine's
// own reasoning is in the conversation's "Why Baton handed this over".
function context(hf) {
  const parts = [];
  if (hf.topic) parts.push(`About ${hf.topic.replace(/_/g, ' ')}`);
  if (hf.frustration != null && hf.frustration >= 0.5) parts.push(mood(hf.frustration).replace(/ \(.*\)$/, ''));
  return parts.join(' · ');
}

// The same words the handoff summary uses for the same figure.
function mood(score) {
  const word = score >= 0.8 ? 'very frustrated' : score >= 0.5 ? 'frustrated' : score >= 0.25 ? 'annoyed' : 'calm';
  return `${word} (${score.toFixed(2)})`;
}

// What the trigger engine saw, for whoever wants to know why: closed unless opened.
function evidence(hf) {
  const details = h('details', { class: 'evidence' }, h('summary', { text: 'Why Baton handed this over' }));
  const list = h('ul');
  if (hf.reason) list.append(h('li', { text: hf.reason }));
  for (const s of hf.signals || []) {
    const weight = s.weight != null ? ` (${Number(s.weight).toFixed(2)})` : '';
    list.append(h('li', { text: `${s.name.replace(/_/g, ' ')}${s.detail ? ': ' + s.detail : ''}${weight}` }));
  }
  details.append(list);
  return details;
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
  const readOnly = !!current.readOnly && !open;
  const name = hf ? contactName(hf) : current.name || 'Visitor';

  $('#chat-contact').textContent = name;
  $('#chat-contact-email').textContent = hf ? contactEmail(hf) : '';

  const dl = $('#chat-meta');
  dl.replaceChildren();
  metaRow(dl, 'State', h('span', { class: 'tag state-' + (st || 'bot'), text: st ? STATES[st] || st : (hf ? 'Closed · with the bot' : 'With the bot') }));
  if (hf) {
    metaRow(dl, 'Why', TRIGGERS[hf.trigger] || hf.trigger);
    if (hf.frustration != null) metaRow(dl, 'Mood', mood(hf.frustration));
    metaRow(dl, 'Language', hf.language);
    metaRow(dl, 'Priority', hf.priority != null ? String(hf.priority) : '');
    metaRow(dl, 'Assignee', hf.assignee ? (isMine(hf) ? 'You' : hf.assignee.name) : '');
    const breach = late.get(hf.id);
    if (breach) metaRow(dl, 'First reply', h('span', { class: 'tag late', text: 'Late', title: slaText(breach) }));
    if (hf.targets?.length) metaRow(dl, 'Routed to', hf.targets.map(targetLabel).join(', ') + (hf.widened ? ' (widened)' : ''));
    const declined = hf.declined_by || [];
    if (declined.length && (st === 'queued' || st === 'offered')) {
      const byMe = me && declined.includes(me.id);
      const others = declined.length - (byMe ? 1 : 0);
      metaRow(dl, 'Declined by', [byMe && 'you', others && `${others} ${others === 1 ? 'other' : 'others'}`].filter(Boolean).join(' and '));
    }
    const req = toMs(hf.requested_at);
    if (req) metaRow(dl, 'Requested', sinceEl(req, ''));
    if (hf.topic) metaRow(dl, 'Topic', hf.topic);
    for (const [key, value] of Object.entries(hf.gathered || {})) metaRow(dl, key.replace(/_/g, ' '), value);
    if (hf.rating != null) metaRow(dl, 'Rating', `${'★'.repeat(hf.rating)}${'☆'.repeat(Math.max(0, 5 - hf.rating))}${hf.comment ? ' — ' + hf.comment : ''}`);
  }

  const lead = $('#chat-lead');
  lead.replaceChildren();
  lead.hidden = !(hf?.lead || hf?.summary || hf?.reason);
  if (hf?.summary) lead.append(h('p', { class: 'summary', text: hf.summary }));
  if (hf) lead.append(evidence(hf));
  if (hf?.lead) {
    const l = hf.lead;
    const mail = h('a', { text: l.email });
    mail.href = 'mailto:' + l.email; // always a mailto: URL, so user input cannot become a script link
    lead.append(h('strong', { text: 'Left their details: ' }), mail);
    if (l.name) lead.append(h('span', { text: ' · ' + l.name }));
    if (l.message) lead.append(h('p', { text: l.message }));
  }

  const offer = open && offeredToMe(hf);
  const movable = open && canMove(hf);
  $('#claim-chat').hidden = !(open && canClaim(hf));
  $('#claim-chat').textContent = claimLabel(hf);
  $('#decline-chat').hidden = !offer;
  $('#takeover').hidden = !botOwned || readOnly;
  $('#close-chat').hidden = readOnly;
  $('#composer').hidden = readOnly;
  $('#history-note').hidden = !readOnly;
  $('#transfer-chat').hidden = !movable;
  $('#release-chat').hidden = !movable;
  renderAssign(open ? hf : null);
  $('#close-chat').disabled = !(mineLive || st === 'offline' || st === 'ticket');
  if (!movable) current.transferOpen = false;
  $('#transfer-form').hidden = !current.transferOpen;
  $('#transfer-chat').setAttribute('aria-expanded', String(!!current.transferOpen));

  const note = $('#note-mode').checked;
  const canSend = mineLive || note;
  $('#chat-input').disabled = !canSend;
  $('#chat-send').disabled = !canSend;
  $('#chat-input').placeholder = note ? 'Internal note — only your team sees it' : 'Write a reply… (/ for saved replies)';
  $('#composer').classList.toggle('note', note);
  const hint = $('#composer-hint');
  let text = '';
  if (!mineLive && !note) {
    if (offer) text = 'This chat is offered to you: accept it to reply, or decline to pass it on.';
    else if (st === 'queued' || (st === 'offered' && canClaim(hf))) text = 'Claim this chat to reply.';
    else if (st === 'offered') text = `This chat is being offered to ${hf.assignee?.name || 'someone else'}.`;
    else if (st === 'live') text = `${hf.assignee?.name || 'Someone else'} is handling this chat.`;
    else if (st === 'ticket') {
      text = mailEnabled
        ? 'The visitor left their details: claim the ticket to reply. While they are not in the chat, your replies are emailed to them.'
        : 'The visitor left their details: reply by email, then close the ticket.';
    }
    else if (st === 'offline') text = 'This chat arrived while nobody was online. Claim it to reply while the visitor is here.';
    else if (st === 'gathering') text = 'The bot is collecting details before this joins the queue.';
    else text = 'The bot is handling this conversation. Take over to reply.';
    text += ' Tick Note to leave an internal note.';
  } else if (mineLive && !note && hf?.lead && mailEnabled) {
    text = `While ${contactName(hf)} is not in the chat, your replies are emailed to ${hf.lead.email}.`;
  }
  hint.textContent = text;
  hint.hidden = !text;
  document.dispatchEvent(new CustomEvent('baton-chat-rendered'));
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
    m.template ? h('span', { class: 'msg-template', text: `WhatsApp template ${m.template.name}` }) : null,
    at ? h('time', { datetime: new Date(at).toISOString(), title: new Date(at).toLocaleString(), text: new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }) : null),
  m.attachment ? attachmentEl(m) : h('div', { class: 'msg-text', text: m.text }));
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
// POSTs an action that answers with the Handoff, and shows that answer unless the socket brought
// newer news of it meanwhile: the server routes right after answering (a declined offer goes
// to the next user), so the answer can arrive after the frames that follow it.
async function act(path, { body, type } = {}) {
  const since = socketUpdates;
  const hf = await api('POST', path, body);
  if (!((socketUpdated.get(hf?.id) ?? -1) > since)) upsertHandoff(hf, type);
  return hf;
}

async function claim(handoffId) {
  try {
    const hf = await act(`/v1/handoffs/${encodeURIComponent(handoffId)}/claim`);
    await openConversation(hf.conversation_id, hf.id);
    document.dispatchEvent(new CustomEvent('baton-claimed', { detail: { conversationId: hf.conversation_id } }));
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
    await act(`/v1/handoffs/${encodeURIComponent(hf.id)}/close`, { type: 'handoff.closed' });
  } catch (e) {
    toast(e.message);
    renderChat();
  }
}

async function takeover() {
  if (!current) return;
  $('#takeover').disabled = true;
  try {
    await act(`/v1/conversations/${encodeURIComponent(current.conversationId)}/takeover`);
  } catch (e) {
    toast(e.message);
  } finally {
    $('#takeover').disabled = false;
  }
}

async function decline(handoffId) {
  const hf = handoffs.get(handoffId);
  try {
    await act(`/v1/handoffs/${encodeURIComponent(handoffId)}/decline`);
    toast(`You declined the chat with ${contactName(hf)}.`);
  } catch (e) {
    toast(e.status === 409 ? 'This chat is no longer offered to you' : e.message);
    if (e.status === 409) loadLists().catch(() => {});
  }
  // The buttons that had focus are gone; keep keyboard users in the conversation.
  if (current?.handoff?.id === handoffId && document.activeElement === document.body) $('#chat-contact').focus();
}

async function releaseCurrent() {
  if (!current) return;
  const btn = $('#release-chat');
  btn.disabled = true;
  try {
    const hf = await act(`/v1/conversations/${encodeURIComponent(current.conversationId)}/release`, { type: 'handoff.closed' });
    toast(`The bot has the conversation with ${contactName(hf)} again.`);
    $('#chat-contact').focus();
  } catch (e) {
    toast(e.message);
  } finally {
    btn.disabled = false;
  }
}

// ---------- transfer ----------
// Everyone picks from the directory (people with presence and load, teams); typing the target
// remains for when it cannot be read.
function toggleTransfer() {
  if (!current) return;
  if (current.transferOpen) return closeTransfer();
  current.transferOpen = true;
  $('#transfer-error').hidden = true;
  $('#transfer-to').value = '';
  $('#transfer-to').removeAttribute('aria-invalid');
  $('#transfer-pick').removeAttribute('aria-invalid');
  $('#transfer-note').value = '';
  showTransferPicker(true);
  if (directory) fillTransferPicker(current.handoff);
  else $('#transfer-pick').replaceChildren(h('option', { value: '', text: 'Loading people and teams…' }));
  loadDirectory(); // refreshed each time: presence and load change
  renderChat();
  transferField().focus();
}

function closeTransfer() {
  if (!current?.transferOpen) return;
  current.transferOpen = false;
  renderChat();
  focusChatActions();
}

// ---------- email alerts ----------
async function toggleAlerts() {
  const form = $('#alerts-form');
  if (!form.hidden) return closeAlerts();
  $('#alerts-error').hidden = true;
  for (const id of ['#alerts-after', '#alerts-language']) $(id).removeAttribute('aria-invalid');
  try {
    const prefs = await api('GET', '/v1/me/notifications');
    mailEnabled = !!prefs.mail_enabled;
    $('#alerts-off').hidden = mailEnabled;
    $('#alerts-email').checked = prefs.email;
    $('#alerts-after').value = String(prefs.email_after_seconds / 60);
    $('#alerts-language').value = prefs.language || '';
  } catch (e) {
    return toast(`Could not read your email alerts: ${e.message}`);
  }
  form.hidden = false;
  $('#alerts-toggle').setAttribute('aria-expanded', 'true');
  $('#alerts-email').focus();
}

function closeAlerts() {
  $('#alerts-form').hidden = true;
  $('#alerts-toggle').setAttribute('aria-expanded', 'false');
  $('#alerts-toggle').focus();
}

async function saveAlerts(e) {
  e.preventDefault();
  const err = $('#alerts-error');
  const after = $('#alerts-after');
  const minutes = Number(after.value);
  for (const id of ['#alerts-after', '#alerts-language']) $(id).removeAttribute('aria-invalid');
  if (after.value === '' || !Number.isFinite(minutes) || minutes < 0 || minutes > 1440) {
    after.setAttribute('aria-invalid', 'true');
    err.textContent = 'Give a number of minutes between 0 and 1440 (a day).';
    err.hidden = false;
    return after.focus();
  }
  const body = {
    email: $('#alerts-email').checked,
    email_after_seconds: Math.round(minutes * 60),
    language: $('#alerts-language').value || null,
  };
  try {
    const saved = await api('PUT', '/v1/me/notifications', body);
    mailEnabled = !!saved.mail_enabled;
    closeAlerts();
    toast(saved.email ? 'Email alerts saved.' : 'Email alerts turned off.');
    if (current) renderChat();
  } catch (ex) {
    const field = /language/.test(ex.message) ? '#alerts-language' : '#alerts-after';
    $(field).setAttribute('aria-invalid', 'true');
    err.textContent = ex.message;
    err.hidden = false;
  }
}

// Back to the Transfer button, or to the conversation's heading once the chat is no longer ours to move.
function focusChatActions() {
  const back = $('#transfer-chat');
  (back.hidden ? $('#chat-contact') : back).focus();
}

function showTransferPicker(pick) {
  $('#transfer-pick-field').hidden = !pick;
  $('#transfer-to-field').hidden = pick;
}

const transferField = () => ($('#transfer-pick-field').hidden ? $('#transfer-to') : $('#transfer-pick'));

async function loadDirectory() {
  const conversationId = current?.conversationId;
  directoryLoading = true;
  try {
    directory = { ...(await api('GET', '/v1/directory')), loadedAt: Date.now() };
  } catch (_) {
    directory = null; // typing the target works without the lists
  }
  directoryLoading = false;
  if (directory && current?.conversationId === conversationId) renderAssign(current.handoff);
  if (!current?.transferOpen || current.conversationId !== conversationId) return;
  const hadFocus = document.activeElement === transferField();
  if (directory) fillTransferPicker(current.handoff);
  showTransferPicker(!!directory);
  if (hadFocus) transferField().focus();
}

function fillTransferPicker(hf) {
  const sel = $('#transfer-pick');
  const wanted = sel.value;
  const users = directory.users.filter((u) => u.id !== hf?.assignee?.id); // online first, from the server
  sel.replaceChildren(
    h('option', { value: '', text: 'Choose a person or a team…' }),
    users.length ? h('optgroup', { label: 'People' }, ...users.map((u) =>
      h('option', { value: 'user:' + u.id, text: personLabel(u) }))) : null,
    directory.teams.length ? h('optgroup', { label: 'Teams' }, ...directory.teams.map((t) =>
      h('option', { value: 'team:' + t.id, text: `Team ${t.name} · ${t.online} of ${t.members} online` }))) : null);
  sel.value = wanted;
  if (sel.value !== wanted) sel.value = '';
}

// "Bea · online · 2 of 5 live chats · Support"
function personLabel(u) {
  const where = u.teams.length ? ` · ${u.teams.join(', ')}` : '';
  return `${u.name} · ${u.status}${u.connected ? '' : u.status === 'online' ? ' (inbox closed)' : ''} · ${u.live} of ${u.capacity} live chats${where}`;
}

// ---------- assign (admins) ----------
// A waiting handoff (queued, offered, offline, a ticket) can be given to anyone.
const assignable = (hf) => isAdmin() && ['queued', 'offered', 'offline', 'ticket'].includes(hf?.state);

function renderAssign(hf) {
  const show = assignable(hf);
  $('#assign-field').hidden = !show;
  if (!show) return;
  // Presence and load change: a list older than a quarter minute is read again.
  const stale = !directory || Date.now() - directory.loadedAt > 15_000;
  if (stale && !directoryLoading) loadDirectory();
  if (!directory) {
    $('#assign-pick').replaceChildren(h('option', { value: '', text: 'Loading people…' }));
    return;
  }
  const sel = $('#assign-pick');
  const wanted = sel.value;
  sel.replaceChildren(h('option', { value: '', text: 'Assign to…' }),
    ...directory.users.map((u) => h('option', { value: u.id, text: personLabel(u) })));
  sel.value = wanted;
}

async function assignCurrent() {
  const hf = current?.handoff;
  const user = $('#assign-pick').value;
  if (!hf || !user) return $('#assign-pick').focus();
  $('#assign-submit').disabled = true;
  try {
    const assigned = await api('POST', `/v1/handoffs/${encodeURIComponent(hf.id)}/assign`, { user_id: user });
    upsertHandoff(assigned, 'handoff.assigned');
    toast(`Assigned to ${assigned.assignee?.name || 'them'}.`);
    directory = null; // loads change
  } catch (ex) {
    toast(ex.message);
  } finally {
    $('#assign-submit').disabled = false;
  }
}

async function submitTransfer(e) {
  e.preventDefault();
  const view = current;
  const hf = view?.handoff;
  if (!hf || !view.transferOpen) return;
  const field = transferField();
  const to = field.value.trim();
  const note = $('#transfer-note').value.trim();
  const err = $('#transfer-error');
  const fail = (message) => {
    err.textContent = message;
    err.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  };
  if (!to) return fail(field.tagName === 'SELECT' ? 'Choose whom to transfer the chat to.' : 'Write user:email or team:name.');
  err.hidden = true;
  field.removeAttribute('aria-invalid');
  $('#transfer-submit').disabled = true;
  try {
    const moved = await act(`/v1/handoffs/${encodeURIComponent(hf.id)}/transfer`, { body: note ? { to, note } : { to } });
    view.transferOpen = false;
    if (current === view) { renderChat(); focusChatActions(); }
    toast(moved.state === 'live' && moved.assignee ? `Transferred to ${moved.assignee.name}.` : `Transferred to ${targetLabel(to)}.`);
  } catch (ex) {
    if (current === view) fail(ex.message); // the server's problem detail, e.g. "to: no such user"
    else toast(ex.message);
  } finally {
    $('#transfer-submit').disabled = false;
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
  pruneMarks(hf, closed);
  if (closed) handoffs.delete(hf.id);
  else {
    handoffs.set(hf.id, hf);
    botChats.delete(hf.conversation_id);
    if (hf.state === 'queued' && prev?.state !== 'queued') announce(hf, 'A visitor is waiting', false, 'waiting');
    else if (offeredToMe(hf) && !offeredToMe(prev)) announce(hf, 'A chat is offered to you', true, 'offered');
    else if (type === 'handoff.transferred' && hf.state === 'live' && isMine(hf) && !isMine(prev)) {
      announce(hf, 'A chat was transferred to you', true, 'transferred');
    }
  }
  if (current?.conversationId === hf.conversation_id) {
    current.handoff = closed ? { ...hf, state: 'closed' } : hf;
    renderChat();
  }
  renderLists();
}

function fromSocket(hf, type) {
  socketUpdated.set(hf.id, ++socketUpdates);
  upsertHandoff(hf, type);
}

// Highlights the item; `say` also puts it in the live region; inbox-alerts.js chimes and
// pops up a notification as the user chose for this `kind` of news.
function announce(hf, title, say, kind) {
  fresh.add(hf.id);
  setTimeout(() => { fresh.delete(hf.id); document.querySelector(`[data-handoff-id="${CSS.escape(hf.id)}"]`)?.classList.remove('fresh'); }, 4000);
  if (say) toast(`${title}: ${contactName(hf)}`);
  document.dispatchEvent(new CustomEvent('baton-alert', { detail: { kind, title, hf } }));
}

function onMessage(m) {
  if (!m?.conversation_id) return;
  const id = m.conversation_id;
  if (current?.conversationId === id) {
    appendMessage(m);
    document.dispatchEvent(new CustomEvent('baton-live-message', { detail: m }));
  }
  else if (m.author?.kind === 'contact') unread.add(id);
  const mine = openHandoffFor(id);
  if (m.author?.kind === 'contact' && isMine(mine) && mine.state === 'live') {
    const title = `${m.author.name || contactName(mine)} wrote`;
    document.dispatchEvent(new CustomEvent('baton-alert', { detail: { kind: 'message', title, hf: mine, message: m } }));
  }
  if (m.author?.kind === 'user' && !m.note) answered(id);
  if (!openHandoffFor(id) && !m.note) {
    const prev = botChats.get(id) || { conversationId: id };
    const name = m.author?.kind === 'contact' && m.author.name ? m.author.name : prev.name;
    botChats.delete(id);
    botChats.set(id, { ...prev, name, text: m.text, at: toMs(m.created_at) || Date.now() });
    while (botChats.size > BOT_CHATS_MAX) botChats.delete(botChats.keys().next().value);
  }
  renderLists();
}

// A team member replied: the first-response target of its handoff is met.
function answered(conversationId) {
  const hf = openHandoffFor(conversationId);
  if (hf && late.delete(hf.id)) {
    if (current?.conversationId === conversationId) renderChat();
    renderLists();
  }
}

function onSlaBreached(d) {
  const hf = handoffs.get(d.handoff_id);
  if (hf && (hf.state !== 'live' || hf.first_response_at)) return; // answered meanwhile
  late.set(d.handoff_id, d);
  if (hf && (isMine(hf) || isAdmin())) {
    const whose = isMine(hf) ? 'your' : `${hf.assignee?.name || 'someone'}'s`;
    toast(`Late: ${whose} chat with ${contactName(hf)} has had no reply for ${duration(d.first_response_sla_seconds)}.`);
  }
  if (current?.handoff?.id === d.handoff_id) renderChat();
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
    case 'lead.captured': fromSocket(d, type); break;
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
    case 'sla.breached': onSlaBreached(d); break;
    case 'handoff.queue_updated':
      lines.set(d.handoff_id, d);
      renderLists();
      break;
    case 'user.status_changed':
      if (me && d.user_id === me.id) { me.status = d.status; renderMe(); }
      break;
    case 'handoff.first_reply_overdue': {
      const hf = handoffs.get(d.handoff_id);
      if (me && d.assignee?.id === me.id && hf && !hf.first_response_at) {
        toast(`Reminder: ${contactName(hf)} is waiting for your first reply (${duration(d.first_reply_seconds)} since you took the chat).`);
      }
      break;
    }
    case 'handoff.unanswered': { // sent to admins only
      const hf = handoffs.get(d.handoff_id);
      const who = d.assignee ? `${d.assignee.name}'s chat with ` : 'the chat with ';
      toast(`Unanswered: ${who}${hf ? contactName(hf) : 'a contact'} has waited ${duration(d.unanswered_alert_seconds)} for a reply.`);
      break;
    }
    case 'handoff.reclaimed':
      fromSocket(d, type);
      if (me && d.declined_by?.includes(me.id)) toast(`The chat with ${contactName(d)} went back to the queue: it had no reply from you.`);
      break;
    case 'webhook.failing': // sent to admins only
      toast(`Webhook failing: ${d.url} did not accept a ${d.event_type} event after ${d.attempts} tries (${d.error}).`);
      break;
    case 'typing': // shown by inbox-typing.js
      document.dispatchEvent(new CustomEvent('baton-typing', { detail: d }));
      break;
    default:
      // Every other handoff.* frame (offered, declined, expired, transferred…) carries the whole Handoff.
      if (type.startsWith('handoff.') && d?.id && d.state) fromSocket(d, type);
      break; // feedback.requested and future events
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
  sock.onclose = (event) => {
    if (ws !== sock) return;
    ws = null;
    if (!token) return;
    $('#connection').hidden = false;
    // The session ended (logout elsewhere, expiry, an admin's change), or a socket that never
    // opened may mean so: /v1/me answers that, and its 401 signs out.
    if (!opened || event.code === 4401) api('GET', '/v1/me').catch(() => {});
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
  if (e.target.closest('button.claim')) claim(item.dataset.handoffId);
  else if (e.target.closest('button.decline')) decline(item.dataset.handoffId);
  else openConversation(item.dataset.conversationId, item.dataset.handoffId);
}

async function boot() {
  $('#login-form').addEventListener('submit', login);
  $('#logout').addEventListener('click', logout);
  $('#status-select').addEventListener('change', changeStatus);
  $('.sidebar').addEventListener('click', onListActivate);
  $('.sidebar').addEventListener('keydown', onListActivate);
  $('#claim-chat').addEventListener('click', () => current?.handoff && claim(current.handoff.id));
  $('#decline-chat').addEventListener('click', () => current?.handoff && decline(current.handoff.id));
  $('#close-chat').addEventListener('click', closeCurrent);
  $('#release-chat').addEventListener('click', releaseCurrent);
  $('#transfer-chat').addEventListener('click', toggleTransfer);
  $('#assign-submit').addEventListener('click', assignCurrent);
  $('#transfer-cancel').addEventListener('click', closeTransfer);
  $('#transfer-form').addEventListener('submit', submitTransfer);
  $('#transfer-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeTransfer(); } });
  $('#takeover').addEventListener('click', takeover);
  $('#note-mode').addEventListener('change', renderChat);
  $('#composer').addEventListener('submit', (e) => { e.preventDefault(); send(); });
  $('#chat-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  $('#alerts-toggle').addEventListener('click', toggleAlerts);
  $('#alerts-cancel').addEventListener('click', closeAlerts);
  $('#alerts-form').addEventListener('submit', saveAlerts);
  $('#alerts-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeAlerts(); } });
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
