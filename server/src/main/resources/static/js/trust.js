// Trust in a peer's key, as the page shows it: the safety-number dialog where the user marks a
// peer as verified (or takes the mark back), and the warning when the server presents a key other
// than the one pinned, which holds everything to that peer back until the user accepts it.

import { app } from './app.js';
import { nameKey } from './bytes.js';
import { $, h, replaceChildren, toast } from './dom.js';
import { renderHeader } from './header.js';
import { KeyChangedError } from './links.js';
import { renderPeople } from './people.js';
import { safetyNumber } from './safety.js';

export function setUpTrust() {
  $('#verify').addEventListener('click', () => showSafety());
  $('#key-banner-review').addEventListener('click', () => showKeyWarning(app.session.active));
}

/** The server presents {@code presented} as {@code peer}'s key: a warning if another is pinned. */
export function checkKey(peer, presented) {
  const session = app.session;
  const pinned = session.pins.pinned(peer);
  if (pinned !== undefined && pinned !== presented) {
    keyChanged(new KeyChangedError(peer, pinned, presented));
  } else {
    session.keyChanges.delete(nameKey(peer));
  }
}

/** A key change (KeyChangedError): marked in the list and header, and warned of once per key. */
export function keyChanged(e) {
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
    replaceChildren(box, groups(number));
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

/** The dialog about {@code peer}'s changed key, if it has one not yet accepted. */
export async function showKeyWarning(peer) {
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
  replaceChildren($('#key-safety'), groups(number));
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

/** A safety number's twelve groups, one element each, for the style sheet to lay out in rows. */
function groups(number) {
  return number.split(' ').map((group) => h('span', {}, group));
}
