// The web client: sign-in, people, conversations, files, verification. Wires the server
// connection, the links and the chat engine to the page; everything shown is set as text.

import { nameKey } from './bytes.js';
import { Chat } from './chat.js';
import { openDb } from './db.js';
import { NAME, NAME_RULE } from './directory.js';
import { $, formatBytes, h, replaceChildren, toast } from './dom.js';
import { Identity } from './identity.js';
import { KeyChangedError, Links } from './links.js';
import { timeline } from './messages.js';
import { setUpNewConversation } from './newconversation.js';
import { Pins } from './pins.js';
import { safetyNumber } from './safety.js';
import { ServerConnection } from './server.js';

const app = { store: null, session: null };
window.parley = app; // for the curious and the end-to-end tests

class Session {
  constructor(store, identity) {
    this.store = store;
    this.identity = identity;
    this.account = nameKey(identity.name);
    this.server = new ServerConnection(websocketUrl(), identity);
    this.pins = new Pins(store, this.account);
    this.links = new Links(this.server, identity, this.pins);
    this.chat = new Chat(store, this.account, this.links);
    this.active = null; // the peer key on screen
    this.keyChanges = new Map(); // peer key -> KeyChangedError not yet accepted
    this.warned = new Set();
    this.refusals = new Set(); // `${peer key}|${reason}` told since the last link to them opened
    this.verified = new Map(); // peer key -> key marked as verified
    this.fileUrls = new Map(); // message key -> object URL
  }

  async load() {
    await this.pins.load();
    await this.chat.load();
    this.verified = new Map(Object.entries((await this.store.setting(`verified|${this.account}`)) || {}));
  }

  name() {
    return this.server.name;
  }

  displayName(peer) {
    return this.server.online.get(peer)?.name || this.chat.conversations.get(peer)?.name || peer;
  }

  /**
   * Whether {@code peer} can be reached now: over an open link, whatever the server says (it may be
   * what went away), or online by the word of a server we are connected to.
   */
  reachable(peer) {
    return this.links.isOpen(peer) || (this.server.state === 'online' && this.server.online.has(peer));
  }

  /** Whether the user marked the key pinned for {@code peer} as verified. */
  isVerified(peer) {
    const pinned = this.pins.pinned(peer);
    return pinned !== undefined && this.verified.get(peer) === pinned;
  }

  /** Marks {@code key} as the verified key of {@code peer}, or (null) takes the mark back. */
  async setVerified(peer, key) {
    if (key) this.verified.set(peer, key);
    else this.verified.delete(peer);
    await this.store.setSetting(`verified|${this.account}`, Object.fromEntries(this.verified));
  }

  stop() {
    this.links.closeAll();
    this.chat.stop();
    this.server.stop();
    for (const url of this.fileUrls.values()) URL.revokeObjectURL(url);
  }
}

function websocketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

// ---------------------------------------------------------------- sign-in

async function boot() {
  $('#signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('#signin-name').value.trim(), false);
  });
  if (!window.isSecureContext || !window.crypto?.subtle || !window.indexedDB) {
    showSignIn(
      'This page needs a secure context for its keys: open it at https://, or at http://localhost on this machine.',
    );
    return;
  }
  try {
    app.store = await openDb();
  } catch (e) {
    showSignIn(`This browser will not store data for this page (${e.message}). A private window may be the cause.`);
    return;
  }
  const last = await app.store.setting('lastAccount');
  if (last) await signIn(last, true);
  else showSignIn();
}

function showSignIn(error, name) {
  $('#app').hidden = true;
  $('#signin').hidden = false;
  if (name !== undefined) $('#signin-name').value = name;
  const box = $('#signin-error');
  box.hidden = !error;
  box.textContent = error || '';
  $('#signin-button').disabled = false;
  $('#signin-button').textContent = 'Sign in';
  $('#signin-name').setAttribute('aria-invalid', error ? 'true' : 'false');
  $('#signin-name').focus();
}

