/*
 * Typing in the inbox, both ways. The contact typing shows under the transcript of their chat
 * ("Cleo is typing…"), with what they have typed so far when "Preview" is ticked (remembered
 * in this browser). While you write a reply (not a note) in a chat you hold, the contact is
 * told you are typing: at most every 1.5 s, and that you stopped after 3 s or when you send.
 * Loaded after inbox.js, which hands typing frames over as `baton-typing` events.
 */
'use strict';

const PREVIEW_KEY = 'baton.typingPreview';
const typing = { sentAt: 0, idle: 0, to: null, hideTimer: 0 };

function holdsCurrentChat() {
  const hf = current?.handoff;
  return !!(hf && hf.state === 'live' && me && hf.assignee?.id === me.id);
}

function tellTyping(conversationId, isTyping) {
  api('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/typing`, { typing: isTyping }).catch(() => {});
}

function stopTyping() {
  clearTimeout(typing.idle);
  if (typing.sentAt && typing.to) tellTyping(typing.to, false);
  typing.sentAt = 0;
  typing.to = null;
}

function onReplyInput() {
  if ($('#note-mode').checked || !holdsCurrentChat() || !$('#chat-input').value.trim()) return;
  clearTimeout(typing.idle);
  typing.idle = setTimeout(stopTyping, 3000);
  if (Date.now() - typing.sentAt < 1500 && typing.to === current.conversationId) return;
  typing.sentAt = Date.now();
  typing.to = current.conversationId;
  tellTyping(typing.to, true);
}

function hideContactTyping() {
  clearTimeout(typing.hideTimer);
  $('#contact-typing').hidden = true;
}

function onTypingFrame(e) {
  const d = e.detail || {};
  if (d.author?.kind !== 'contact' || d.conversation_id !== current?.conversationId) return;
  if (!d.typing) return hideContactTyping();
  $('#contact-typing-who').textContent = `${d.author.name || 'The visitor'} is typing…`;
  const preview = $('#typing-preview').checked && d.draft ? d.draft : '';
  $('#contact-typing-draft').textContent = preview;
  $('#contact-typing-draft').hidden = !preview;
  $('#contact-typing').hidden = false;
  clearTimeout(typing.hideTimer);
  typing.hideTimer = setTimeout(hideContactTyping, 6000);
}

$('#typing-preview').checked = localStorage.getItem(PREVIEW_KEY) !== 'off';
$('#typing-preview').addEventListener('change', (e) => {
  localStorage.setItem(PREVIEW_KEY, e.target.checked ? 'on' : 'off');
  if (!e.target.checked) $('#contact-typing-draft').hidden = true;
});
$('#chat-input').addEventListener('input', onReplyInput);
$('#composer').addEventListener('submit', stopTyping, true);
$('#chat-input').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) stopTyping(); }, true);
document.addEventListener('baton-typing', onTypingFrame);
// A message from the contact ends their typing; another chat opened hides it.
new MutationObserver(() => hideContactTyping()).observe($('#messages'), { childList: true });
