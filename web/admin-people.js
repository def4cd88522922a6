/*
 * Teams and users: who takes conversations, in which languages, how many at once, when
 * (a team's office hours) and how fast (its first-response SLA). Users are invited with a
 * one-time link to set their password; an admin can hand a new link over as a reset.
 */
'use strict';

const LANGUAGE_NAMES = { en: 'English', es: 'Spanish', fr: 'French', de: 'German', pt: 'Portuguese', it: 'Italian', nl: 'Dutch', zh: 'Chinese' };
const STRATEGIES = {
  broadcast: 'Broadcast: every eligible member sees it; the first to claim it takes it',
  round_robin: 'Round robin: offered to one member at a time, whoever was assigned least recently first',
  least_busy: 'Least busy: offered to one member at a time, whoever holds the fewest live chats first',
};

let people = { users: [], teams: [] };
let hours = null; // the team form's office-hours editor

async function loadPeople() {
  const [users, teams] = await Promise.all([api('GET', '/v1/users'), api('GET', '/v1/teams')]);
  people = { users, teams };
  return people;
}

const userName = (id) => people.users.find((u) => u.id === id)?.name || 'Deleted user';

function presenceBadge(u) {
  if (u.disabled) return h('span', { class: 'badge', text: 'Disabled' });
  const cls = { online: 'ok', away: 'wait', offline: '' }[u.status] || '';
  const label = { online: 'Online', away: 'Away', offline: 'Offline' }[u.status] || u.status;
  return h('span', { class: 'presence' },
    h('span', { class: `badge ${cls}`, text: label }),
    u.connected ? h('span', { class: 'muted connected', text: 'inbox open' }) : null);
}

function languageBoxes(prefix, chosen) {
  return h('div', { class: 'choice-grid', role: 'group', 'aria-label': 'Languages' },
    ...Object.entries(LANGUAGE_NAMES).map(([code, name]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: code, checked: chosen.includes(code), name: `${prefix}-lang` }), ` ${name}`)));
}

function checked(container) {
  return [...container.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);
}

// ---------- users ----------
let editingUser = null;

async function loadUsers() {
  try { await loadPeople(); } catch (e) { return toast(`Could not load the users: ${e.message}`); }
  const rows = people.users.map((u) => h('tr', { 'data-user-id': u.id },
    h('td', {}, h('div', { class: 'strong', text: u.name }), h('div', { class: 'muted', text: u.email })),
    h('td', { text: u.role === 'admin' ? 'Admin' : 'Agent' }),
    h('td', { text: u.teams.join(', ') || '—' }),
    h('td', { text: u.languages.length ? u.languages.map((l) => LANGUAGE_NAMES[l] || l).join(', ') : 'Any' }),
    h('td', { text: u.capacity == null ? 'Bot default' : String(u.capacity) }),
    h('td', {}, presenceBadge(u)),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small', text: 'Edit', 'aria-label': `Edit ${u.name}`, onclick: () => openUserForm(u) }),
      h('button', { type: 'button', class: 'btn small', text: 'Password link', 'aria-label': `Password link for ${u.name}`, onclick: () => passwordLink(u) }),
      u.id === me.id ? null : h('button', { type: 'button', class: 'btn small', text: 'Delete', 'aria-label': `Delete ${u.name}`, onclick: () => removeUser(u) })))));
  $('#user-rows').replaceChildren(...rows);
}

