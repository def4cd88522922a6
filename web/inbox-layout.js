/*
 * The inbox on a phone shows one pane at a time: the lists, the open chat, or its contact.
 * Opening a chat shows the chat; "← Chats" goes back to the lists (the chat stays open, its
 * draft kept); "Contact" shows who they are. On a wider screen every pane shows and these
 * buttons are hidden (inbox.css). The pane is `data-pane` on the app.
 */
'use strict';

function showPane(pane) {
  $('#app-view').dataset.pane = pane;
  const focus = { list: '.side-tabs [aria-selected="true"]', chat: '#chat-contact', contact: '#contact-panel-title' }[pane];
  if (window.matchMedia('(max-width: 760px)').matches) document.querySelector(focus)?.focus?.();
}

$('#app-view').dataset.pane = 'list';
$('#pane-back').addEventListener('click', () => showPane('list'));
$('#pane-contact').addEventListener('click', () => showPane('contact'));
$('#pane-chat').addEventListener('click', () => showPane('chat'));
document.addEventListener('baton-chat-opened', () => showPane('chat'));
