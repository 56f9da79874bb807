// Groups on the page: their rows in the sidebar beside the people, the "New group" dialog, and a
// group's conversation: its entries in the shared order with their authors (files with what we
// have of their bytes), "delivered to k of n" under ours, who is typing, and the members with
// their presence (an admin adds and removes them).

import { app } from './app.js';
import { nameKey } from './bytes.js';
import { attaching, writing } from './composer.js';
import { findUser, LookupError } from './directory.js';
import { $, avatar, formatTime, h, icon, replaceChildren, toast } from './dom.js';
import { fileCard, percent } from './filecard.js';
import { MAX_FILE_BYTES } from './files.js';
import { isChange, MAX_MEMBERS } from './grouplog.js';

/** What shows the list and hides both conversation panes; set by setUpGroups. */
let leaveView = () => {};

/** Wires the group controls; {@code closeOthers()} hides the one-to-one conversation. */
export function setUpGroups(closeOthers) {
  leaveView = closeOthers;
  const dialog = $('#group-dialog');
  $('#new-group').addEventListener('click', () => {
    if (!app.session) return;
    $('#group-name').value = '';
    $('#group-people').value = '';
    showError('#group-error', '');
    dialog.showModal();
    $('#group-name').focus();
  });
  $('#group-cancel').addEventListener('click', () => dialog.close());
  $('#group-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy($('#group-create'), 'Creating…', async () => {
      const session = app.session;
      const names = $('#group-people').value.split(/[\s,]+/).filter(Boolean);
      if (!$('#group-name').value.trim()) throw new LookupError('Give the group a title.');
      if (names.length + 1 > MAX_MEMBERS) throw new LookupError(`A group has at most ${MAX_MEMBERS} members, you included.`);
      const members = [];
      for (const name of names) if (nameKey(name) !== session.account) members.push(await memberKey(session, name));
      const id = await session.groups.create($('#group-name').value.trim(), members);
      dialog.close();
      openGroup(id);
    }, '#group-error');
  });
  writing($('#group-composer'), $('#group-text'), {
    send: () => sendText(),
    typing: (hasText) => {
      const session = app.session;
      if (!session?.activeGroup) return;
      if (hasText) session.groups.typed(session.activeGroup);
      else session.groups.stopTyping(session.activeGroup);
    },
  });
  attaching({ view: $('#group-view'), button: $('#group-attach'), input: $('#group-file-input'), overlay: $('#group-drop') }, (file) => {
    const session = app.session;
    return session?.activeGroup ? session.groups.sendFile(session.activeGroup, file) : undefined;
  });
  $('#add-member').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.submitter || $('#add-member button'), 'Adding…', async () => {
      const session = app.session;
      const { name, key } = await memberKey(session, $('#add-member-name').value.trim());
      await session.groups.addMember(session.activeGroup, name, key);
      $('#add-member-name').value = '';
    }, '#add-member-error');
  });
  $('#group-leave').addEventListener('click', async () => {
    const session = app.session;
    if (!session?.activeGroup || !confirm(`Leave “${session.groups.get(session.activeGroup).title}”? You will get nothing written after you leave.`)) return;
    try {
      await session.groups.leave(session.activeGroup);
    } catch (e) {
      toast(e.message);
    }
  });
  $('#group-back').addEventListener('click', () => closeGroup());
}

/** The name in its registered spelling and the identity key to give it: the one pinned, else the directory's (pinned now). */
async function memberKey(session, typed) {
  const pinned = session.pins.pinned(typed);
  const online = session.server.online.get(nameKey(typed));
  if (pinned && online) return { name: online.name, key: pinned };
  const user = online ? { name: online.name, publicKey: online.publicKey } : await findUser(typed);
  return { name: user.name, key: session.pins.trust(user.name, user.publicKey) };
}

