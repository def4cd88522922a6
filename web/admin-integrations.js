/*
 * The console's integrations: webhook endpoints (events, secret, deliveries) and email (how
 * mail goes out, and a test mail).
 */
'use strict';

let eventKinds = null; // the event names an endpoint may subscribe to, from /openapi.json
let editing = null; // the endpoint being edited, or null when adding one
let deliveriesOf = null; // the id of the endpoint whose deliveries are shown

// ---------- webhooks ----------
function statusBadge(w) {
  if (!w.enabled) return h('span', { class: 'badge', text: 'Disabled' });
  if (w.status === 'failing') return h('span', { class: 'badge bad', text: 'Failing', title: 'A delivery was given up after every retry; the next success clears this.' });
  return h('span', { class: 'badge ok', text: 'Active' });
}

async function loadWebhooks() {
  let endpoints;
  try {
    endpoints = await api('GET', '/v1/webhooks');
  } catch (e) {
    return toast(`Could not load the endpoints: ${e.message}`);
  }
  const rows = $('#webhook-rows');
  rows.replaceChildren(...endpoints.map((w) => h('tr', { 'data-webhook-id': w.id },
    h('td', {},
      h('div', { class: 'url', text: w.url }),
      w.description ? h('div', { class: 'muted', text: w.description }) : null),
    h('td', { text: w.events.includes('*') ? 'All events' : w.events.join(', ') }),
    h('td', {}, statusBadge(w)),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', text: 'Edit', onclick: () => openForm(w) }),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'deliveries', text: 'Deliveries', onclick: () => showDeliveries(w, null) }),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'rotate', text: 'Rotate secret', onclick: () => rotate(w) }),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'delete', text: 'Delete', onclick: () => remove(w) }))))));
  $('#webhook-empty').hidden = endpoints.length > 0;
}

async function kinds() {
  if (!eventKinds) {
    const spec = await api('GET', '/openapi.json');
    // `typing` goes to open chat windows only; it is never stored or sent.
    eventKinds = (spec.components.schemas.EventKind?.enum || []).filter((k) => k !== 'typing');
  }
  return eventKinds;
}

async function openForm(endpoint) {
  editing = endpoint || null;
  clearErrors($('#webhook-form'));
  let names;
  try { names = await kinds(); } catch (e) { return toast(`Could not load the event list: ${e.message}`); }
  const chosen = new Set(endpoint?.events || ['*']);
  $('#webhook-form-title').textContent = endpoint ? 'Edit endpoint' : 'New endpoint';
  $('#webhook-save').textContent = endpoint ? 'Save changes' : 'Add endpoint';
  $('#webhook-url').value = endpoint?.url || '';
  $('#webhook-description').value = endpoint?.description || '';
  $('#webhook-enabled').checked = endpoint ? endpoint.enabled : true;
  $('#webhook-all').checked = chosen.has('*');
  $('#webhook-events').replaceChildren(...names.map((name) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: name, checked: chosen.has(name) }), ' ' + name)));
  syncEvents();
  $('#webhook-form').hidden = false;
  $('#webhook-add').setAttribute('aria-expanded', 'true');
  $('#webhook-url').focus();
}

function closeForm() {
  $('#webhook-form').hidden = true;
  $('#webhook-add').setAttribute('aria-expanded', 'false');
  editing = null;
  $('#webhook-add').focus();
}

// "Every event" covers the list below it.
function syncEvents() {
  const all = $('#webhook-all').checked;
  for (const box of $('#webhook-events').querySelectorAll('input')) box.disabled = all;
}

async function save(e) {
  e.preventDefault();
  clearErrors($('#webhook-form'));
  const events = $('#webhook-all').checked
    ? ['*']
    : [...$('#webhook-events').querySelectorAll('input:checked')].map((box) => box.value);
  const body = {
    url: $('#webhook-url').value.trim(),
    events,
    description: $('#webhook-description').value.trim() || null,
    enabled: $('#webhook-enabled').checked,
  };
  $('#webhook-save').disabled = true;
  try {
    if (editing) {
      await api('PUT', `/v1/webhooks/${editing.id}`, body);
      toast('Endpoint saved.');
    } else {
      const made = await api('POST', '/v1/webhooks', body);
      showSecret(made.secret);
    }
    closeForm();
    await loadWebhooks();
  } catch (ex) {
    showError($('#webhook-form'), ex.message);
  } finally {
    $('#webhook-save').disabled = false;
  }
}

function showSecret(secret) {
  $('#secret-value').textContent = secret;
  $('#secret-box').hidden = false;
  $('#secret-copy').focus();
}

async function rotate(w) {
  if (!confirm(`Replace the signing secret of ${w.url}? Deliveries are signed with the new one at once.`)) return;
  try {
    const rotated = await api('POST', `/v1/webhooks/${w.id}/rotate-secret`);
    showSecret(rotated.secret);
  } catch (e) {
    toast(e.message);
  }
}

