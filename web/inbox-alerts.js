/*
 * Being told in the inbox: a sound and a desktop notification when a chat starts waiting for
 * you, is offered or transferred to you, or when the visitor writes in one of your chats.
 * Each is switchable per kind in "Sounds & pop-ups" and remembered in this browser; desktop
 * notifications show only while the inbox is in the background. Loaded after inbox.js, which
 * raises `baton-alert` events ({kind, title, hf?, message?}).
 */
'use strict';

const ALERT_KEY = 'baton.alerts';
const ALERT_KINDS = {
  waiting: 'A chat starts waiting',
  offered: 'A chat is offered to me',
  transferred: 'A chat is transferred to me',
  message: 'A visitor writes in my chat',
};
// Everything on but the sound for messages, which a busy agent hears all day.
const ALERT_DEFAULTS = Object.fromEntries(Object.keys(ALERT_KINDS).map((k) => [k, { sound: k !== 'message', popup: true }]));

function alertPrefs() {
  try {
    const saved = JSON.parse(localStorage.getItem(ALERT_KEY) || '{}');
    return Object.fromEntries(Object.keys(ALERT_KINDS).map((k) => [k, { ...ALERT_DEFAULTS[k], ...(saved[k] || {}) }]));
  } catch (_) {
    return ALERT_DEFAULTS;
  }
}

let audio = null;

// A short two-note chime, made on the spot (no sound file to load).
function chime() {
  try {
    audio = audio || new AudioContext();
    const now = audio.currentTime;
    for (const [i, freq] of [[0, 880], [1, 1175]]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.16);
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.16 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.16 + 0.3);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + i * 0.16);
      tone.stop(now + i * 0.16 + 0.32);
    }
    document.body.dataset.chimed = String(Number(document.body.dataset.chimed || 0) + 1);
  } catch (_) { /* no audio here */ }
}

function popup(detail) {
  if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  const hf = detail.hf;
  const body = detail.message ? detail.message.text : `${contactName(hf)}: ${TRIGGERS[hf?.trigger] || hf?.trigger || 'needs a human'}`;
  const n = new Notification(detail.title, { body, tag: `baton-${detail.kind}-${hf?.id || detail.message?.conversation_id}` });
  n.onclick = () => {
    window.focus();
    openConversation(hf?.conversation_id || detail.message.conversation_id, hf?.id);
    n.close();
  };
}

function onAlert(e) {
  const prefs = alertPrefs()[e.detail.kind];
  if (!prefs) return;
  if (prefs.sound) chime();
  if (prefs.popup) popup(e.detail);
}

function drawAlertPrefs() {
  const prefs = alertPrefs();
  $('#notify-kinds').replaceChildren(...Object.entries(ALERT_KINDS).map(([kind, label]) => h('tr', { 'data-kind': kind },
    h('th', { scope: 'row', text: label }),
    ...['sound', 'popup'].map((how) => h('td', {}, h('input', {
      type: 'checkbox', checked: prefs[kind][how], 'aria-label': `${how === 'sound' ? 'Sound' : 'Pop-up'}: ${label}`,
      onchange: (ev) => {
        const next = alertPrefs();
        next[kind][how] = ev.target.checked;
        localStorage.setItem(ALERT_KEY, JSON.stringify(next));
        if (how === 'sound' && ev.target.checked) chime(); // how it sounds
      },
    }))))));
  const canAsk = 'Notification' in window && Notification.permission === 'default';
  $('#notify-permission').hidden = !canAsk;
  $('#notify-blocked').hidden = !('Notification' in window) || Notification.permission !== 'denied';
}

function toggleNotifyForm() {
  const form = $('#notify-form');
  if (!form.hidden) return closeNotifyForm();
  drawAlertPrefs();
  form.hidden = false;
  $('#notify-toggle').setAttribute('aria-expanded', 'true');
  form.querySelector('input')?.focus();
}

function closeNotifyForm() {
  $('#notify-form').hidden = true;
  $('#notify-toggle').setAttribute('aria-expanded', 'false');
  $('#notify-toggle').focus();
}

document.addEventListener('baton-alert', onAlert);
$('#notify-toggle').addEventListener('click', toggleNotifyForm);
$('#notify-close').addEventListener('click', closeNotifyForm);
$('#notify-form').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeNotifyForm(); } });
$('#notify-permission').addEventListener('click', async () => {
  await Notification.requestPermission();
  drawAlertPrefs();
});
