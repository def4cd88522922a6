/*
 * What Baton's team pages (the inbox, the admin console) share: the session token, DOM and
 * API helpers, the toast. Loaded before each page's own script; a page defines `signOut()`,
 * which an API answer of 401 calls. Plain JS, embedded by the server as /assets/common.js.
 */
'use strict';

const TOKEN_KEY = 'baton.session';
const $ = (sel) => document.querySelector(sel);

// The session both pages use: signing in to one signs in to the other.
let token = localStorage.getItem(TOKEN_KEY);

// An element with attributes (`text` sets its text, `on…` adds listeners) and children.
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

// A call to Baton's API with a JSON body, or a file (a Blob) sent as it is; the answer's
// JSON. A problem+json answer becomes an Error with `status` and `code`.
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const raw = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(path, { method, headers, body: body === undefined || raw ? body : JSON.stringify(body) });
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

function toast(msg) {
  const t = $('#toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
}

// The sign-in form (#login-email, #login-password, #login-error, #login-submit), shared by the
// team pages: checks it is filled in, signs in, and keeps the session. The signed-in user, or
// null once the form says why not.
async function signInWithForm() {
  const email = $('#login-email').value.trim();
  const password = $('#login-password').value;
  const err = $('#login-error');
  err.hidden = true;
  if (!email || !password) {
    err.textContent = 'Enter your email and password.';
    err.hidden = false;
    return null;
  }
  $('#login-submit').disabled = true;
  try {
    const r = await api('POST', '/v1/auth/login', { email, password });
    token = r.token;
    localStorage.setItem(TOKEN_KEY, token);
    $('#login-password').value = '';
    return r.user;
  } catch (ex) {
    err.textContent = ex.status === 401 ? (ex.message || 'Wrong email or password.') : ex.message;
    err.hidden = false;
    return null;
  } finally {
    $('#login-submit').disabled = false;
  }
}