async function signIn(name, automatic) {
  if (!NAME.test(name)) {
    showSignIn(NAME_RULE, name);
    return;
  }
  $('#signin-button').disabled = true;
  $('#signin-button').textContent = 'Signing in…';
  let identity;
  try {
    identity = await Identity.forName(app.store, name);
  } catch (e) {
    showSignIn(`This browser cannot make an Ed25519 identity key (${e.message}). Please use a current browser.`, name);
    return;
  }
  const session = new Session(app.store, identity);
  await session.load();
  app.session = session;
  wire(session);
  let shown = false;
  const show = () => {
    if (shown || app.session !== session) return;
    shown = true;
    app.store.setSetting('lastAccount', name);
    showApp(session);
  };
  session.server.on('welcome', show);
  // Signed in before: the history is here even while the server cannot be reached.
  session.server.on('disconnected', () => (automatic ? show() : undefined));
  session.server.on('state', (state) => state === 'reconnecting' && (automatic || session.server.attempt > 1) && show());
  session.server.on('refused', (code, message) => {
    session.stop();
    app.session = null;
    if (automatic) app.store.setSetting('lastAccount', null);
    showSignIn(
      code === 'name_taken'
        ? `The name “${name}” belongs to someone else: it is registered to another identity key, made in another browser or on another device. Choose another name, or sign in from that browser.`
        : `The server refused to sign you in: ${message}`,
      name,
    );
  });
  session.server.start();
}

function signOut() {
  app.session?.stop();
  app.session = null;
  app.store.setSetting('lastAccount', null);
  history.replaceState(null, '', location.pathname);
  document.title = 'Parley';
  showSignIn(undefined, '');
}

// ---------------------------------------------------------------- wiring

function wire(session) {
  const { server, links, chat } = session;
  const mine = (fn) => (...args) => app.session === session && fn(...args);
  // Whether people can be reached, as shown, depends on the server being there (renderHeader).
  server.on('state', mine(() => { renderConnection(); renderPeople(); renderHeader(); }));
  server.on('replaced', mine(() => renderConnection()));
  server.on('welcome', mine(() => {
    $('#me-name').textContent = server.name;
    chat.deliverAll();
  }));
  server.on('presence', mine((joined) => {
    for (const user of joined) checkKey(user.name, user.publicKey);
    chat.deliverAll();
    renderPeople();
    renderHeader();
  }));
  links.on('open', mine((peer) => {
    for (const told of session.refusals) if (told.startsWith(`${nameKey(peer)}|`)) session.refusals.delete(told);
    renderPeople();
    renderHeader();
    renderConnection();
  }));
  links.on('path', mine(() => renderHeader()));
  links.on('closed', mine(() => { renderPeople(); renderHeader(); renderConnection(); }));
  links.on('keyChanged', mine((e) => keyChanged(e)));
  links.on('refused', mine((peer, reason) => {
    // Links are tried again after a wait: say it once, not at every try.
    if (session.refusals.has(`${nameKey(peer)}|${reason}`)) return;
    session.refusals.add(`${nameKey(peer)}|${reason}`);
    if (reason === 'key_changed') toast(`${peer} refused the link: your key is not the one they pinned for you. They must accept it first.`);
    else if (reason === 'bad_fingerprint') toast(`${peer} could not verify this link.`);
  }));
  chat.on('changed', mine((peer) => {
    renderPeople();
    if (peer === session.active) renderMessages();
  }));
  chat.on('typing', mine((peer) => peer === session.active && renderTyping()));
  chat.on('progress', mine((peer, id, bytes, size) => {
    const bar = document.querySelector(`progress[data-id="${CSS.escape(id.toLowerCase())}"]`);
    if (bar) {
      bar.max = size;
      bar.value = bytes;
      bar.setAttribute('aria-valuetext', `${formatBytes(bytes)} of ${formatBytes(size)}`);
    }
  }));
  chat.on('linkError', mine((peer, e) => {
    if (e instanceof KeyChangedError) keyChanged(e);
  }));
}

function checkKey(peer, presented) {
  const session = app.session;
  const pinned = session.pins.pinned(peer);
  if (pinned !== undefined && pinned !== presented) {
    keyChanged(new KeyChangedError(peer, pinned, presented));
  } else {
    session.keyChanges.delete(nameKey(peer));
  }
}