async function openUserForm(user) {
  let alerts = null;
  if (user) {
    try { alerts = await api('GET', `/v1/users/${user.id}/notifications`); } catch (e) { return toast(e.message); }
  }
  editingUser = user;
  const form = $('#user-form');
  const inviting = !user;
  const teamBoxes = h('div', { class: 'choice-grid', role: 'group', 'aria-label': 'Teams' },
    ...people.teams.map((t) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: t.id, checked: !!user && t.members.includes(user.id) }), ` ${t.name}`)));
  if (!people.teams.length) teamBoxes.append(h('span', { class: 'muted', text: 'No teams yet.' }));
  const role = h('select', {}, h('option', { value: 'agent', text: 'Agent: answers chats in the inbox' }), h('option', { value: 'admin', text: 'Admin: also sets Baton up here' }));
  role.value = user?.role || 'agent';
  const capacity = h('input', { type: 'number', min: '1', max: '100', inputmode: 'numeric', value: user?.capacity ?? '', placeholder: 'Bot default' });
  form.replaceChildren(
    h('h2', { id: 'user-form-title', text: inviting ? 'Invite a user' : `Edit ${user.name}` }),
    inviting ? h('div', { 'data-field': 'email' }, field('user-email', 'Email', h('input', { type: 'email', autocomplete: 'off', required: true }))) : null,
    h('div', { 'data-field': 'name' }, field('user-name', 'Display name', h('input', { type: 'text', maxlength: '100', value: user?.name || '' }), 'What customers see: "Ana has joined the conversation". From the email when left empty.')),
    h('div', { 'data-field': 'role' }, field('user-role', 'Role', role)),
    h('fieldset', { class: 'field plain', 'data-field': 'teams' }, h('legend', { text: 'Teams' }), teamBoxes, h('span', { class: 'field-error', hidden: true })),
    h('fieldset', { class: 'field plain', 'data-field': 'languages' }, h('legend', { text: 'Answers chats in' }),
      h('small', { class: 'muted', text: 'None ticked: any language.' }), languageBoxes('user', user?.languages || []), h('span', { class: 'field-error', hidden: true })),
    h('div', { 'data-field': 'capacity' }, field('user-capacity', 'Live chats at once', capacity, 'Automatic assignment stops offering them chats at this many. Empty: the bot\'s capacity.')),
    alerts ? h('fieldset', { class: 'field plain', 'data-field': 'notifications' },
      h('legend', { text: 'Email alerts' }),
      alerts.mail_enabled ? null : h('small', { class: 'muted', text: 'This Baton sends no mail yet (see Email); the choice applies once it does.' }),
      h('label', { class: 'check' }, h('input', { id: 'user-alerts', type: 'checkbox', checked: alerts.email }), ' Email them about chats waiting for them, offers, transfers and tickets'),
      h('div', { class: 'inline-fields' },
        h('div', { 'data-field': 'email_after_seconds' }, field('user-alerts-after', 'Wait before mailing about a queued chat (minutes)',
          h('input', { type: 'number', min: '0', max: '1440', step: '1', value: String(Math.round(alerts.email_after_seconds / 60)) }))),
        h('div', { 'data-field': 'language' }, field('user-alerts-language', 'Mail language', (() => {
          const select = h('select', {}, h('option', { value: '', text: 'Their chat language, else English' }),
            ...Object.entries(LANGUAGE_NAMES).map(([code, name]) => h('option', { value: code, text: name })));
          select.value = alerts.language || '';
          return select;
        })()))),
      h('span', { class: 'field-error', hidden: true })) : null,
    inviting ? null : h('label', { class: 'check' }, h('input', { id: 'user-disabled', type: 'checkbox', checked: user.disabled, disabled: user.id === me.id }), ' Disabled: cannot sign in and gets no chats'),
    h('div', { class: 'error form-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary', text: inviting ? 'Invite and get the link' : 'Save changes' }),
      h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: closeUserForm })));
  form.hidden = false;
  $('#user-invite').setAttribute('aria-expanded', 'true');
  (inviting ? $('#user-email') : $('#user-name')).focus();
}

function closeUserForm() {
  $('#user-form').hidden = true;
  $('#user-invite').setAttribute('aria-expanded', 'false');
  editingUser = null;
}

