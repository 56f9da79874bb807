// The conversation pane: which conversation is on screen (also in the address's #fragment), its
// messages (messages.js) kept scrolled to the newest, and the typing line.

import { app } from './app.js';
import { nameKey } from './bytes.js';
import { $, replaceChildren } from './dom.js';
import { renderHeader } from './header.js';
import { timeline } from './messages.js';
import { renderPeople } from './people.js';
import { showKeyWarning } from './trust.js';

/** Shows the conversation with {@code name}, and opens a link to them unless their key changed. */
export function openConversation(name, focus) {
  const session = app.session;
  const peer = nameKey(name);
  session.active = peer;
  session.activeGroup = null;
  $('#group-view').hidden = true;
  session.chat.conversation(session.displayName(peer) === peer ? name : session.displayName(peer));
  session.chat.setActive(name);
  history.replaceState(null, '', `#${encodeURIComponent(name)}`);
  document.body.dataset.view = 'conversation';
  $('#conversation-empty').hidden = true;
  $('#conversation-view').hidden = false;
  $('#text').value = '';
  renderPeople();
  renderHeader();
  renderMessages();
  renderTyping();
  if (!session.keyChanges.has(peer)) session.chat.connect(session.displayName(peer));
  if (session.keyChanges.has(peer)) showKeyWarning(peer);
  if (focus) $('#text').focus();
}

export function closeConversation() {
  const session = app.session;
  if (session) {
    session.active = null;
    session.activeGroup = null;
    session.chat.setActive(null);
  }
  $('#group-view').hidden = true;
  history.replaceState(null, '', location.pathname);
  document.body.dataset.view = 'list';
  $('#conversation-empty').hidden = false;
  $('#conversation-view').hidden = true;
  renderPeople();
}

/** Back (the button, or Escape outside a dialog) goes to the list; coming back to the tab reads. */
export function setUpConversation() {
  $('#back').addEventListener('click', () => closeConversation());
  document.addEventListener('visibilitychange', () => {
    const session = app.session;
    if (!document.hidden && session?.active) session.chat.setActive(session.displayName(session.active));
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.dataset.view === 'conversation' && !document.querySelector('dialog[open]')) {
      closeConversation();
      document.querySelector('.person[aria-current="true"]')?.focus();
    }
  });
}

export function renderMessages() {
  const session = app.session;
  if (!session || !session.active) return;
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const c = session.chat.conversations.get(session.active);
  const items = timeline(c ? c.messages : [], {
    peerName: session.displayName(session.active),
    problem: session.chat.problem(session.active),
    fileUrl: (m) => session.fileUrl(m.key, m.blob),
  });
  replaceChildren(list, items);
  if (atBottom || list.dataset.peer !== session.active) list.scrollTop = list.scrollHeight;
  list.dataset.peer = session.active;
}

export function renderTyping() {
  const session = app.session;
  const typing = session && session.active && session.chat.typing.has(session.active);
  $('#typing').textContent = typing ? `${session.displayName(session.active)} is typing…` : '';
}