function keyChanged(e) {
  const session = app.session;
  const peer = nameKey(e.peer);
  const known = session.keyChanges.get(peer);
  session.keyChanges.set(peer, e);
  renderPeople();
  renderHeader();
  if (!known || known.presented !== e.presented || !session.warned.has(`${peer}|${e.presented}`)) {
    session.warned.add(`${peer}|${e.presented}`);
    showKeyWarning(peer);
  }
}

// ---------------------------------------------------------------- the page

function showApp(session) {
  $('#signin').hidden = true;
  $('#app').hidden = false;
  $('#me-name').textContent = session.name();
  renderConnection();
  renderPeople();
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted && (session.chat.conversations.has(nameKey(wanted)) || session.server.isOnline(wanted))) {
    openConversation(wanted, false);
  } else {
    closeConversation();
  }
}

function renderConnection() {
  const session = app.session;
  if (!session) return;
  const box = $('#connection');
  const server = session.server;
  const anyLink = [...session.links.links.values()].some((link) => link.isOpen());
  let text;
  let state = server.state;
  $('#retry').hidden = true;
  clearTimeout(renderConnection.timer);
  switch (server.state) {
    case 'online':
      text = 'Online';
      break;
    case 'connecting':
      text = 'Connecting…';
      break;
    case 'reconnecting': {
      const wait = Math.max(0, Math.ceil((server.nextAttempt - Date.now()) / 1000));
      text = server.nextAttempt && wait > 0 ? `Server unreachable · retrying in ${wait} s` : 'Reconnecting…';
      if (anyLink) text += ' · direct chats still work';
      $('#retry').hidden = !(wait > 0);
      renderConnection.timer = setTimeout(renderConnection, 1000);
      break;
    }
    default:
      if (server.replaced) {
        state = 'replaced';
        text = 'Signed in in another tab or browser';
        $('#retry').hidden = false;
      } else {
        text = 'Offline';
      }
  }
  box.dataset.state = state;
  $('#connection-text').textContent = text;
}

function people() {
  const session = app.session;
  const rows = new Map();
  for (const c of session.chat.conversations.values()) rows.set(c.peer, c.peer);
  for (const key of session.server.online.keys()) rows.set(key, key);
  const last = (peer) => {
    const c = session.chat.conversations.get(peer);
    return c && c.messages.length ? c.messages[c.messages.length - 1] : null;
  };
  return [...rows.keys()].sort((a, b) => {
    const onlineA = session.reachable(a) ? 1 : 0;
    const onlineB = session.reachable(b) ? 1 : 0;
    if (onlineA !== onlineB) return onlineB - onlineA;
    return (last(b)?.seq || 0) - (last(a)?.seq || 0) || (a < b ? -1 : 1);
  }).map((peer) => ({ peer, last: last(peer) }));
}

function renderPeople() {
  const session = app.session;
  if (!session) return;
  const list = people();
  let unreadTotal = 0;
  const items = list.map(({ peer, last }) => {
    const name = session.displayName(peer);
    const online = session.reachable(peer);
    const unread = session.chat.conversations.get(peer)?.unread || 0;
    unreadTotal += unread;
    const warning = session.keyChanges.has(peer);
    let preview;
    if (warning) preview = 'Identity key changed';
    else if (last) preview = `${last.dir === 'out' ? 'You: ' : ''}${last.kind === 'file' ? `File: ${last.file.name}` : last.text}`;
    else preview = online ? 'Online' : 'Offline';
    const label = `${name}, ${online ? 'online' : 'offline'}${unread ? `, ${unread} unread` : ''}`;
    return h('li', {},
      h('button', {
        class: 'person', type: 'button', 'aria-label': label,
        'aria-current': peer === session.active ? 'true' : 'false',
        dataset: { peer },
        onclick: () => openConversation(name, true),
      },
      avatar(name, online),
      h('span', { class: 'person-name' }, name),
      unread ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(unread)) : h('span'),
      h('span', { class: 'person-preview' + (warning ? ' warn' : '') }, preview)));
  });
  replaceChildren($('#people'), items);
  // Nobody to list: one empty state, in the main pane (on a phone, in place of the list).
  document.body.dataset.people = list.length ? 'some' : 'none';
  $('#empty-choose').hidden = !list.length;
  $('#empty-nobody').hidden = !!list.length;
  document.title = unreadTotal ? `(${unreadTotal}) Parley` : 'Parley';
}

