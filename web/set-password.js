/*
 * Set a password with the one-time link an admin handed over: /set-password#token=…. The
 * token stays in the fragment (never sent to a server or a log) and leaves the address bar
 * once read.
 */
'use strict';

const linkToken = new URLSearchParams(location.hash.slice(1)).get('token') || '';
history.replaceState(null, '', location.pathname);

// common.js calls this on a 401; a link needs no session, so there is nothing to end.
function signOut() {}

function showError(message) {
  const box = $('#password-error');
  box.textContent = message;
  box.hidden = !message;
}

if (!linkToken) {
  showError('This page needs the whole link you were given, with its #token part.');
  $('#password-submit').disabled = true;
}

$('#password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = $('#new-password').value;
  if (password !== $('#repeat-password').value) {
    showError('The two passwords differ.');
    $('#repeat-password').focus();
    return;
  }
  showError('');
  $('#password-submit').disabled = true;
  try {
    await api('POST', '/v1/password-links/use', { token: linkToken, password });
    // Any session this browser held belonged to whoever used it before.
    localStorage.removeItem(TOKEN_KEY);
    $('#password-form').hidden = true;
    $('#password-done').hidden = false;
  } catch (err) {
    showError(err.message.replace(/^password: /, ''));
    $('#password-submit').disabled = err.code === 'link_invalid';
  }
});
