package dev.parley.client.chat;

import dev.parley.client.profile.Entry;
import dev.parley.client.profile.ProfileException;
import dev.parley.client.profile.Store;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what arrived, once stored, to the listener and, if the listener {@linkplain
 * ChatListener#showsReceived() shows it to a person}, remembers in the profile that it was shown.
 * An entry stored but never shown (the process was killed between the two) is thus shown at the
 * next start instead of never: the next run sees it again only as a duplicate (docs/chaos.md). On
 * the client's event loop only.
 */
final class Arrivals {
  private static final Logger log = LoggerFactory.getLogger(Arrivals.class);

  private final Store store;
  private final ChatListener listener;

  Arrivals(Store store, ChatListener listener) {
    this.store = store;
    this.listener = listener;
  }

  /**
   * Shows, oldest first, what earlier runs stored and did not show; before anything arrives.
   * Returns how many.
   */
  int showUnshown() {
    if (!listener.showsReceived()) {
      return 0;
    }
    List<Entry> unshown = store.unshown();
    unshown.forEach(this::arrived);
    return unshown.size();
  }

  /**
   * {@code entries}, just stored, arrived: the listener hears of each, then all are marked shown,
   * in one transaction. The listener is not called inside it: what it does (a reply sent from it,
   * say) must be committed before it acts, not with the marks.
   */
  void arrived(List<Entry> entries) {
    entries.forEach(listener::received);
    if (entries.isEmpty() || !listener.showsReceived()) {
      return;
    }
    try {
      store.inTransaction(() -> entries.forEach(store::markShown));
    } catch (ProfileException e) {
      // They were shown: at worst they are shown once more at the next start.
      log.warn("cannot mark {} entries as shown: {}", entries.size(), e.getMessage());
    }
  }

  /** {@code entry}, just stored, arrived: the listener hears of it, and it is marked shown. */
  void arrived(Entry entry) {
    listener.received(entry);
    if (!listener.showsReceived()) {
      return;
    }
    try {
      store.markShown(entry);
    } catch (ProfileException e) {
      // It was shown: at worst it is shown once more at the next start.
      log.warn("cannot mark {}'s {} as shown: {}", entry.peer(), entry.id(), e.getMessage());
    }
  }
}
