/*
 * The console's channels: the messengers customers reach a bot on (WhatsApp so far). A list
 * with each channel's bot, state and webhook URL (what to paste into Meta's app settings), a
 * form that adds or edits one (secrets are never shown: left empty, the stored one stays), and
 * each channel's send log. Uses /v1/channels only.
 */
'use strict';

let editingChannel = null; // the channel being edited, or null when adding one
const SECRETS = ['access_token', 'app_secret', 'verify_token'];

function channelBadge(c) {
  return c.enabled ? h('span', { class: 'badge ok', text: 'On' }) : h('span', { class: 'badge', text: 'Off' });
}

async function loadChannels() {
  let channels, bots;
  try {
    [channels, bots] = await Promise.all([api('GET', '/v1/channels'), api('GET', '/v1/bots')]);
  } catch (e) {
    return toast(`Could not load the channels: ${e.message}`);
  }
  const botName = new Map(bots.map((b) => [b.id, b.name]));
  $('#channel-bot').replaceChildren(...bots.map((b) => h('option', { value: b.id, text: b.name })));
  $('#channel-rows').replaceChildren(...channels.map((c) => h('tr', { 'data-channel-id': c.id },
    h('td', {}, h('div', { text: c.name }), h('div', { class: 'muted', text: 'WhatsApp · number id ' + c.settings.phone_number_id })),
    h('td', { text: botName.get(c.bot_id) || '—' }),
    h('td', {}, h('div', { class: 'secret-row' }, h('code', { class: 'url', text: c.webhook_url }),
      h('button', { type: 'button', class: 'btn small', text: 'Copy', onclick: () => copyText(c.webhook_url, 'Webhook URL') }))),
    h('td', {}, channelBadge(c)),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', text: 'Edit', onclick: () => openChannelForm(c) }),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'log', text: 'Sent messages', onclick: () => showSendLog(c, null) }),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'delete', text: 'Delete', onclick: () => removeChannel(c) }))))));
  $('#channel-empty').hidden = channels.length > 0;
}

function openChannelForm(channel) {
  editingChannel = channel || null;
  const form = $('#channel-form');
  clearErrors(form);
  const s = channel?.settings || {};
  $('#channel-form-title').textContent = channel ? `Edit ${channel.name}` : 'New WhatsApp channel';
  $('#channel-save').textContent = channel ? 'Save changes' : 'Add channel';
  $('#channel-name').value = channel?.name || '';
  if (channel) $('#channel-bot').value = channel.bot_id;
  $('#channel-phone-number-id').value = s.phone_number_id || '';
  for (const secret of SECRETS) {
    const input = $(`#channel-${secret.replace(/_/g, '-')}`);
    input.value = '';
    input.placeholder = channel ? 'Unchanged — type to replace' : '';
  }
  $('#channel-graph-url').value = s.graph_url || 'https://graph.facebook.com';
  $('#channel-enabled').checked = channel ? channel.enabled : true;
  form.hidden = false;
  $('#channel-add').setAttribute('aria-expanded', 'true');
  $('#channel-name').focus();
}

function closeChannelForm() {
  $('#channel-form').hidden = true;
  $('#channel-add').setAttribute('aria-expanded', 'false');
  editingChannel = null;
}

async function saveChannel(e) {
  e.preventDefault();
  const form = $('#channel-form');
  clearErrors(form);
  const settings = {
    phone_number_id: $('#channel-phone-number-id').value.trim(),
    graph_url: $('#channel-graph-url').value.trim(),
  };
  if (editingChannel?.settings.api_version) settings.api_version = editingChannel.settings.api_version;
  for (const secret of SECRETS) {
    const typed = $(`#channel-${secret.replace(/_/g, '-')}`).value.trim();
    // Left empty while editing, the stored secret stays (the server keeps "********").
    settings[secret] = typed || (editingChannel ? '********' : '');
  }
  const body = {
    kind: 'whatsapp',
    bot_id: $('#channel-bot').value,
    name: $('#channel-name').value.trim() || null,
    settings,
    enabled: $('#channel-enabled').checked,
  };
  $('#channel-save').disabled = true;
  try {
    if (editingChannel) {
      await api('PUT', `/v1/channels/${editingChannel.id}`, body);
      toast('Channel saved.');
    } else {
      await api('POST', '/v1/channels', body);
      toast('Channel added: paste its webhook URL and verify token into your Meta app.');
    }
    closeChannelForm();
    await loadChannels();
  } catch (ex) {
    showError(form, ex.message);
  } finally {
    $('#channel-save').disabled = false;
  }
}

async function removeChannel(c) {
  if (!confirm(`Delete ${c.name}? Its conversations stay in the history; nothing more is sent or received on it.`)) return;
  try {
    await api('DELETE', `/v1/channels/${c.id}`);
    $('#send-log').hidden = true;
    toast('Channel deleted.');
    await loadChannels();
  } catch (e) {
    toast(e.message);
  }
}

function sendBadge(d) {
  const [cls, text] = {
    pending: ['wait', d.attempts ? 'Retrying' : 'Queued'], sent: ['ok', 'Sent'], delivered: ['ok', 'Delivered'],
    read: ['ok', 'Read'], failed: ['bad', 'Failed'],
  }[d.status] || ['', d.status];
  return h('span', { class: `badge ${cls}`, text });
}

async function showSendLog(c, before) {
  const query = new URLSearchParams({ limit: '25' });
  if (before != null) query.set('before', String(before));
  let page;
  try {
    page = await api('GET', `/v1/channels/${c.id}/deliveries?${query}`);
  } catch (e) {
    return toast(e.message);
  }
  $('#send-log-title').textContent = `Messages sent on ${c.name}`;
  const rows = page.deliveries.map((d) => h('tr', { 'data-send-id': d.id },
    h('td', {}, h('div', { class: 'clip', text: d.text }), h('div', { class: 'muted', text: `to +${d.recipient}` })),
    h('td', {}, sendBadge(d)),
    h('td', { text: String(d.attempts) }),
    h('td', { text: d.error || (d.response_code ? `HTTP ${d.response_code}` : '—') }),
    h('td', { text: d.status === 'pending' && d.next_attempt_at ? `next try ${when(d.next_attempt_at)}` : when(d.last_attempt_at || d.created_at) })));
  const body = $('#send-log-rows');
  if (before == null) body.replaceChildren(...rows); else body.append(...rows);
  $('#send-log-empty').hidden = body.children.length > 0;
  const more = $('#send-log-more');
  more.hidden = page.next_before == null;
  more.onclick = () => showSendLog(c, page.next_before);
  $('#send-log').hidden = false;
}

PAGES.channels = loadChannels;
SETUP.push(() => {
  $('#channel-add').addEventListener('click', () => ($('#channel-form').hidden ? openChannelForm(null) : closeChannelForm()));
  $('#channel-cancel').addEventListener('click', closeChannelForm);
  $('#channel-form').addEventListener('submit', saveChannel);
  $('#channel-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeChannelForm(); } });
  $('#send-log-close').addEventListener('click', () => { $('#send-log').hidden = true; });
});
