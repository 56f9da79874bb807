// Signing in and out, and which of the page's two screens shows: the sign-in form, or the app once
// the server welcomed the name (or at once, for an account signed in before, whose history is
// here even while the server cannot be reached).

import { app } from './app.js';
import { nameKey } from './bytes.js';
import { renderConnection } from './connection.js';
import { closeConversation, openConversation } from './conversation.js';
import { openGroup } from './groupview.js';
import { NAME, NAME_RULE } from './directory.js';
import { $ } from './dom.js';
import { Identity } from './identity.js';
import { renderPeople } from './people.js';
import { Session } from './session.js';
import { wire } from './wiring.js';

// Whether the server asked for an invite code: from then on the form has a field for one.
let inviteAsked = false;

/** What the server's refusals of a new name without a good invite code say to the person. */
const INVITE_REFUSALS = new Map([
  [
    'invite_required',
    (name) =>
      `“${name}” is not registered on this server, and it takes new names by invitation only. ` +
      'Enter the invite code you were given to register it.',
  ],
  [
    'invite_invalid',
    () =>
      'The server did not take this invite code: it is mistyped, used already or expired. ' +
      'Check it, or ask the person who gave it to you for a new one.',
  ],
]);

/** What the server's other refusals of a sign-in say to the person. */
const REFUSAL_SENTENCES = new Map([
  [
    'name_taken',
    (name) =>
      `The name “${name}” belongs to someone else: it is registered to another identity key, made in another browser or on another device. Choose another name, or sign in from that browser.`,
  ],
  [
    'storage_full',
    (name) =>
      `The server cannot register “${name}” now: its disk is full. Names registered before sign in as usual; try again later, or tell the server's operator.`,
  ],
]);

export function setUpSignIn() {
  $('#signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const invite = inviteAsked ? $('#signin-invite').value.trim() : '';
    signIn($('#signin-name').value.trim(), false, invite || undefined);
  });
  $('#signout').addEventListener('click', () => signOut());
}

/**
 * The sign-in form, with {@code error} (if any) under it and {@code name} (if given) in it;
 * {@code badField} is the input the error is about ('name' or 'invite'), which gets the focus.
 */
export function showSignIn(error, name, badField = 'name') {
  $('#app').hidden = true;
  $('#signin').hidden = false;
  if (name !== undefined) $('#signin-name').value = name;
  const box = $('#signin-error');
  box.hidden = !error;
  box.textContent = error || '';
  $('#signin-button').disabled = false;
  $('#signin-button').textContent = 'Sign in';
  $('#signin-invite-field').hidden = !inviteAsked;
  const invalid = error ? $(`#signin-${badField}`) : null;
  for (const input of [$('#signin-name'), $('#signin-invite')]) {
    input.setAttribute('aria-invalid', input === invalid ? 'true' : 'false');
  }
  (invalid || $('#signin-name')).focus();
}

/**
 * Signs in as {@code name}; {@code automatic} when it is the last account, not typed now; with
 * {@code invite}, the invite code to register a new name with.
 */
export async function signIn(name, automatic, invite) {
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
  session.server.invite = invite;
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
    if (INVITE_REFUSALS.has(code)) {
      inviteAsked = true;
      showSignIn(INVITE_REFUSALS.get(code)(name), name, 'invite');
      return;
    }
    showSignIn(REFUSAL_SENTENCES.get(code)?.(name) ?? `The server refused to sign you in: ${message}`, name);
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

/** The app, with the conversation the address names if there is one to show. */
function showApp(session) {
  $('#signin').hidden = true;
  $('#app').hidden = false;
  $('#me-name').textContent = session.name();
  renderConnection();
  renderPeople();
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted.startsWith('group/') && session.groups.get(wanted.slice(6))) {
    openGroup(wanted.slice(6));
  } else if (wanted && (session.chat.conversations.has(nameKey(wanted)) || session.server.isOnline(wanted))) {
    openConversation(wanted, false);
  } else {
    closeConversation();
  }
}
