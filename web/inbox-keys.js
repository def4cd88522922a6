/*
 * Keyboard shortcuts for the inbox, listed in a help overlay (`?`). They act on the chat
 * open, through the same buttons a click would press, and only when the focus is not in a
 * field (so typing a reply never triggers one). Loaded after inbox.js.
 */
'use strict';

const SHORTCUTS = [
  ['n', 'Open the next waiting chat'],
  ['c', 'Claim the chat, or accept the offer'],
  ['d', 'Decline the offer'],
  ['t', 'Transfer the chat'],
  ['x', 'Close the chat'],
  ['m', 'Write an internal note'],
  ['r', 'Reply: to the message box'],
  ['/', 'Insert a saved reply'],
  ['s', 'Search all conversations, closed ones too'],
  ['?', 'Show these shortcuts'],
  ['Esc', 'Close this list, a picker or a form'],
];

const typingInField = (el) => el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

// Presses a chat button the way a click would, only when it is there to press.
function press(id) {
  const button = document.getElementById(id);
  if (!button || button.hidden || button.disabled) return false;
  button.click();
  return true;
}

function toComposer(prefix) {
  const input = $('#chat-input');
  if (input.disabled) return false;
  input.focus();
  if (prefix) {
    // After what is already written, never instead of it.
    input.value = input.value.trim() ? `${input.value.trimEnd()} ${prefix}` : prefix;
    input.setSelectionRange(input.value.length, input.value.length);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  return true;
}

function nextWaiting() {
  showTab(false);
  const waiting = [...document.querySelectorAll('#queue .handoff-item')];
  if (!waiting.length) {
    toast('Nobody is waiting.');
    return true;
  }
  const open = waiting.findIndex((item) => item.dataset.conversationId === current?.conversationId);
  waiting[(open + 1) % waiting.length].click();
  return true;
}

let focusBeforeShortcuts = null;

function showShortcuts() {
  focusBeforeShortcuts = document.activeElement;
  const dialog = $('#shortcuts');
  dialog.hidden = false;
  $('#shortcuts-close').focus();
}

function hideShortcuts() {
  $('#shortcuts').hidden = true;
  focusBeforeShortcuts?.focus?.();
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey || !me) return;
  if (!$('#shortcuts').hidden) {
    if (e.key === 'Escape' || e.key === '?') { e.preventDefault(); hideShortcuts(); }
    return;
  }
  if (typingInField(e.target)) return;
  const act = {
    n: nextWaiting,
    c: () => press('claim-chat'),
    d: () => press('decline-chat'),
    t: () => press('transfer-chat'),
    x: () => press('close-chat'),
    m: () => { const note = $('#note-mode'); if (!note.checked) note.click(); return toComposer(); },
    r: () => toComposer(),
    '/': () => toComposer('/'),
    s: showHistory,
    '?': () => { showShortcuts(); return true; },
  }[e.key];
  if (act && act()) e.preventDefault();
}

$('#shortcuts-list').replaceChildren(...SHORTCUTS.flatMap(([key, what]) => [h('dt', {}, h('kbd', { text: key })), h('dd', { text: what })]));
$('#shortcuts-open').addEventListener('click', showShortcuts);
$('#shortcuts-close').addEventListener('click', hideShortcuts);
$('#shortcuts').addEventListener('click', (e) => { if (e.target.id === 'shortcuts') hideShortcuts(); });
document.addEventListener('keydown', onKey);
