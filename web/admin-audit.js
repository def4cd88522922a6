/*
 * The audit log: every configuration change with who made it, when, and each field's value
 * before and after (GET /v1/audit), newest first, a page at a time.
 */
'use strict';

const ACTIONS = {
  'bot.created': 'created the bot', 'bot.updated': 'changed the bot', 'bot.api_key_issued': 'issued a new API key for the bot',
  'team.created': 'created the team', 'team.updated': 'changed the team', 'team.members_changed': 'changed the members of the team', 'team.deleted': 'deleted the team',
  'user.created': 'created the user', 'user.updated': 'changed the account of', 'user.routing_changed': 'changed the languages or capacity of',
  'user.deleted': 'deleted the user', 'user.password_reset': 'set a new password for', 'user.password_link_created': 'made a set-password link for',
  'webhook.created': 'added the webhook endpoint', 'webhook.updated': 'changed the webhook endpoint', 'webhook.deleted': 'deleted the webhook endpoint',
  'webhook.secret_rotated': 'rotated the signing secret of',
};

// A value as one short line: text as is, the rest as JSON.
function shown(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function auditEntry(entry) {
  const who = entry.actor ? entry.actor.name : 'Baton';
  const changes = entry.changes.length ? h('table', { class: 'table diff' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Field' }), h('th', { scope: 'col', text: 'Before' }), h('th', { scope: 'col', text: 'After' }))),
    h('tbody', {}, ...entry.changes.map((c) => h('tr', {},
      h('td', { class: 'url', text: c.field }),
      h('td', { class: 'before', text: shown(c.before) }),
      h('td', { class: 'after', text: shown(c.after) }))))) : null;
  return h('li', { class: 'audit-entry', 'data-action': entry.action },
    h('div', { class: 'audit-line' },
      h('strong', { text: who }), ` ${ACTIONS[entry.action] || entry.action} `,
      h('strong', { text: entry.subject.name }),
      h('time', { class: 'muted', datetime: new Date(entry.at).toISOString(), text: new Date(entry.at).toLocaleString() })),
    changes);
}

async function loadAudit(_, before) {
  const query = new URLSearchParams({ limit: '30' });
  const kind = $('#audit-kind').value;
  if (kind) query.set('subject_kind', kind);
  if (before != null) query.set('before', String(before));
  let page;
  try { page = await api('GET', `/v1/audit?${query}`); } catch (e) { return toast(`Could not read the audit log: ${e.message}`); }
  const list = $('#audit-entries');
  const items = page.entries.map(auditEntry);
  if (before == null) list.replaceChildren(...items); else list.append(...items);
  $('#audit-empty').hidden = list.children.length > 0;
  const more = $('#audit-more');
  more.hidden = page.next_before == null;
  more.onclick = () => loadAudit('', page.next_before);
}

PAGES.audit = (rest) => loadAudit(rest, null);
SETUP.push(() => {
  $('#audit-kind').addEventListener('change', () => loadAudit('', null));
});
