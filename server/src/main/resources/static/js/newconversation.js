// The "New conversation" dialog: a conversation with someone by name, also someone offline who
// never wrote, as long as the server's directory knows the name (directory.js). What is written to
// them waits in the outbox until they come online (chat.js).

import { nameKey } from './bytes.js';
import { findUser, LookupError, NAME, NAME_RULE } from './directory.js';
import { $ } from './dom.js';

/**
 * Wires the dialog and the buttons that open it. {@code session()} is the signed-in session (or
 * null); {@code open(name)} shows the conversation with {@code name}.
 */
export function setUpNewConversation(session, open) {
  const dialog = $('#new-dialog');
  const show = () => {
    if (!session()) return;
    $('#new-name').value = '';
    showError('');
    dialog.showModal();
    $('#new-name').focus();
  };
  $('#new-conversation').addEventListener('click', show);
  $('#empty-new').addEventListener('click', show);
  $('#new-cancel').addEventListener('click', () => dialog.close());
  $('#new-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const current = session();
    const button = $('#new-start');
    button.disabled = true;
    button.textContent = 'Checking…';
    try {
      const name = await partner(current, $('#new-name').value.trim());
      if (session() !== current) return;
      dialog.close();
      open(name);
    } catch (e) {
      if (!(e instanceof LookupError)) throw e;
      showError(e.message);
      $('#new-name').focus();
    } finally {
      button.disabled = false;
      button.textContent = 'Start';
    }
  });
}

function showError(error) {
  $('#new-error').hidden = !error;
  $('#new-error').textContent = error;
  $('#new-name').setAttribute('aria-invalid', error ? 'true' : 'false');
}

/**
 * The name to open a conversation with, for {@code name} as typed: someone we know (a conversation,
 * or online), else someone the directory knows, in their registered spelling. Throws LookupError.
 */
async function partner(session, name) {
  if (!NAME.test(name)) throw new LookupError(NAME_RULE);
  const peer = nameKey(name);
  if (peer === session.account) {
    throw new LookupError('That is your own name: enter the name of the person to write to.');
  }
  if (session.chat.conversations.has(peer) || session.server.isOnline(name)) return session.displayName(peer);
  const user = await findUser(name);
  session.chat.conversation(user.name);
  return user.name;
}
