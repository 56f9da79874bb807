// Building DOM nodes without innerHTML: every text a peer or the server sent goes in as text.

import { nameKey } from './bytes.js';

/** h('div', {class: 'x', onclick: fn}, 'text', child, ...) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function $(selector) {
  return document.querySelector(selector);
}

export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A small inline icon from the sprite in index.html. */
export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/**
 * A message's time in the locale's own short format ("9:07 AM" in the US, "09:07" in Germany):
 * hours are not forced to two digits, which made "09:07 AM" where the locale writes "9:07 AM".
 */
export function formatTime(ts) {
  const date = new Date(ts);
  const today = new Date();
  const time = date.toLocaleTimeString([], { timeStyle: 'short' });
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

/** A passing message; {@code action} ({label, run}) adds a button to it, such as Undo. */
export function toast(text, action) {
  const box = $('#toast');
  const button = action && h('button', {
    class: 'link-button', type: 'button',
    onclick: () => {
      box.hidden = true;
      action.run();
    },
  }, action.label);
  replaceChildren(box, h('span', {}, text), button);
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), action ? 10000 : 6000);
}

/** A round badge with {@code name}'s initial in a colour of its own, and a presence dot. */
export function avatar(name, online) {
  let hash = 0;
  for (const c of nameKey(name)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const box = h('span', { class: 'avatar', 'aria-hidden': 'true' }, name.slice(0, 1),
    h('span', { class: 'presence', dataset: { online: String(online) } }));
  box.style.background = `hsl(${hue} 55% 48%)`;
  return box;
}