async function busy(button, label, work, errorBox) {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = label;
  showError(errorBox, '');
  try {
    await work();
  } catch (e) {
    showError(errorBox, e.message);
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

function showError(selector, error) {
  $(selector).hidden = !error;
  $(selector).textContent = error;
}

async function sendText() {
  const session = app.session;
  const input = $('#group-text');
  if (!session?.activeGroup || !input.value.trim()) return;
  try {
    await session.groups.send(session.activeGroup, input.value);
    input.value = '';
  } catch (e) {
    toast(e.message);
  }
}

export function openGroup(id) {
  const session = app.session;
  leaveView();
  session.activeGroup = id;
  history.replaceState(null, '', `#group/${id}`);
  document.body.dataset.view = 'conversation';
  $('#conversation-empty').hidden = true;
  $('#conversation-view').hidden = true;
  $('#group-view').hidden = false;
  $('#group-messages').dataset.group = '';
  session.groups.markRead(id);
  renderGroups();
  renderGroup();
  $('#group-text').focus();
}

export function closeGroup() {
  const session = app.session;
  if (session) session.activeGroup = null;
  $('#group-view').hidden = true;
  history.replaceState(null, '', location.pathname);
  document.body.dataset.view = 'list';
  $('#conversation-empty').hidden = false;
  renderGroups();
}

/** The groups in the sidebar, the one with the latest entry first. */
export function renderGroups() {
  const session = app.session;
  if (!session) return;
  const items = session.groups.list().map((group) => {
    const last = session.groups.shown(group.id).at(-1);
    const online = [...group.members().keys()].filter((m) => m !== session.account && session.reachable(m)).length;
    const label = `${group.title}, group${group.unread ? `, ${group.unread} unread` : ''}`;
    return h('li', {},
      h('button', {
        class: 'person', type: 'button', 'aria-label': label,
        'aria-current': group.id === session.activeGroup ? 'true' : 'false',
        dataset: { group: group.id },
        onclick: () => openGroup(group.id),
      },
      avatar(group.title, online > 0),
      h('span', { class: 'person-name' }, group.title),
      group.unread ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(group.unread)) : h('span'),
      h('span', { class: 'person-preview' }, last ? preview(session, last.entry) : '')));
  });
  replaceChildren($('#groups'), items);
}

function preview(session, entry) {
  const who = nameKey(entry.author) === session.account ? 'You' : entry.author;
  if (entry.op === 'message') return `${who}: ${entry.text}`;
  if (entry.op === 'file') return `${who} shared ${entry.name}`;
  return change(session, entry);
}

/** A change of the group, in words. */
function change(session, entry) {
  const who = nameKey(entry.author) === session.account ? 'You' : entry.author;
  switch (entry.op) {
    case 'create': return `${who} created the group`;
    case 'add': return `${who} added ${entry.member}`;
    case 'remove': return `${who} removed ${entry.member}`;
    case 'admin': return `${who} made ${entry.member} an admin`;
    default: return `${who} left`;
  }
}

/** The open group: header, entries, members. */
export function renderGroup() {
  const session = app.session;
  const id = session?.activeGroup;
  const group = id && session.groups.get(id);
  if (!group) return;
  const members = group.members();
  const joined = members.has(session.account);
  // Counted as the member list shows them: we too, while the server has us.
  const online = [...members.keys()].filter((m) =>
    m === session.account ? session.server.state === 'online' : session.reachable(m)).length;
  $('#group-title').textContent = group.title;
  $('#group-status').textContent = joined
    ? `${members.size} members · ${online} online`
    : 'You are no longer a member: nothing new reaches you';
  $('#group-leave').hidden = !joined;
  $('#group-composer').hidden = !joined;
  renderEntries(session, group);
  renderGroupTyping();
  renderMembers(session, group, members);
}

/** Who is typing in the open group, under its entries. */
export function renderGroupTyping() {
  const session = app.session;
  const id = session?.activeGroup;
  const group = id && session.groups.get(id);
  if (!group) return;
  const members = group.members();
  const names = session.groups.typing.typists(id).map((key) => members.get(key).name);
  let text = '';
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
  else if (names.length > 2) text = `${names.length} people are typing…`;
  $('#group-typing').textContent = text;
}

function renderEntries(session, group) {
  const list = $('#group-messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const nodes = session.groups.shown(group.id);
  const items = [];
  let previous = null;
  for (const node of nodes) {
    const { entry } = node;
    if (isChange(entry)) {
      items.push(h('li', { class: 'change', dataset: { hash: node.hash } }, `${change(session, entry)} · ${formatTime(entry.ts)}`));
      previous = null;
      continue;
    }
    const mine = nameKey(entry.author) === session.account;
    const meta = [h('time', { datetime: new Date(entry.ts).toISOString() }, formatTime(entry.ts))];
    if (mine) {
      const { delivered, of } = session.groups.delivery(group, node);
      const state = of && delivered === of ? 'delivered' : 'sent';
      meta.push(h('span', { class: 'state', dataset: { state, delivered: String(delivered), of: String(of) } },
        icon(state === 'delivered' ? 'checks' : 'check'), `Delivered to ${delivered} of ${of}`));
    }
    const sameAuthor = previous && nameKey(previous.author) === nameKey(entry.author);
    const bytes = entry.op === 'file' ? session.groups.files.bytes(node) : undefined;
    items.push(h('li', {
      class: `message ${mine ? 'out' : 'in'}`,
      dataset: { hash: node.hash, author: nameKey(entry.author), kind: entry.op, bytes: bytes?.state },
    },
    !mine && !sameAuthor ? h('span', { class: 'author' }, entry.author) : null,
    bytes ? groupFile(session, node, bytes, mine) : h('div', { class: 'bubble' }, entry.text),
    h('span', { class: 'meta' }, meta)));
    previous = entry;
  }
  if (!items.length) items.push(h('li', { class: 'day' }, `This is the start of ${group.title}.`));
  replaceChildren(list, items);
  if (atBottom || list.dataset.group !== group.id) list.scrollTop = list.scrollHeight;
  list.dataset.group = group.id;
}

/** A file of the group, with what we have of its bytes ({@code bytes}, GroupFiles.bytes). */
function groupFile(session, node, bytes, mine) {
  const { entry, hash } = node;
  switch (bytes.state) {
    case 'held':
      return fileCard(entry, { url: mine ? undefined : session.fileUrl(`group|${hash}`, bytes.blob) });
    case 'fetching':
      return fileCard(entry, { transfer: hash, bytes: bytes.bytes, status: ['Fetching ', percent(hash, bytes.bytes, entry.size)] });
    case 'too-large':
      return fileCard(entry, { status: [icon('warn'), `Too large for this browser, which takes files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB`] });
    default:
      return fileCard(entry, { status: [icon('clock'), 'Waiting for a member who has it'] });
  }
}

function renderMembers(session, group, members) {
  const admin = members.get(session.account)?.admin === true;
  const sorted = [...members.entries()].sort(([a, x], [b, y]) => (y.admin - x.admin) || (a < b ? -1 : 1));
  replaceChildren($('#group-members'), sorted.map(([key, m]) => {
    const me = key === session.account;
    const online = me ? session.server.state === 'online' : session.reachable(key);
    const actions = admin && !me ? h('span', { class: 'member-actions' },
      m.admin ? null : h('button', {
        class: 'link-button', type: 'button', 'aria-label': `Make ${m.name} an admin`,
        onclick: () => session.groups.makeAdmin(group.id, m.name).catch((e) => toast(e.message)),
      }, 'Make admin'),
      h('button', {
        class: 'link-button', type: 'button', 'aria-label': `Remove ${m.name}`,
        onclick: () => session.groups.removeMember(group.id, m.name).catch((e) => toast(e.message)),
      }, 'Remove')) : null;
    return h('li', { class: 'member', dataset: { member: key, online: String(online) } },
      avatar(m.name, online),
      h('span', { class: 'member-name' }, me ? `${m.name} (you)` : m.name,
        h('small', {}, `${m.admin ? 'Admin · ' : ''}${online ? 'online' : 'offline'}`), actions));
  }));
  $('#add-member').hidden = !admin;
}
