// The open conversation's header: the peer's name, how the link goes (#peer-path), what the link
// does (#peer-status), the banner of a key change not yet accepted, and the Verify button's state.

import { app } from './app.js';
import { $, h, replaceChildren, toast } from './dom.js';

export function renderHeader() {
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

/** The path badge says how the link goes; a click or tap shows the candidate pair as a toast. */
export function setUpHeader() {
  $('#peer-path').addEventListener('click', (event) => toast(event.currentTarget.title));
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