async function saveUser(e) {
  e.preventDefault();
  const form = $('#user-form');
  clearErrors(form);
  const name = $('#user-name').value.trim();
  const role = $('#user-role').value;
  const capacityText = $('#user-capacity').value.trim();
  const routing = {
    languages: checked(form.querySelector('[data-field=languages]')),
    capacity: capacityText === '' ? null : Number(capacityText),
  };
  const teams = checked(form.querySelector('[data-field=teams]'));
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    // One request each way: the server checks every value before it changes anything.
    if (editingUser) {
      const notifications = {
        email: $('#user-alerts').checked,
        email_after_seconds: Math.round(Number($('#user-alerts-after').value || 0) * 60),
        language: $('#user-alerts-language').value || null,
      };
      await api('PUT', `/v1/users/${editingUser.id}`, { name, role, disabled: $('#user-disabled').checked, routing, teams, notifications });
      closeUserForm();
      await loadUsers();
      toast('User saved.');
    } else {
      const user = await api('POST', '/v1/users', { email: $('#user-email').value.trim(), name: name || null, role, routing, teams });
      closeUserForm();
      await loadUsers();
      await passwordLink(user, true);
    }
  } catch (ex) {
    showError(form, ex.message);
  } finally {
    submit.disabled = false;
  }
}

async function passwordLink(user, invited) {
  if (!invited && !confirm(`Make a new set-password link for ${user.name}? Their earlier link stops working; their password stays until they use it.`)) return;
  try {
    const link = await api('POST', `/v1/users/${user.id}/password-link`);
    $('#link-who').textContent = invited ? `${user.name} is invited.` : `New link for ${user.name}.`;
    // Without a public_url in the settings the server gives the path: this page knows the host.
    $('#link-value').textContent = new URL(link.url, location.origin).href;
    $('#link-expires').textContent = new Date(link.expires_at).toLocaleString();
    $('#link-box').hidden = false;
    $('#link-copy').focus();
  } catch (e) {
    toast(e.message);
  }
}

async function removeUser(user) {
  if (!confirm(`Delete ${user.name} (${user.email})? Their past chats stay; they can no longer sign in.`)) return;
  try {
    await api('DELETE', `/v1/users/${user.id}`);
    toast('User deleted.');
    await loadUsers();
  } catch (e) {
    toast(e.message);
  }
}

// ---------- teams ----------
let editingTeam = null;

async function loadTeams() {
  try { await loadPeople(); } catch (e) { return toast(`Could not load the teams: ${e.message}`); }
  const rows = people.teams.map((t) => h('tr', { 'data-team-id': t.id },
    h('td', { class: 'strong', text: t.name }),
    h('td', { text: t.members.map(userName).join(', ') || 'Nobody yet' }),
    h('td', { text: t.settings.strategy ? STRATEGIES[t.settings.strategy].split(':')[0] : 'Broadcast' }),
    h('td', { text: t.settings.first_response_sla_seconds ? `${Math.round(t.settings.first_response_sla_seconds / 60 * 10) / 10} min` : '—' }),
    h('td', { text: t.settings.schedule ? `${t.settings.schedule.timezone || 'UTC'}${t.settings.schedule.never_available ? ', never available' : ''}` : 'Always open' }),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small', text: 'Edit', 'aria-label': `Edit team ${t.name}`, onclick: () => openTeamForm(t) }),
      h('button', { type: 'button', class: 'btn small', text: 'Delete', 'aria-label': `Delete team ${t.name}`, onclick: () => removeTeam(t) })))));
  $('#team-rows').replaceChildren(...rows);
  $('#team-empty').hidden = people.teams.length > 0;
}

