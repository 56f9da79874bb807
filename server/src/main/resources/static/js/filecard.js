// A file as a bubble shows it, in a one-to-one conversation (messages.js) and in a group
// (groupview.js): its name and size, a progress bar while its bytes travel, a line saying what it
// waits for, and a download link once its bytes are here.

import { formatBytes, h, icon } from './dom.js';

/**
 * The bubble of {@code file} ({name, size}). {@code transfer} names its progress bar while bytes
 * travel ({@code bytes} of them so far, moved later by showProgress); {@code status} is a line
 * under it; {@code url} the object URL its bytes download from.
 */
export function fileCard(file, { transfer, bytes = 0, status, url } = {}) {
  return h('div', { class: 'bubble file' },
    icon('file'),
    h('span', { class: 'file-name', title: file.name }, file.name),
    h('span', { class: 'file-size' }, formatBytes(file.size)),
    transfer === undefined ? null : h('progress', {
      max: file.size || 1, value: bytes, dataset: { transfer }, 'aria-label': `Progress of ${file.name}`,
    }),
    status ? h('span', { class: 'file-status' }, status) : null,
    url ? h('a', { class: 'download', href: url, download: file.name }, 'Download') : null);
}

/** The percentage of {@code bytes} of {@code size}, moved by showProgress. */
export function percent(transfer, bytes, size) {
  return h('span', { class: 'file-percent', dataset: { transfer } }, percentOf(bytes, size));
}

/** Moves the progress bar and percentage of {@code transfer}, if on screen, without drawing the rest again. */
export function showProgress(transfer, bytes, size) {
  const key = CSS.escape(transfer.toLowerCase());
  const bar = document.querySelector(`progress[data-transfer="${key}"]`);
  if (bar) {
    bar.max = size;
    bar.value = bytes;
    bar.setAttribute('aria-valuetext', `${formatBytes(bytes)} of ${formatBytes(size)}`);
  }
  const shown = document.querySelector(`.file-percent[data-transfer="${key}"]`);
  if (shown) shown.textContent = percentOf(bytes, size);
}

function percentOf(bytes, size) {
  return `${size ? Math.floor((100 * bytes) / size) : 100}%`;
}
