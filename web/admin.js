/*
 * Baton admin console: where an admin sets Baton up. Plain JS (no build step), embedded by the
 * server as /assets/admin.js after /assets/common.js (the session, `api`, `h`, `toast`), so it
 * signs in with the inbox's session. All text from the server goes through textContent.
 */
'use strict';

let me = null;

const when = (ms) => (ms ? new Date(ms).toLocaleString() : '—');

// ---------- session ----------
function showLogin(message) {
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
  const err = $('#login-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('#login-email').focus();
}

// Agents have no console: they are sent to their inbox, signed in.
function enter(user) {
  me = user;
  if (me.role !== 'admin') {
    location.replace('/inbox');
    return;
  }
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#me-name').textContent = me.name || me.email;
  showPage();
}

// ---------- pages ----------
// Each page's script (admin-*.js, loaded after this one) registers its loader here by the
// name its nav link and #fragment use, and its one-time wiring in SETUP.
const PAGES = {};
const SETUP = [];

// The page named by the address's #fragment (the first part; the rest is the page's own);
// bots by default.
function showPage() {
  if (!me) return;
  const asked = location.hash.slice(1).split('/')[0];
  const name = PAGES[asked] ? asked : 'bots';
  for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== `${name}-page`;
  for (const link of document.querySelectorAll('.nav-link')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  PAGES[name](location.hash.slice(1).split('/').slice(1).join('/'));
}

// ---------- forms ----------
// A labelled control with its hint and its error line; `control` gets the id.
function field(id, label, control, hint) {
  control.id = id;
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  return h('div', { class: 'field', 'data-field': control.dataset.field || null },
    h('label', { for: id, text: label }),
    control,
    hint ? h('small', { id: `${id}-hint`, class: 'muted', text: hint }) : null,
    h('span', { id: `${id}-error`, class: 'field-error', hidden: true }));
}

function clearErrors(form) {
  for (const span of form.querySelectorAll('.field-error')) { span.hidden = true; span.textContent = ''; }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const general = form.querySelector('.form-error');
  if (general) general.hidden = true;
}

/*
 * The server's problem names its field first ("capacity: …", "policy.assignment.capacity:
 * …"): show it next to the element whose data-field is that path or the nearest parent of
 * it, focus that control, and otherwise show it at the form's foot.
 */
function showError(form, message) {
  // "policy.assignment: capacity: must be …" names the field in steps: join them.
  let path = '';
  let rest = message;
  for (let m; (m = /^([a-z_][a-z0-9_.\[\]]*): /.exec(rest));) {
    path = path ? `${path}.${m[1]}` : m[1];
    rest = rest.slice(m[0].length);
  }
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  // Settings checks name policy fields with or without their "policy." prefix.
  const candidates = parts[0] === 'policy' ? [parts] : [parts, ['policy', ...parts]];
  for (const steps of candidates) {
    for (let n = steps.length; n > 0; n--) {
      // Several kinds of one form may name the same field: the one on show holds the error.
      const holders = [...form.querySelectorAll(`[data-field="${steps.slice(0, n).join('.')}"]`)];
      const holder = holders.find((el) => !el.closest('[hidden]')) || holders[0];
      const span = holder && holder.querySelector('.field-error');
      if (!span) continue;
      span.textContent = rest;
      span.hidden = false;
      const control = holder.querySelector('input, select, textarea');
      if (control) { control.setAttribute('aria-invalid', 'true'); control.focus(); }
      holder.scrollIntoView({ block: 'center' });
      return;
    }
  }
  const general = form.querySelector('.form-error');
  general.textContent = message;
  general.hidden = false;
}

// Copies text, or says how to when the browser will not.
async function copyText(text, what) {
  try { await navigator.clipboard.writeText(text); toast(`${what} copied.`); } catch (_) { toast(`Select the ${what.toLowerCase()} and copy it.`); }
}

async function login(e) {
  e.preventDefault();
  const user = await signInWithForm();
  if (user) enter(user);
}

function signOut() {
  token = null;
  me = null;
  localStorage.removeItem(TOKEN_KEY);
  showLogin();
}

async function logout() {
  try { await api('POST', '/v1/auth/logout'); } catch (_) { /* signing out anyway */ }
  signOut();
}

// ---------- wiring ----------
async function boot() {
  $('#login-form').addEventListener('submit', login);
  $('#logout').addEventListener('click', logout);
  for (const setup of SETUP) setup();
  // Changing a field takes back the problem shown next to it.
  document.addEventListener('input', (e) => {
    const holder = e.target.closest?.('[data-field]');
    if (!holder) return;
    for (const span of holder.querySelectorAll('.field-error')) span.hidden = true;
    e.target.removeAttribute('aria-invalid');
  });
  window.addEventListener('hashchange', showPage);

  if (!token) return showLogin();
  try {
    enter(await api('GET', '/v1/me'));
  } catch (e) {
    showLogin(e.status === 401 ? '' : `Could not reach Baton: ${e.message}`);
  }
}

// Deferred scripts run in order before this event: every page has registered by then.
document.addEventListener('DOMContentLoaded', boot);