function openTeamForm(team) {
  editingTeam = team;
  const form = $('#team-form');
  const strategy = h('select', {}, h('option', { value: '', text: 'The bot\'s strategy' }),
    ...Object.entries(STRATEGIES).map(([value, text]) => h('option', { value, text })));
  strategy.value = team?.settings.strategy || '';
  const sla = team?.settings.first_response_sla_seconds;
  const members = h('div', { class: 'choice-grid', role: 'group', 'aria-label': 'Members' },
    ...people.users.map((u) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: u.id, checked: !!team && team.members.includes(u.id) }), ` ${u.name}`)));
  const hoursRoot = h('div', { class: 'hours' });
  form.replaceChildren(
    h('h2', { text: team ? `Edit ${team.name}` : 'New team' }),
    h('div', { 'data-field': 'name' }, field('team-name', 'Name', h('input', { type: 'text', maxlength: '100', value: team?.name || '' }), 'Bots send chats to it when you choose it in their assignment.')),
    h('fieldset', { class: 'field plain', 'data-field': 'members' }, h('legend', { text: 'Members' }), members, h('span', { class: 'field-error', hidden: true })),
    h('div', { 'data-field': 'strategy' }, field('team-strategy', 'How chats sent to this team pick a member', strategy)),
    h('div', { 'data-field': 'first_response_sla_seconds' }, field('team-sla', 'First-response target (minutes)',
      h('input', { type: 'number', min: '0.5', max: '1440', step: '0.5', inputmode: 'decimal', value: sla ? String(sla / 60) : '', placeholder: 'None' }),
      'A taken chat with no reply from its agent by then counts as a breach; admins are alerted.')),
    h('div', { 'data-field': 'phone' }, field('team-phone', 'Phone number (optional)',
      h('input', { type: 'tel', autocomplete: 'off', value: team?.settings.phone || '', placeholder: '+4930123456' }),
      'Calls to a phone channel routed to this team ring here instead of the channel’s number.')),
    h('fieldset', { class: 'field plain', 'data-field': 'schedule' }, h('legend', { text: 'Office hours' }),
      h('small', { class: 'muted', text: 'Outside them, members are not offered the chats routed to this team.' }),
      hoursRoot, h('span', { class: 'field-error', hidden: true })),
    h('div', { class: 'error form-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary', text: team ? 'Save changes' : 'Create team' }),
      h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: closeTeamForm })));
  hours = hoursEditor(hoursRoot, 'team-hours');
  hours.set(team?.settings.schedule || null);
  form.hidden = false;
  $('#team-add').setAttribute('aria-expanded', 'true');
  $('#team-name').focus();
}

function closeTeamForm() {
  $('#team-form').hidden = true;
  $('#team-add').setAttribute('aria-expanded', 'false');
  editingTeam = null;
}

async function saveTeam(e) {
  e.preventDefault();
  const form = $('#team-form');
  clearErrors(form);
  const slaText = $('#team-sla').value.trim();
  const settings = {
    schedule: hours.get(),
    strategy: $('#team-strategy').value || null,
    first_response_sla_seconds: slaText === '' ? null : Math.round(Number(slaText) * 60),
    phone: $('#team-phone').value.trim() || null,
  };
  const body = { name: $('#team-name').value.trim(), settings };
  const members = checked(form.querySelector('[data-field=members]'));
  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    if (editingTeam) {
      await api('PUT', `/v1/teams/${editingTeam.id}`, body);
      await api('PUT', `/v1/teams/${editingTeam.id}/members`, { members });
    } else {
      await api('POST', '/v1/teams', { ...body, members });
    }
    toast(editingTeam ? 'Team saved.' : 'Team created.');
    closeTeamForm();
    await loadTeams();
  } catch (ex) {
    showError(form, ex.message);
  } finally {
    submit.disabled = false;
  }
}

async function removeTeam(team) {
  if (!confirm(`Delete the team ${team.name}? Bots that route to it reach nobody there until their assignment changes.`)) return;
  try {
    await api('DELETE', `/v1/teams/${team.id}`);
    toast('Team deleted.');
    await loadTeams();
  } catch (e) {
    toast(e.message);
  }
}

PAGES.users = loadUsers;
PAGES.teams = loadTeams;
SETUP.push(() => {
  $('#user-invite').addEventListener('click', () => ($('#user-form').hidden ? openUserForm(null) : closeUserForm()));
  $('#user-form').addEventListener('submit', saveUser);
  $('#user-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeUserForm(); } });
  $('#link-copy').addEventListener('click', () => copyText($('#link-value').textContent, 'Link'));
  $('#link-done').addEventListener('click', () => { $('#link-box').hidden = true; $('#link-value').textContent = ''; });
  $('#team-add').addEventListener('click', () => ($('#team-form').hidden ? openTeamForm(null) : closeTeamForm()));
  $('#team-form').addEventListener('submit', saveTeam);
  $('#team-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeTeamForm(); } });
});
