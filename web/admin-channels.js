/*
 * The console's channels: the ways customers reach a bot (a support mailbox, WhatsApp, SMS
 * through Twilio, a phone number), the team's Slack channel that gets each handoff as a
 * thread, and Freshchat taking a bot's handoffs. A list with each channel's bot, state and
 * webhook URL (what to paste into the provider's settings), a form that adds or edits one (secrets are never shown: left empty, the
 * stored one stays), and each channel's send log. Uses /v1/channels only.
 */
'use strict';

let editingChannel = null; // the channel being edited, or null when adding one
let channelKind = 'whatsapp'; // the kind the form is for
// Per kind: its name, its settings as form fields, which of them are secrets, and the
// settings kept from the stored channel that the form does not show.
const KINDS = {
  email: {
    name: 'email',
    fields: {
      address: 'channel-address', display_name: 'channel-display-name', imap_url: 'channel-imap-url',
      username: 'channel-username', mailbox: 'channel-mailbox', poll_seconds: 'channel-poll-seconds',
    },
    numbers: ['poll_seconds'],
    secrets: { password: 'channel-password' },
    defaults: { mailbox: 'INBOX', poll_seconds: 30 },
    kept: [],
    describe: (s) => `Email · ${s.address} · read every ${s.poll_seconds} s`,
  },
  whatsapp: {
    name: 'WhatsApp',
    fields: { phone_number_id: 'channel-phone-number-id', display_phone_number: 'channel-display-phone-number', graph_url: 'channel-graph-url' },
    secrets: { access_token: 'channel-access-token', app_secret: 'channel-app-secret', verify_token: 'channel-verify-token' },
    defaults: { graph_url: 'https://graph.facebook.com' },
    kept: ['api_version'],
    describe: (s) => 'WhatsApp · number id ' + s.phone_number_id + ((s.templates || []).length ? ` · ${s.templates.length} template${s.templates.length === 1 ? '' : 's'}` : ''),
    fill: (s) => { $('#channel-templates').value = formatTemplates(s.templates || []); },
    read: (settings) => { settings.templates = parseTemplates($('#channel-templates').value); },
  },
  sms: {
    name: 'SMS',
    fields: { account_sid: 'channel-account-sid', from: 'channel-from', api_url: 'channel-api-url' },
    secrets: { auth_token: 'channel-auth-token' },
    defaults: { api_url: 'https://api.twilio.com' },
    kept: [],
    describe: (s) => 'SMS (Twilio) · from ' + s.from,
  },
  voice: {
    name: 'phone',
    fields: { account_sid: 'channel-account-sid', forward_to: 'channel-forward-to', greeting: 'channel-greeting', voicemail_prompt: 'channel-voicemail-prompt' },
    secrets: { auth_token: 'channel-auth-token' },
    defaults: {},
    kept: [],
    describe: (s) => 'Phone (Twilio Voice) · forwarded to ' + s.forward_to,
  },
  slack: {
    name: 'Slack',
    fields: { channel: 'channel-slack-channel', api_url: 'channel-slack-api-url' },
    secrets: { bot_token: 'channel-bot-token', signing_secret: 'channel-signing-secret' },
    defaults: { api_url: 'https://slack.com/api' },
    kept: [],
    describe: (s) => `Slack · channel ${s.channel} · handoffs posted for the team`,
  },
  freshchat: {
    name: 'Freshchat',
    fields: {
      api_url: 'channel-freshchat-api-url', channel_id: 'channel-freshchat-channel', public_key: 'channel-public-key',
      assign_timeout_seconds: 'channel-assign-timeout', on_failure: 'channel-on-failure',
    },
    numbers: ['assign_timeout_seconds'],
    secrets: { api_token: 'channel-api-token' },
    defaults: { assign_timeout_seconds: 300, on_failure: 'queue' },
    kept: [],
    describe: (s) => `Freshchat · handoffs go to Freshchat · then ${s.on_failure === 'offline' ? 'a ticket' : 'the queue'} if nobody takes one in ${s.assign_timeout_seconds} s`,
  },
};
// WhatsApp templates as the form shows them: "name language: body", one per line, a body's
// further lines indented.
function formatTemplates(templates) {
  return templates.map((t) => `${t.name} ${t.language}: ${t.body.replace(/\n/g, '\n  ')}`).join('\n');
}

function parseTemplates(text) {
  const templates = [];
  for (const line of text.split('\n')) {
    const last = templates[templates.length - 1];
    // An indented line (a blank one too) goes on the body above, without its indentation.
    if (/^\s/.test(line) && last) { last.body += '\n' + line.replace(/^( {1,2}|\t)/, ''); continue; }
    if (!line.trim()) continue;
    const m = /^\s*(\S+)\s+([^\s:]+)\s*:\s*(.*)$/.exec(line);
    // A line that does not read as a template goes as it is, for the server to say what is wrong.
    templates.push(m ? { name: m[1], language: m[2], body: m[3].trim() } : { name: line.trim(), language: '', body: '' });
  }
  for (const t of templates) t.body = t.body.replace(/\s+$/, '');
  return templates;
}

