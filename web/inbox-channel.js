/*
 * Where the customer is: a chat that came in on WhatsApp says so beside the state, with the
 * customer's number, and while WhatsApp's 24-hour window is closed the composer says why a
 * reply cannot go out (WhatsApp takes only approved templates until the customer writes
 * again) instead of letting one fail. Loaded after inbox.js, which raises
 * `baton-chat-rendered` after every render of the open chat.
 */
'use strict';

const CHANNEL_NAMES = { whatsapp: 'WhatsApp', sms: 'SMS', email: 'Email', slack: 'Slack', voice: 'Phone' };
const channelViews = new Map(); // conversation id → { seq, view }: the latest read

// The team's view of the chat, read again when a message arrived since (the window moves).
async function freshChannelView(conversationId, seq) {
  const known = channelViews.get(conversationId);
  if (known && known.seq === seq) return known.view;
  try {
    const view = await api('GET', `/v1/conversations/${encodeURIComponent(conversationId)}`);
    channelViews.set(conversationId, { seq, view });
    return view;
  } catch (_) {
    return known?.view || null;
  }
}

function windowText(closesAt) {
  const left = closesAt - Date.now();
  if (left <= 0) return 'Closed';
  const hours = Math.floor(left / 3600000);
  return hours >= 1 ? `Open for ${hours} h more` : `Open for ${Math.max(1, Math.round(left / 60000))} min more`;
}

// Puts the channel, the number and the window into the chat's details, and closes the
// composer while the window is shut. Safe to call again: it replaces its own rows.
function applyChannel(view) {
  if (!view || !view.channel || view.channel === 'web') return;
  const dl = $('#chat-meta');
  dl.querySelector('[data-channel]')?.remove();
  dl.querySelector('[data-channel-window]')?.remove();
  const name = CHANNEL_NAMES[view.channel] || view.channel;
  const address = view.channel_address ? ` · +${view.channel_address}` : '';
  dl.prepend(h('div', { 'data-channel': view.channel },
    h('dt', { text: 'Channel' }), h('dd', null, h('span', { class: 'tag channel', text: name + address }))));
  if (view.reply_window_closes_at != null) {
    dl.append(h('div', { 'data-channel-window': '' },
      h('dt', { text: 'Reply window' }), h('dd', { text: windowText(view.reply_window_closes_at) })));
  }
  const closed = view.reply_window_closes_at != null && view.reply_window_closes_at <= Date.now();
  if (closed && !$('#note-mode').checked) {
    $('#chat-input').disabled = true;
    $('#chat-send').disabled = true;
    const hint = $('#composer-hint');
    hint.textContent = 'WhatsApp’s 24-hour window has closed: WhatsApp delivers only approved templates until the customer writes again. Tick Note to leave an internal note.';
    hint.hidden = false;
  }
}

async function showChannel() {
  const id = current?.conversationId;
  if (!id) return;
  // What is known now, at once, so the details never flicker; then the fresh view.
  applyChannel(channelViews.get(id)?.view);
  const seq = current.lastSeq;
  if (channelViews.get(id)?.seq === seq) return;
  await freshChannelView(id, seq);
  // Rendered again with the fresh view (from the cache, so this does not loop): the composer
  // opens or closes as the window now says.
  if (current?.conversationId === id) renderChat();
}

document.addEventListener('baton-chat-rendered', showChannel);
