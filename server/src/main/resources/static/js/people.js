// The people list (#people): everyone with a conversation, and in everyone mode everyone online;
// those who can be reached first, then by their latest message; each with an avatar, presence,
// unread count and a preview. Also the title's unread count, and the empty state when there is
// nobody to list.

import { app } from './app.js';
import { nameKey } from './bytes.js';
import { $, avatar, h, replaceChildren } from './dom.js';
import { renderGroups } from './groupview.js';

/** What a click on a person does; set by setUpPeople, so that this list needs no conversation.js. */
let choose = () => {};

/** {@code open(name)} shows the conversation with {@code name} when their row is clicked. */
export function setUpPeople(open) {
  choose = open;
}

function people() {
  const session = app.session;
  const rows = new Map();
  for (const c of session.chat.conversations.values()) rows.set(c.peer, c.peer);
  // In contacts mode the server tells only of whom we watch: our conversations, and anyone who
  // just signalled us, who is listed once a conversation starts.
  if (session.server.presenceMode !== 'contacts') {
    for (const key of session.server.online.keys()) rows.set(key, key);
  }
  const last = (peer) => session.chat.latest(peer);
  return [...rows.keys()].sort((a, b) => {
    const onlineA = session.reachable(a) ? 1 : 0;
    const onlineB = session.reachable(b) ? 1 : 0;
    if (onlineA !== onlineB) return onlineB - onlineA;
    return (last(b)?.seq || 0) - (last(a)?.seq || 0) || (a < b ? -1 : 1);
  }).map((peer) => ({ peer, last: last(peer) }));
}

export function renderPeople() {
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
        onclick: () => choose(name),
      },
      avatar(name, online),
      h('span', { class: 'person-name' }, name),
      unread ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(unread)) : h('span'),
      h('span', { class: 'person-preview' + (warning ? ' warn' : '') }, preview)));
  });
  replaceChildren($('#people'), items);
  // Nobody to list: one empty state, in the main pane (on a phone, in place of the list).
  // A group is someone to talk to as well.
  const some = list.length > 0 || session.groups.list().length > 0;
  document.body.dataset.people = some ? 'some' : 'none';
  $('#empty-choose').hidden = !some;
  $('#empty-nobody').hidden = some;
  // In contacts mode, say why someone online is not listed.
  const contacts = session.server.presenceMode === 'contacts';
  $('#people-hint').hidden = !contacts || !list.length;
  $('#empty-nobody-everyone').hidden = contacts;
  $('#empty-nobody-contacts').hidden = !contacts;
  for (const group of session.groups.list()) unreadTotal += group.unread;
  document.title = unreadTotal ? `(${unreadTotal}) Parley` : 'Parley';
  renderGroups();
}
