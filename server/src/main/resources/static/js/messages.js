// A conversation's timeline: day dividers, bubbles, delivery states, and the note that says why
// queued messages have not gone out. Consecutive messages from one side are grouped, as chat apps
// do: the time (and delivery state) is shown once, under the last of the run.

import { formatTime, h, icon } from './dom.js';
import { fileCard } from './filecard.js';

/** Messages further apart than this start a new run, and so show their own time. */
export const RUN_GAP_MS = 5 * 60 * 1000;

const STATES = {
  queued: ['clock', 'Queued'],
  sent: ['check', 'Sent'],
  delivered: ['checks', 'Delivered'],
  failed: ['warn', 'Failed'],
};

/**
 * Whether message {@code m} is followed, in the same run, by {@code next}: the same side, the same
 * day, within RUN_GAP_MS, and (for ours) in the same delivery state, so that what the last one
 * shows holds for both.
 */
export function continues(m, next) {
  if (!next || next.dir !== m.dir) return false;
  if (next.ts < m.ts || next.ts - m.ts > RUN_GAP_MS) return false;
  if (new Date(next.ts).toDateString() !== new Date(m.ts).toDateString()) return false;
  return m.dir !== 'out' || (next.state === m.state && m.state !== 'failed');
}

/**
 * The list items for {@code messages} (oldest first). {@code problem} is why the last link to the
 * peer could not be made, if it could not; {@code fileUrl(m)} gives a received file's object URL.
 */
export function timeline(messages, { peerName, problem, fileUrl }) {
  const items = [];
  let day = '';
  const queued = messages.filter((m) => m.dir === 'out' && m.state === 'queued');
  messages.forEach((m, i) => {
    const thisDay = new Date(m.ts).toDateString();
    if (thisDay !== day) {
      day = thisDay;
      items.push(h('li', { class: 'day', 'aria-hidden': 'true' }, new Date(m.ts).toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' })));
    }
    const note = problem && m === queued.at(-1) ? problemNote(problem, queued.length) : null;
    items.push(message(m, fileUrl, { continued: !note && continues(m, messages[i + 1]), note }));
  });
  if (!items.length) {
    items.push(h('li', { class: 'day' }, `This is the start of your conversation with ${peerName}.`));
  }
  return items;
}

/** Why the queued messages have not gone out: shown under the last of them. */
function problemNote(problem, count) {
  const sentence = /[.!?]$/.test(problem) ? problem : `${problem}.`;
  const stays = count > 1 ? 'They stay queued' : 'It stays queued';
  return h('p', { class: 'delivery-note' }, icon('warn'), h('span', {}, `Could not connect: ${sentence} ${stays}; Parley tries again in a while.`));
}

/** One message; a continued one keeps its time and state for screen readers, not on screen. */
function message(m, fileUrl, { continued, note }) {
  let body;
  if (m.kind === 'file') {
    const transferring = (m.dir === 'out' && m.state === 'sent') || (m.dir === 'in' && !m.blob);
    body = fileCard(m.file, {
      transfer: transferring ? m.id : undefined,
      bytes: m.progress || 0,
      url: m.dir === 'in' && m.blob ? fileUrl(m) : undefined,
    });
  } else {
    body = h('div', { class: 'bubble' }, m.text);
  }
  const meta = [h('time', { datetime: new Date(m.ts).toISOString() }, formatTime(m.ts))];
  if (m.dir === 'out') {
    const [iconName, label] = STATES[m.state] || STATES.queued;
    const text = m.state === 'failed' ? `Failed${m.reason ? `: ${m.reason.replace(/_/g, ' ')}` : ''}` : label;
    meta.push(h('span', { class: 'state', dataset: { state: m.state }, title: m.reasonText || text }, icon(iconName), text));
  }
  return h('li', { class: `message ${m.dir}${continued ? ' continued' : ''}`, dataset: { id: m.id, kind: m.kind } },
    body, h('span', { class: 'meta' }, meta), note);
}
