/*
 * Files in the inbox: images in a transcript show inline, other files as a button that saves
 * them; "Attach" (or dropping a file on the transcript) sends one in a chat you hold. Files
 * are fetched with the session token (never put in a URL) and kept in memory while the page
 * is open. Loaded after inbox.js, whose appendMessage calls attachmentEl.
 */
'use strict';

const attachmentBlobs = new Map(); // attachment id → Promise of an object URL

function attachmentUrl(m) {
  const a = m.attachment;
  if (!attachmentBlobs.has(a.id)) {
    const path = `/v1/conversations/${encodeURIComponent(m.conversation_id)}/attachments/${encodeURIComponent(a.id)}`;
    const loading = fetch(path, { headers: { Authorization: 'Bearer ' + token } })
      .then((res) => {
        if (!res.ok) throw new Error(`Could not load ${a.name} (${res.status}).`);
        return res.blob();
      })
      .then((blob) => URL.createObjectURL(blob));
    loading.catch(() => attachmentBlobs.delete(a.id));
    attachmentBlobs.set(a.id, loading);
  }
  return attachmentBlobs.get(a.id);
}

const fileSize = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`);

function saveAttachment(m) {
  attachmentUrl(m).then((url) => {
    const link = h('a', { download: m.attachment.name });
    link.href = url;
    document.body.append(link);
    link.click();
    link.remove();
  }).catch((e) => toast(e.message));
}

// The body of a message that sends a file.
function attachmentEl(m) {
  const a = m.attachment;
  const chip = () => h('button', {
    type: 'button', class: 'file-chip', title: 'Save this file', onclick: () => saveAttachment(m),
  }, h('span', { class: 'file-name', text: a.name }), h('span', { class: 'muted', text: ` · ${fileSize(a.size)}` }));
  if (!a.content_type.startsWith('image/')) return h('div', { class: 'msg-file' }, chip());
  const img = h('img', { class: 'msg-image', alt: a.name, title: `${a.name} · ${fileSize(a.size)}` });
  img.addEventListener('click', () => saveAttachment(m));
  attachmentUrl(m).then((url) => { img.src = url; }).catch(() => img.replaceWith(chip()));
  return h('div', { class: 'msg-file' }, img);
}

async function sendAttachment(file) {
  if (!current || !file) return;
  const id = current.conversationId;
  const button = $('#attach-file');
  button.disabled = true;
  try {
    const query = new URLSearchParams({ name: file.name, client_id: uuid() });
    const sent = await api('POST', `/v1/conversations/${encodeURIComponent(id)}/attachments?${query}`, file);
    if (current?.conversationId === id) appendMessage(sent);
  } catch (e) {
    toast(`${file.name}: ${e.message}`);
  } finally {
    button.disabled = $('#chat-send').disabled;
  }
}

// "Attach" is there to press only where a reply could be sent (a chat you hold).
function renderAttach() {
  const hf = current?.handoff;
  const mine = !!(hf && hf.state === 'live' && me && hf.assignee?.id === me.id);
  $('#attach-file').disabled = !mine;
  $('#attach-file').hidden = !!current?.readOnly && !isOpenState(hf?.state);
}

$('#attach-file').addEventListener('click', () => { $('#attach-input').value = ''; $('#attach-input').click(); });
$('#attach-input').addEventListener('change', () => sendAttachment($('#attach-input').files[0]));
$('#messages').addEventListener('dragover', (e) => { if (!$('#attach-file').disabled) e.preventDefault(); });
$('#messages').addEventListener('drop', (e) => {
  if ($('#attach-file').disabled || !e.dataTransfer?.files?.length) return;
  e.preventDefault();
  sendAttachment(e.dataTransfer.files[0]);
});
document.addEventListener('baton-chat-rendered', renderAttach);
