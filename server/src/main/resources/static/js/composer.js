// Writing, in the one-to-one conversation and in a group (groupview.js) alike: the text box (Enter
// sends, Shift+Enter breaks the line, it grows with its text, typing is told), and files by the
// clip button or dropped on the conversation.

import { app } from './app.js';
import { $, toast } from './dom.js';

export function setUpComposer() {
  writing($('#composer'), $('#text'), {
    send: () => send(),
    typing: (hasText) => {
      const session = app.session;
      if (!session?.active) return;
      const name = session.displayName(session.active);
      if (hasText) session.chat.typed(name);
      else session.chat.stopTyping(name);
    },
  });
  attaching({ view: $('#conversation-view'), button: $('#attach'), input: $('#file-input'), overlay: $('#drop') }, (file) => {
    const session = app.session;
    return session?.active ? session.chat.sendFile(session.displayName(session.active), file) : undefined;
  });
}

/**
 * Wires a text box: {@code send()} on Enter or the form's button (it takes the text and clears the
 * box), {@code typing(hasText)} (if given) as the text changes.
 */
export function writing(form, textarea, { send, typing = () => {} }) {
  const submit = async () => {
    await send();
    grow(textarea);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener('input', () => {
    grow(textarea);
    typing(textarea.value !== '');
  });
}

/**
 * Files chosen with {@code button} (through the hidden {@code input}) or dropped anywhere on
 * {@code view} go to {@code sendFile(file)}, one at a time; {@code overlay} shows while files are
 * over the view.
 */
export function attaching({ view, button, input, overlay }, sendFile) {
  const sendFiles = async (files) => {
    for (const file of files) {
      try {
        await sendFile(file);
      } catch (e) {
        toast(`${file.name}: ${e.message}`);
      }
    }
  };
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', (event) => {
    sendFiles([...event.target.files]);
    event.target.value = '';
  });
  let depth = 0; // dragenter and dragleave come for every child crossed
  view.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  view.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  });
  view.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  view.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
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
  } catch (e) {
    toast(e.message);
  }
}

/** Fits the text box to its text, up to 144 px; then it scrolls. */
function grow(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 144)}px`;
}
