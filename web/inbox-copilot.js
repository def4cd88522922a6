/*
 * The copilot in the inbox: when the chat's bot has an LLM, "Draft a reply" asks it for a
 * reply (POST …/draft) and puts it in the message box for you to edit and send; a chat you
 * claim gets a first draft by itself. Nothing is sent without you. Without an LLM the button
 * is absent. Loaded after inbox.js, which raises `baton-chat-rendered` and `baton-claimed`.
 */
'use strict';

const copilotOf = new Map(); // conversation id → whether its bot can draft

async function copilotAvailable(conversationId) {
  if (!copilotOf.has(conversationId)) {
    try {
      const view = await api('GET', `/v1/conversations/${encodeURIComponent(conversationId)}`);
      copilotOf.set(conversationId, !!view.copilot);
    } catch (_) {
      return false;
    }
  }
  return copilotOf.get(conversationId);
}

// Shown for your live chats whose bot can draft; `data-for` names the chat it was decided for.
async function showDraftButton() {
  const button = $('#draft-reply');
  const hf = current?.handoff;
  const id = current?.conversationId;
  const mineLive = !!(hf && hf.state === 'live' && me && hf.assignee?.id === me.id);
  if (button.dataset.for !== id) button.hidden = true; // never another chat's answer meanwhile
  const can = mineLive && await copilotAvailable(id);
  if (current?.conversationId !== id) return;
  button.hidden = !can;
  button.dataset.for = id;
}

async function draftReply(automatic) {
  const id = current?.conversationId;
  const input = $('#chat-input');
  if (!id) return;
  const button = $('#draft-reply');
  button.disabled = true;
  button.textContent = 'Drafting…';
  try {
    const draft = await api('POST', `/v1/conversations/${encodeURIComponent(id)}/draft`, {});
    if (current?.conversationId !== id) return;
    if (automatic && input.value.trim()) return; // you started writing meanwhile
    input.value = input.value.trim() ? `${input.value.trimEnd()}\n\n${draft.text}` : draft.text;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    toast('Draft ready: edit it, then send.');
  } catch (e) {
    if (!automatic) toast(e.message);
  } finally {
    button.disabled = false;
    button.textContent = 'Draft a reply';
  }
}

$('#draft-reply').addEventListener('click', () => draftReply(false));
document.addEventListener('baton-chat-rendered', showDraftButton);
document.addEventListener('baton-claimed', async (e) => {
  const id = e.detail?.conversationId;
  if (id && await copilotAvailable(id) && current?.conversationId === id && !$('#chat-input').value.trim()) draftReply(true);
});