function avatar(name, online) {
  let hash = 0;
  for (const c of nameKey(name)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const box = h('span', { class: 'avatar', 'aria-hidden': 'true' }, name.slice(0, 1),
    h('span', { class: 'presence', dataset: { online: String(online) } }));
  box.style.background = `hsl(${hue} 55% 48%)`;
  return box;
}

function openConversation(name, focus) {
  const session = app.session;
  const peer = nameKey(name);
  session.active = peer;
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

function closeConversation() {
  const session = app.session;
  if (session) {
    session.active = null;
    session.chat.setActive(null);
  }
  history.replaceState(null, '', location.pathname);
  document.body.dataset.view = 'list';
  $('#conversation-empty').hidden = false;
  $('#conversation-view').hidden = true;
  renderPeople();
}

function renderHeader() {
  const session = app.session;
  if (!session || !session.active) return;
  const peer = session.active;
  const name = session.displayName(peer);
  $('#peer-name').textContent = name;
  const link = session.links.get(name);
  const open = link?.isOpen() === true;
  const verified = session.isVerified(peer);
  renderPath(open ? link.path : null);
  renderStatus(session, peer, link, verified);
  const change = session.keyChanges.get(peer);
  $('#key-banner').hidden = !change;
  if (change) {
    $('#key-banner-text').textContent = `${name}'s identity key has changed. Nothing is sent to them until you accept the new key.`;
  }
  $('#verify').dataset.verified = String(verified);
  $('#verify').querySelector('span').textContent = verified ? 'Verified' : 'Verify';
  $('#verify').setAttribute('aria-label', verified ? 'Verified: show the safety number' : 'Verify safety number');
}

/**
 * The line under the peer's name, in {@code data-state}: {@code connected} (a link is open: it
 * works whatever the server says, and is called verified only once the user compared safety
 * numbers), {@code connecting}, {@code online}, {@code offline}, or {@code unknown} (no link, and
 * no server to say whether they are online).
 */
function renderStatus(session, peer, link, verified) {
  const status = $('#peer-status');
  const live = (text) => h('span', { class: 'live' }, text);
  const serverUp = session.server.state === 'online';
  const online = serverUp && session.server.online.has(peer);
  let state;
  let parts;
  if (link?.isOpen()) {
    state = 'connected';
    parts = [live('Connected'), verified ? ' · end-to-end encrypted · verified' : ' · end-to-end encrypted'];
  } else if (link && !link.ended) {
    state = 'connecting';
    parts = online ? [live('Online'), ' · connecting…'] : ['Connecting…'];
  } else if (online) {
    state = 'online';
    parts = [live('Online')];
  } else if (!serverUp) {
    state = 'unknown';
    parts = ['Not connected · messages wait in your outbox']; // the top bar says why
  } else {
    state = 'offline';
    parts = ['Offline · messages wait in your outbox until they are back'];
  }
  status.dataset.state = state;
  replaceChildren(status, parts);
}

/** The badge next to the peer's name: how the open link goes, the candidate pair in its title. */
function renderPath(path) {
  const badge = $('#peer-path');
  badge.hidden = !path;
  if (!path) return;
  badge.textContent = path.words;
  badge.dataset.kind = path.kind;
  badge.title = path.text;
  badge.setAttribute('aria-label', `Link: ${path.words}. Show how it goes`);
}

function renderMessages() {
  const session = app.session;
  if (!session || !session.active) return;
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const c = session.chat.conversations.get(session.active);
  const items = timeline(c ? c.messages : [], {
    peerName: session.displayName(session.active),
    problem: session.chat.problem(session.active),
    fileUrl: (m) => fileUrl(session, m),
  });
  replaceChildren(list, items);
  if (atBottom || list.dataset.peer !== session.active) list.scrollTop = list.scrollHeight;
  list.dataset.peer = session.active;
}

/** A received file's object URL, made once per message. */
function fileUrl(session, m) {
  let url = session.fileUrls.get(m.key);
  if (!url) {
    url = URL.createObjectURL(m.blob);
    session.fileUrls.set(m.key, url);
  }
  return url;
}

function renderTyping() {
  const session = app.session;
  const typing = session && session.active && session.chat.typing.has(session.active);
  $('#typing').textContent = typing ? `${session.displayName(session.active)} is typing…` : '';
}

// ---------------------------------------------------------------- verification

async function showSafety() {
  const session = app.session;
  const peer = session.active;
  const name = session.displayName(peer);
  let key = session.pins.pinned(peer);
  if (key === undefined && session.server.keyOf(name)) {
    key = session.pins.trust(name, session.server.keyOf(name));
  }
  $('#safety-peer').textContent = name;
  $('#safety-peer-2').textContent = name;
  const box = $('#safety-number');
  if (key === undefined) {
    replaceChildren(box, `The number appears once ${name} has been online.`);
    $('#safety-verified').hidden = true;
  } else {
    const number = await safetyNumber(session.name(), session.identity.publicKey, name, key);
    replaceChildren(box, number.split(' ').map((group) => h('span', {}, group)));
    box.setAttribute('aria-label', `Safety number: ${number}`);
    box.dataset.number = number;
    const verified = session.verified.get(peer) === key;
    $('#safety-state').textContent = verified ? `You marked ${name} as verified.` : '';
    $('#safety-verified').hidden = verified;
    $('#safety-unverified').hidden = !verified;
  }
  if (key === undefined) $('#safety-unverified').hidden = true;
  const dialog = $('#safety-dialog');
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (key === undefined || app.session !== session) return;
    if (dialog.returnValue === 'verified') {
      await session.setVerified(peer, key);
      renderHeader();
      // A mark made by mistake is one click away from undone, as well as in this dialog.
      toast(`You marked ${name} as verified.`, {
        label: 'Undo',
        run: async () => {
          await session.setVerified(peer, null);
          renderHeader();
        },
      });
    } else if (dialog.returnValue === 'unverified') {
      await session.setVerified(peer, null);
      renderHeader();
      toast(`${name} is no longer marked as verified.`);
    }
  };
  dialog.showModal();
}

async function showKeyWarning(peer) {
  const session = app.session;
  const change = session.keyChanges.get(peer);
  const dialog = $('#key-dialog');
  if (!change || dialog.open) return;
  const name = session.displayName(peer);
  $('#key-title-text').textContent = `${name}'s identity key has changed`;
  $('#key-text').textContent =
    `The server now presents a different identity key for ${name} than the one this browser pinned. ` +
    `They may have a new device or reinstalled, or someone may be trying to pose as them. ` +
    `Check with ${name} in person or over another channel before you accept.`;
  const number = await safetyNumber(session.name(), session.identity.publicKey, name, change.presented);
  replaceChildren($('#key-safety'), number.split(' ').map((group) => h('span', {}, group)));
  $('#key-safety').dataset.number = number;
  dialog.returnValue = '';
  dialog.onclose = () => {
    if (dialog.returnValue !== 'accept') return;
    session.pins.accept(name, change.presented);
    session.keyChanges.delete(peer);
    session.setVerified(peer, null);
    renderPeople();
    renderHeader();
    session.chat.deliverAll();
    if (session.active === peer) session.chat.connect(name);
  };
  dialog.showModal();
}

// ---------------------------------------------------------------- composing

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

function grow(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 144)}px`;
}

function setUpPage() {
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
  const view = $('#conversation-view');
  let depth = 0;
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
  $('#back').addEventListener('click', () => closeConversation());
  $('#peer-path').addEventListener('click', (event) => toast(event.currentTarget.title));
  $('#verify').addEventListener('click', () => showSafety());
  setUpNewConversation(() => app.session, (name) => openConversation(name, true));
  $('#key-banner-review').addEventListener('click', () => showKeyWarning(app.session.active));
  $('#signout').addEventListener('click', () => signOut());
  $('#retry').addEventListener('click', () => {
    const server = app.session?.server;
    if (!server) return;
    if (server.replaced) {
      server.replaced = false;
      server.start();
    } else {
      server.retryNow();
    }
  });
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

setUpPage();
boot();
