/*
 * History and search: every conversation the user may see, closed ones too, searched by words
 * (the database's full-text index), ids and filters through GET /v1/conversations, a page at a
 * time. A result without an open handoff opens read-only. Whatever conversation is open, its
 * handoff episodes (GET /v1/conversations/{id}/handoffs) are listed in its header, oldest
 * first. Loaded after inbox.js, which announces an opened chat as `baton-chat-opened` and a
 * rendered one as `baton-chat-rendered`.
 */
'use strict';

const HISTORY_FILTERS = ['state', 'team', 'user', 'trigger', 'priority', 'rating', 'from', 'to'];
const PAGE_SIZE = 25;
const found = { generation: 0, cursor: null, words: [], loading: false, shown: 0 };
let searchTimer = 0;

// ---------- the two tabs ----------
function showTab(history) {
  $('#tab-inbox').setAttribute('aria-selected', String(!history));
  $('#tab-history').setAttribute('aria-selected', String(history));
  $('#inbox-lists').hidden = history;
  $('#history-panel').hidden = !history;
  if (history) {
    fillHistoryPickers();
    if (!found.shown && !found.loading) search();
  }
}

function showHistory() {
  showTab(true);
  $('#history-query').focus();
  return true;
}

// ---------- the search ----------
function filterValues() {
  const values = {};
  for (const name of HISTORY_FILTERS) {
    const value = $(`#history-${name}`).value.trim();
    if (value) values[name] = value;
  }
  return values;
}

function searchPath(cursor) {
  const params = new URLSearchParams({ ...filterValues(), limit: String(PAGE_SIZE) });
  const query = $('#history-query').value.trim();
  if (query) params.set('query', query);
  if (cursor) params.set('cursor', cursor);
  return '/v1/conversations?' + params;
}

// A new search (`more` false) replaces the results; "Load more" adds the next page. An answer
// to a search that has since been replaced is dropped.
async function search(more = false) {
  clearTimeout(searchTimer);
  if (more && !found.cursor) return;
  const generation = more ? found.generation : ++found.generation;
  const count = Object.keys(filterValues()).length;
  $('#history-filter-count').textContent = count ? String(count) : '';
  if (!more) {
    delete $('#history-results').dataset.search;
    found.words = searchWords($('#history-query').value);
    found.shown = 0;
    $('#history-results').replaceChildren();
  }
  found.loading = true;
  $('#history-more').disabled = true;
  $('#history-status').textContent = 'Searching…';
  try {
    const page = await api('GET', searchPath(more ? found.cursor : null));
    if (generation !== found.generation) return;
    found.cursor = page.next_cursor || null;
    found.shown += page.conversations.length;
    $('#history-results').append(...page.conversations.map(historyItem));
    $('#history-status').textContent = found.shown ? '' : 'No conversation matches.';
    // What the list shows answers: the words and filters it was searched with.
    $('#history-results').dataset.search = searchPath(null);
  } catch (e) {
    if (generation !== found.generation) return;
    found.cursor = null;
    $('#history-status').textContent = e.message;
  } finally {
    if (generation === found.generation) {
      found.loading = false;
      $('#history-more').hidden = !found.cursor;
      $('#history-more').disabled = false;
    }
  }
}

function searchSoon() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search(), 300);
}

// The words as the server matches them: letters and digits, each one a prefix.
function searchWords(query) {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).slice(0, 8);
}

