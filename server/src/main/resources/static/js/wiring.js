// What the page does when a session's parts report something: the server's state and presence,
// links opening, closing or refused, and the chat's changes. Each part draws itself; this only
// says which parts an event concerns.

import { app } from './app.js';
import { nameKey } from './bytes.js';
import { $, toast } from './dom.js';
import { renderConnection } from './connection.js';
import { renderMessages, renderTyping } from './conversation.js';
import { showProgress } from './filecard.js';
import { renderGroup, renderGroups, renderGroupTyping } from './groupview.js';
import { renderHeader } from './header.js';
import { KeyChangedError } from './links.js';
import { renderPeople } from './people.js';
import { checkKey, keyChanged } from './trust.js';

/** Subscribes the page to {@code session}'s events, for as long as it is the signed-in one. */
export function wire(session) {
  const { server, links, chat, groups } = session;
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
    renderGroup();
  }));
  links.on('open', mine((peer) => {
    for (const told of session.refusals) if (told.startsWith(`${nameKey(peer)}|`)) session.refusals.delete(told);
    renderPeople();
    renderHeader();
    renderConnection();
  }));
  links.on('path', mine(() => renderHeader()));
  links.on('closed', mine(() => { renderPeople(); renderHeader(); renderConnection(); renderGroup(); }));
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
  groups.on('changed', mine((id) => {
    if (id === session.activeGroup && !document.hidden) groups.markRead(id);
    renderGroups();
    if (id === session.activeGroup) renderGroup();
  }));
  groups.on('rejected', mine((from, id, why) => toast(`Refused an entry that ${from} sent for ${groups.get(id)?.title ?? 'a group'}: ${why}.`)));
  groups.on('typing', mine((id) => id === session.activeGroup && renderGroupTyping()));
  groups.files.on('changed', mine((id) => id === session.activeGroup && renderGroup()));
  groups.files.on('progress', mine((hash, bytes, size) => showProgress(hash, bytes, size)));
  groups.files.on('damaged', mine((from, id, name) => toast(`The bytes of ${name} that ${from} sent for ${groups.get(id)?.title ?? 'a group'} were damaged: asking another member.`)));
  chat.on('typing', mine((peer) => peer === session.active && renderTyping()));
  chat.on('progress', mine((peer, id, bytes, size) => showProgress(id, bytes, size)));
  chat.on('linkError', mine((peer, e) => {
    if (e instanceof KeyChangedError) keyChanged(e);
  }));
}
