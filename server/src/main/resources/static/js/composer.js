// Writing to the open conversation: the text box (Enter sends, Shift+Enter breaks the line, it
// grows with its text, typing is told to the peer), and files by the clip button or dropped.

import { app } from './app.js';
import { $, toast } from './dom.js';

export function setUpComposer() {
  $('#composer').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  const text = $('#text');
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  text.addEventListener('input', () => {
    grow(text);
    const session = app.session;
    if (!session?.active) return;
    const name = session.displayName(session.active);
    if (text.value) session.chat.typed(name);
    else session.chat.stopTyping(name);
  });
  $('#attach').addEventListener('click', () => $('#file-input').click());
  $('#file-input').addEventListener('change', (event) => {
    sendFiles([...event.target.files]);
    event.target.value = '';
  });
  setUpDrop();
}

/** Files dropped anywhere on the conversation are sent; #drop shows while they are over it. */
function setUpDrop() {
  const view = $('#conversation-view');
  let depth = 0; // dragenter and dragleave come for every child crossed
  view.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    depth++;
    $('#drop').hidden = false;
  });
  view.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  });
  view.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) $('#drop').hidden = true;
  });
  view.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    $('#drop').hidden = true;
    sendFiles([...(event.dataTransfer?.files || [])]);
  });
}

async function send() {
  const session = app.session;
  const input = $('#text');
  const text = input.value;
  if (!session || !session.active || !text.trim()) return;
  try {
    await session.chat.sendText(session.displayName(session.active), text);
    input.value = '';
    grow(input);
  } catch (e) {
    toast(e.message);
  }
}

async function sendFiles(files) {
  const session = app.session;
  if (!session || !session.active) return;
  for (const file of files) {
    try {
      await session.chat.sendFile(session.displayName(session.active), file);
    } catch (e) {
      toast(`${file.name}: ${e.message}`);
    }
  }
}

/** Fits the text box to its text, up to 144 px; then it scrolls. */
function grow(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 144)}px`;
}