// ---------- a result ----------
function shortDate(ms) {
  const d = new Date(ms);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const sameYear = d.getFullYear() === now.getFullYear();
  return d.toLocaleDateString([], { day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' });
}

const stars = (n) => '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n));

// The excerpt with the searched words marked, built from text nodes only.
function marked(text, words) {
  const el = h('div', { class: 'item-excerpt' });
  if (!words.length) { el.textContent = text; return el; }
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // The whole word a searched prefix starts, as the index matched it.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])((?:${escaped.join('|')})[\\p{L}\\p{N}]*)`, 'giu');
  // Two lines show: start a little before the first match so it is among them.
  const first = text.search(pattern);
  if (first > 40) {
    const cut = text.lastIndexOf(' ', first - 20);
    text = '…' + text.slice(cut > 0 ? cut + 1 : first);
  }
  text.split(pattern).forEach((part, i) => el.append(i % 2 ? h('mark', { text: part }) : part));
  return el;
}

function historyItem(c) {
  const last = c.handoffs[c.handoffs.length - 1];
  const rated = [...c.handoffs].reverse().find((hf) => hf.rating != null);
  const state = c.state === 'bot' ? (last ? 'closed' : 'bot') : c.state;
  const name = c.contact?.name || 'Visitor';
  const at = toMs(c.last_message_at);
  const active = current?.conversationId === c.id;
  return h('div', {
    class: ['history-item', active && 'active'].filter(Boolean).join(' '), tabindex: '0',
    'data-conversation-id': c.id, 'data-state': state, 'aria-current': active ? 'true' : null,
  },
  h('div', { class: 'item-top' },
    h('span', { class: 'item-name', text: name }),
    at ? h('time', { class: 'since', datetime: new Date(at).toISOString(), title: new Date(at).toLocaleString(), text: shortDate(at) }) : null),
  c.contact?.email ? h('div', { class: 'item-email', text: c.contact.email }) : null,
  c.excerpt ? marked(c.excerpt, found.words) : null,
  h('div', { class: 'item-tags' },
    h('span', { class: 'tag state-' + state, text: state === 'bot' ? 'With the bot' : STATES[state] || state }),
    last ? h('span', { class: 'tag', text: TRIGGERS[last.trigger] || last.trigger }) : null,
    c.handoffs.length > 1 ? h('span', { class: 'tag', text: `${c.handoffs.length} handoffs` }) : null,
    last?.assignee ? h('span', { class: 'tag', text: isMine(last) ? 'You' : last.assignee.name }) : null,
    rated ? h('span', { class: 'tag rating', text: stars(rated.rating), title: `Rated ${rated.rating} of 5` }) : null));
}

function openResult(e) {
  const item = e.target.closest('.history-item');
  if (!item) return;
  if (e.type === 'keydown' && (e.key !== 'Enter' && e.key !== ' ')) return;
  e.preventDefault();
  for (const el of document.querySelectorAll('.history-item.active')) {
    el.classList.remove('active');
    el.removeAttribute('aria-current');
  }
  item.classList.add('active');
  item.setAttribute('aria-current', 'true');
  const open = item.dataset.state !== 'bot' && item.dataset.state !== 'closed';
  openConversation(item.dataset.conversationId, null, { readOnly: !open });
  if (window.matchMedia('(max-width: 760px)').matches) $('#chat').scrollIntoView();
}

// ---------- the pickers ----------
async function fillHistoryPickers() {
  const trigger = $('#history-trigger');
  if (trigger.options.length === 1) {
    trigger.append(...Object.entries(TRIGGERS).map(([value, text]) => h('option', { value, text })));
  }
  if (!directory && !directoryLoading) await loadDirectory();
  if (!directory) return;
  fillPicker($('#history-team'), directory.teams.map((t) => [t.id, t.name]));
  fillPicker($('#history-user'), directory.users.map((u) => [u.id, u.id === me?.id ? `${u.name} (you)` : u.name]));
}

function fillPicker(select, options) {
  const wanted = select.value;
  select.replaceChildren(select.options[0], ...options.map(([value, text]) => h('option', { value, text })));
  select.value = wanted;
}

function clearFilters() {
  for (const name of HISTORY_FILTERS) $(`#history-${name}`).value = '';
  search();
}

// ---------- episodes of the open conversation ----------
async function loadEpisodes(conversationId) {
  try {
    const r = await api('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/handoffs`);
    if (current?.conversationId !== conversationId) return;
    current.episodes = r.handoffs;
    // A conversation without an open handoff shows its latest one: who had it, the rating.
    if (!current.handoff && r.handoffs.length) current.handoff = { ...r.handoffs[r.handoffs.length - 1] };
    renderChat();
  } catch (_) {
    // The transcript still shows; the episodes are extra.
  }
}

// The episodes as loaded, with the open chat's handoff as the socket last told it.
function episodesNow() {
  const list = [...(current?.episodes || [])];
  const hf = current?.handoff;
  if (hf?.id) {
    const at = list.findIndex((e) => e.id === hf.id);
    if (at >= 0) list[at] = { ...list[at], ...hf, state: hf.state === 'closed' ? list[at].state : hf.state };
    else if (current.episodes) list.push(hf);
  }
  return list;
}

function episodeLine(e, index) {
  const from = toMs(e.requested_at);
  const to = toMs(e.closed_at);
  const when = from ? `${new Date(from).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}${to ? ' – ' + new Date(to).toLocaleTimeString([], { timeStyle: 'short' }) : ''}` : '';
  const who = e.assignee ? (isMine(e) ? 'you' : e.assignee.name) : '';
  const state = isOpenState(e.state) ? STATES[e.state] || e.state : 'Closed';
  const item = h('li', { class: 'episode', 'data-handoff-id': e.id },
    h('button', { type: 'button', class: 'episode-jump', title: 'Show in the transcript', 'data-at': from ? String(from) : null },
      h('strong', { text: `${index + 1}. ${TRIGGERS[e.trigger] || e.trigger}` }),
      h('span', { class: 'muted', text: [when, who && `with ${who}`, state].filter(Boolean).join(' · ') })),
    e.rating != null ? h('span', { class: 'tag rating', text: stars(e.rating), title: `Rated ${e.rating} of 5` }) : null,
    e.comment ? h('q', { class: 'episode-comment', text: e.comment }) : null);
  return item;
}

function renderEpisodes() {
  const box = $('#chat-episodes');
  const list = current ? episodesNow() : [];
  box.hidden = !list.length || (list.length === 1 && !current.readOnly);
  if (box.hidden) return;
  $('#chat-episodes-title').textContent = list.length === 1 ? 'Handed over once' : `Handed over ${list.length} times`;
  $('#chat-episodes-list').replaceChildren(...list.map(episodeLine));
  if (current.readOnly && !box.dataset.opened) { box.open = true; box.dataset.opened = '1'; }
}

// Scrolls the transcript to the first message written once the episode began.
function jumpToEpisode(e) {
  const button = e.target.closest('.episode-jump');
  if (!button?.dataset.at) return;
  const at = Number(button.dataset.at);
  const messages = [...document.querySelectorAll('#messages .msg')];
  const first = messages.find((m) => Date.parse(m.querySelector('time')?.getAttribute('datetime') || '') >= at - 1000);
  (first || messages[messages.length - 1])?.scrollIntoView({ block: 'start' });
}

// ---------- wiring ----------
$('#tab-inbox').addEventListener('click', () => showTab(false));
$('#tab-history').addEventListener('click', () => showTab(true));
$('#history-form').addEventListener('submit', (e) => { e.preventDefault(); search(); });
$('#history-query').addEventListener('input', searchSoon);
for (const name of HISTORY_FILTERS) $(`#history-${name}`).addEventListener('change', () => search());
$('#history-clear').addEventListener('click', clearFilters);
$('#history-more').addEventListener('click', () => search(true));
$('#history-results').addEventListener('click', openResult);
$('#history-results').addEventListener('keydown', openResult);
$('#history-back').addEventListener('click', () => {
  showTab(true);
  (document.querySelector('.history-item.active') || $('#history-query')).focus();
});
$('#chat-episodes-list').addEventListener('click', jumpToEpisode);
document.addEventListener('baton-chat-opened', (e) => {
  $('#chat-episodes').open = false;
  delete $('#chat-episodes').dataset.opened;
  loadEpisodes(e.detail.conversationId);
});
document.addEventListener('baton-chat-rendered', renderEpisodes);