// The buttons that open the form, one per kind.
const ADD_BUTTONS = ['#channel-add', '#channel-add-sms', '#channel-add-voice', '#channel-add-email', '#channel-add-slack', '#channel-add-freshchat'];

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
    h('td', {}, h('div', { text: c.name }), h('div', { class: 'muted', text: KINDS[c.kind]?.describe(c.settings) || c.kind })),
    h('td', { text: botName.get(c.bot_id) || '—' }),
    h('td', {}, c.kind === 'email' ? h('span', { class: 'muted', text: 'None: the mailbox is read by IMAP' })
      : h('div', { class: 'secret-row' }, h('code', { class: 'url', text: c.webhook_url }),
        h('button', { type: 'button', class: 'btn small', text: 'Copy', onclick: () => copyText(c.webhook_url, 'Webhook URL') }))),
    h('td', {}, channelBadge(c)),
    h('td', {}, h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', text: 'Edit', onclick: () => openChannelForm(c, c.kind) }),
      c.kind === 'slack' || c.kind === 'voice' ? null : h('button', { type: 'button', class: 'btn small', 'data-action': 'log', text: 'Sent messages', onclick: () => showSendLog(c, null) }),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'delete', text: 'Delete', onclick: () => removeChannel(c) }))))));
  $('#channel-empty').hidden = channels.length > 0;
}

function openChannelForm(channel, kind) {
  editingChannel = channel || null;
  channelKind = channel?.kind || kind;
  const spec = KINDS[channelKind];
  const form = $('#channel-form');
  clearErrors(form);
  for (const part of form.querySelectorAll('[data-kind]')) part.hidden = !part.dataset.kind.split(' ').includes(channelKind);
  const s = channel?.settings || {};
  $('#channel-form-title').textContent = channel ? `Edit ${channel.name}` : `New ${spec.name} channel`;
  $('#channel-save').textContent = channel ? 'Save changes' : 'Add channel';
  $('#channel-name').value = channel?.name || '';
  $('#channel-name').placeholder = { email: 'Support mailbox', whatsapp: 'WhatsApp support', sms: 'SMS support', voice: 'Support hotline', slack: '#support', freshchat: 'Freshchat' }[channelKind];
  // Slack and Freshchat take a bot's handoffs; the other kinds are ways to reach the bot.
  $('label[for="channel-bot"]').textContent = { slack: 'Bot whose handoffs are posted', freshchat: 'Bot whose handoffs go to Freshchat' }[channelKind] || 'Bot that answers';
  if (channel) $('#channel-bot').value = channel.bot_id;
  for (const [name, id] of Object.entries(spec.fields)) $(`#${id}`).value = s[name] || spec.defaults[name] || '';
  spec.fill?.(s);
  for (const id of Object.values(spec.secrets)) {
    $(`#${id}`).value = '';
    $(`#${id}`).placeholder = channel ? 'Unchanged — type to replace' : '';
  }
  $('#channel-enabled').checked = channel ? channel.enabled : true;
  form.hidden = false;
  for (const button of ADD_BUTTONS) $(button).setAttribute('aria-expanded', 'true');
  $('#channel-name').focus();
}

function closeChannelForm() {
  $('#channel-form').hidden = true;
  for (const button of ADD_BUTTONS) $(button).setAttribute('aria-expanded', 'false');
  editingChannel = null;
}

async function saveChannel(e) {
  e.preventDefault();
  const form = $('#channel-form');
  clearErrors(form);
  const spec = KINDS[channelKind];
  const settings = {};
  for (const [name, id] of Object.entries(spec.fields)) {
    const value = $(`#${id}`).value.trim();
    settings[name] = (spec.numbers || []).includes(name) && value !== '' ? Number(value) : value;
  }
  for (const name of spec.kept) if (editingChannel?.settings[name]) settings[name] = editingChannel.settings[name];
  spec.read?.(settings);
  for (const [name, id] of Object.entries(spec.secrets)) {
    // Left empty while editing, the stored secret stays (the server keeps "********").
    settings[name] = $(`#${id}`).value.trim() || (editingChannel ? '********' : '');
  }
  const body = {
    kind: channelKind,
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
      toast({
        sms: 'Channel added: set its webhook URL as your Twilio number’s “A message comes in” webhook.',
        slack: 'Channel added: set its webhook URL as your Slack app’s Interactivity and Events URL.',
        voice: 'Channel added: set its webhook URL as your Twilio number’s “A call comes in” webhook.',
        freshchat: 'Channel added: set its webhook URL in Freshchat’s webhook settings.',
      }[channelKind] || 'Channel added: paste its webhook URL and verify token into your Meta app.');
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
    h('td', {}, h('div', { class: 'clip', text: d.text }), h('div', { class: 'muted', text: `to ${['whatsapp', 'sms'].includes(c.kind) ? '+' : ''}${d.recipient}${d.template ? ` · template ${d.template.name} (${d.template.language})` : ''}` })),
    h('td', {}, sendBadge(d)),
    h('td', { text: String(d.attempts) + (d.sms_segments > 1 ? ` · ${d.sms_segments} SMS parts` : '') }),
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
  $('#channel-add').addEventListener('click', () => openChannelForm(null, 'whatsapp'));
  $('#channel-add-sms').addEventListener('click', () => openChannelForm(null, 'sms'));
  $('#channel-add-slack').addEventListener('click', () => openChannelForm(null, 'slack'));
  $('#channel-add-email').addEventListener('click', () => openChannelForm(null, 'email'));
  $('#channel-add-voice').addEventListener('click', () => openChannelForm(null, 'voice'));
  $('#channel-add-freshchat').addEventListener('click', () => openChannelForm(null, 'freshchat'));
  $('#channel-cancel').addEventListener('click', closeChannelForm);
  $('#channel-form').addEventListener('submit', saveChannel);
  $('#channel-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeChannelForm(); } });
  $('#send-log-close').addEventListener('click', () => { $('#send-log').hidden = true; });
});
