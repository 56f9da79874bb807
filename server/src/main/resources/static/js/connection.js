// The top bar's word on the server connection (#connection): online, connecting, retrying in a
// few seconds (and that direct chats still work meanwhile), or signed in elsewhere; and the button
// that tries again at once.

import { app } from './app.js';
import { $ } from './dom.js';

export function renderConnection() {
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

export function setUpConnection() {
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
}
