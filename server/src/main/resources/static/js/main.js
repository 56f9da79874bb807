// The web client's entry point: sets up each part of the page, then signs in the account used
// last, if any. Which module does what: docs/architecture.md, "The web client". Everything shown
// that a peer or the server sent is set as text (dom.js), never as HTML.

import { app } from './app.js';
import { setUpComposer } from './composer.js';
import { setUpConnection } from './connection.js';
import { closeConversation, openConversation, setUpConversation } from './conversation.js';
import { openDb } from './db.js';
import { setUpGroups } from './groupview.js';
import { setUpHeader } from './header.js';
import { setUpNewConversation } from './newconversation.js';
import { setUpPeople } from './people.js';
import { setUpSignIn, showSignIn, signIn } from './signin.js';
import { setUpTrust } from './trust.js';

async function boot() {
  if (!window.isSecureContext || !window.crypto?.subtle || !window.indexedDB) {
    showSignIn(
      'This page needs a secure context for its keys: open it at https://, or at http://localhost on this machine.',
    );
    return;
  }
  try {
    app.store = await openDb();
  } catch (e) {
    showSignIn(`This browser will not store data for this page (${e.message}). A private window may be the cause.`);
    return;
  }
  const last = await app.store.setting('lastAccount');
  if (last) await signIn(last, true);
  else showSignIn();
}

const open = (name) => openConversation(name, true);
setUpSignIn();
setUpConnection();
setUpPeople(open);
setUpConversation();
setUpHeader();
setUpComposer();
setUpTrust();
setUpNewConversation(() => app.session, open);
setUpGroups(() => closeConversation());
boot();