async function remove(w) {
  if (!confirm(`Delete the endpoint ${w.url}? Its pending deliveries are dropped.`)) return;
  try {
    await api('DELETE', `/v1/webhooks/${w.id}`);
    if (deliveriesOf === w.id) $('#deliveries').hidden = true;
    toast('Endpoint deleted.');
    await loadWebhooks();
  } catch (e) {
    toast(e.message);
  }
}

function deliveryBadge(d) {
  const [cls, text] = { delivered: ['ok', 'Delivered'], failed: ['bad', 'Failed'], pending: ['wait', 'Retrying'] }[d.status] || ['', d.status];
  if (d.status === 'pending' && d.attempts === 0) return h('span', { class: 'badge wait', text: 'Queued' });
  return h('span', { class: `badge ${cls}`, text });
}

async function showDeliveries(w, before) {
  deliveriesOf = w.id;
  const query = new URLSearchParams({ limit: '25' });
  if (before != null) query.set('before', String(before));
  let page;
  try {
    page = await api('GET', `/v1/webhooks/${w.id}/deliveries?${query}`);
  } catch (e) {
    return toast(e.message);
  }
  $('#deliveries-title').textContent = `Deliveries to ${w.url}`;
  const rows = page.deliveries.map((d) => h('tr', { 'data-delivery-id': d.id },
    h('td', {}, h('div', { text: d.event_type }), h('div', { class: 'muted', text: `webhook-id ${d.id}` })),
    h('td', {}, deliveryBadge(d)),
    h('td', { text: String(d.attempts) }),
    h('td', { text: d.response_code ? `HTTP ${d.response_code}${d.latency_ms != null ? ` in ${d.latency_ms} ms` : ''}` : (d.error || '—') }),
    h('td', { text: d.status === 'pending' && d.next_attempt_at ? `next try ${when(d.next_attempt_at)}` : when(d.last_attempt_at || d.created_at) }),
    h('td', {}, d.status === 'pending' ? null : h('button', {
      type: 'button', class: 'btn small', text: 'Send again', onclick: () => retry(w, d),
    }))));
  const body = $('#delivery-rows');
  if (before == null) body.replaceChildren(...rows); else body.append(...rows);
  $('#deliveries-empty').hidden = body.children.length > 0;
  const more = $('#deliveries-more');
  more.hidden = page.next_before == null;
  more.onclick = () => showDeliveries(w, page.next_before);
  $('#deliveries').hidden = false;
}

async function retry(w, d) {
  try {
    await api('POST', `/v1/webhooks/${w.id}/deliveries/${d.id}/retry`);
    toast('Sending it again.');
    await showDeliveries(w, null);
  } catch (e) {
    toast(e.message);
  }
}

// ---------- email ----------
async function loadEmail() {
  let setup;
  try {
    setup = await api('GET', '/v1/email');
  } catch (e) {
    return toast(`Could not read the mail setup: ${e.message}`);
  }
  $('#mail-on').hidden = !setup.enabled;
  $('#mail-off').hidden = setup.enabled;
  $('#mail-server').textContent = setup.server;
  $('#mail-from').textContent = setup.from;
  $('#mail-public-url').textContent = setup.public_url;
  if (!$('#test-mail-to').value) $('#test-mail-to').value = me.email;
}

async function sendTestMail(e) {
  e.preventDefault();
  const to = $('#test-mail-to');
  const fieldError = $('#test-mail-to-error');
  for (const el of [fieldError, $('#test-mail-error'), $('#test-mail-sent')]) el.hidden = true;
  to.removeAttribute('aria-invalid');
  $('#test-mail-send').disabled = true;
  try {
    const sent = await api('POST', '/v1/email/test', { to: to.value.trim() || null });
    $('#test-mail-sent').textContent = `Sent to ${sent.sent_to}: check that mailbox.`;
    $('#test-mail-sent').hidden = false;
  } catch (ex) {
    // A bad address is the field's problem; anything else (no server, refused) the form's.
    if (ex.status === 422) {
      fieldError.textContent = ex.message;
      fieldError.hidden = false;
      to.setAttribute('aria-invalid', 'true');
      to.focus();
    } else {
      $('#test-mail-error').textContent = ex.message;
      $('#test-mail-error').hidden = false;
    }
  } finally {
    $('#test-mail-send').disabled = false;
  }
}

PAGES.webhooks = loadWebhooks;
PAGES.email = loadEmail;
SETUP.push(() => {
  $('#webhook-add').addEventListener('click', () => ($('#webhook-form').hidden ? openForm(null) : closeForm()));
  $('#webhook-cancel').addEventListener('click', closeForm);
  $('#webhook-form').addEventListener('submit', save);
  $('#webhook-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeForm(); } });
  $('#webhook-all').addEventListener('change', syncEvents);
  $('#secret-copy').addEventListener('click', () => copyText($('#secret-value').textContent, 'Secret'));
  $('#secret-done').addEventListener('click', () => { $('#secret-box').hidden = true; $('#secret-value').textContent = ''; });
  $('#deliveries-close').addEventListener('click', () => { $('#deliveries').hidden = true; deliveriesOf = null; });
  $('#test-mail-form').addEventListener('submit', sendTestMail);
});
