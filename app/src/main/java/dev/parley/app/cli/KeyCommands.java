package dev.parley.app.cli;

import static dev.parley.app.cli.Console.INFO;
import static dev.parley.app.cli.Console.ME;
import static dev.parley.app.cli.Console.NAME;
import static dev.parley.app.cli.Console.WARN;

import dev.parley.client.ParleyClient;
import dev.parley.client.chat.SafetyNumber;
import dev.parley.client.trust.KeyChangedException;
import dev.parley.protocol.IdentityKey;
import dev.parley.protocol.UserName;
import java.util.Arrays;
import java.util.Optional;
import org.jline.utils.AttributedStringBuilder;

/**
 * The commands of {@code parley chat} about whom to trust: {@code /verify} shows the safety number
 * to compare, {@code /verified} marks the peer's key as verified once it matches and {@code
 * /unverify} takes the mark back, {@code /accept} takes a changed key. Each answer says what to do
 * next, so that the way from a first meeting to a verified key can be followed without /help.
 */
final class KeyCommands {
  /** What the user knows of a peer's key. */
  enum Trust {
    /** No key is pinned: we have never talked. */
    NONE,
    /** Pinned on first use, not verified. */
    PINNED,
    /** Pinned, and marked verified by the user after comparing safety numbers. */
    VERIFIED,
    /** The server presents another key than the pinned one, not accepted yet. */
    CHANGED
  }

  private final ParleyClient client;
  private final Console console;

  KeyCommands(ParleyClient client, Console console) {
    this.client = client;
    this.console = console;
  }

  Trust trust(UserName peer) {
    Optional<IdentityKey> pinned = client.pinnedKey(peer);
    if (pinned.isEmpty()) {
      return Trust.NONE;
    }
    Optional<IdentityKey> presented = client.presentedKey(peer);
    if (presented.isPresent() && !presented.get().equals(pinned.get())) {
      return Trust.CHANGED;
    }
    return client.isVerified(peer) ? Trust.VERIFIED : Trust.PINNED;
  }

  /**
   * The safety number to compare (pinning the key the server presents if none is pinned yet, so
   * that {@code /verified} marks the key whose number was shown), whether it is verified, and after
   * a key change the number of the new key too.
   */
  void verify(UserName peer) {
    Optional<String> number = client.safetyNumber(peer);
    AttributedStringBuilder text = new AttributedStringBuilder();
    if (number.isEmpty()) {
      console.say(
          "You have never talked with " + peer + "; verify them when they are online.", INFO);
      return;
    }
    text.append(
        "Safety number with " + peer + " (compare it with theirs, in person or by phone):\n", INFO);
    text.append("  " + rows(number.get()), ME);
    IdentityKey pinned = client.pinnedKey(peer).orElseThrow();
    Optional<IdentityKey> presented = client.presentedKey(peer).filter(k -> !k.equals(pinned));
    if (presented.isPresent()) {
      text.append(
          "\nWARNING: the server now presents another key for " + peer + "; its number would be:\n",
          WARN);
      text.append(
          "  " + rows(SafetyNumber.of(client.name(), client.publicKey(), peer, presented.get())),
          WARN);
      text.append(
          "\nIf "
              + peer
              + " confirms that one, run /accept "
              + peer
              + ", then /verified "
              + peer
              + ".",
          INFO);
    } else if (client.isVerified(peer)) {
      text.append(
          "\nYou marked " + peer + " as verified (/unverify " + peer + " takes it back).", INFO);
    } else {
      text.append(
          "\nNot verified yet. If the numbers match, mark " + peer + " verified: /verified " + peer,
          INFO);
    }
    console.say(text);
  }

  /** Marks the pinned key as verified, or says what must come first. */
  void verified(UserName peer) {
    boolean already = client.isVerified(peer);
    Optional<IdentityKey> marked;
    try {
      marked = client.markVerified(peer);
    } catch (KeyChangedException e) {
      console.say(
          "Not marked: the identity key of "
              + peer
              + " has changed and the new one is not accepted yet. Compare the new number"
              + " (/verify "
              + peer
              + "); if "
              + peer
              + " confirms it, /accept "
              + peer
              + ", then /verified "
              + peer
              + ".",
          WARN);
      return;
    }
    if (marked.isEmpty()) {
      console.say(
          "Not marked: no key is pinned for "
              + peer
              + " yet, as you have never talked. "
              + (client.online().contains(peer)
                  ? "/verify " + peer + " shows the number to compare first."
                  : "When "
                      + peer
                      + " is online, /verify "
                      + peer
                      + " shows the number to compare."),
          INFO);
      return;
    }
    console.say(
        new AttributedStringBuilder()
            .append(already ? "" : "Marked ", ME)
            .append(peer.value(), NAME)
            .append(already ? " is marked as verified already." : " as verified.", ME)
            .append(
                " The mark stays with this key: a new key for "
                    + peer
                    + " starts unverified. /unverify "
                    + peer
                    + " takes it back.",
                INFO));
  }

  /** Takes back the verified mark; the key stays pinned. */
  void unverify(UserName peer) {
    console.say(
        client.unmarkVerified(peer)
            ? peer
                + " is no longer marked as verified; their key stays trusted as before."
                + " /verified "
                + peer
                + " marks it again."
            : peer + " was not marked as verified.",
        INFO);
  }

  /** Takes the key the server presents now in place of the pinned one. */
  void accept(UserName peer) {
    Optional<IdentityKey> accepted = client.acceptKey(peer);
    if (accepted.isEmpty()) {
      console.say(peer + " is not online; accept their key when they are.", INFO);
      return;
    }
    console.say(
        new AttributedStringBuilder()
            .append(
                "Accepted the key " + peer + " has now; it is not verified. Safety number:\n", INFO)
            .append("  " + rows(client.safetyNumber(peer).orElseThrow()), ME)
            .append("\nIf it matches " + peer + "'s, mark them verified: /verified " + peer, INFO));
  }

  /** {@code peer}'s trust in a few words, after whether they are online: for the header. */
  void brief(UserName peer, AttributedStringBuilder text) {
    switch (trust(peer)) {
      case NONE -> {}
      case PINNED -> text.append(", not verified", INFO);
      case VERIFIED -> text.append(", ", INFO).append("verified", ME);
      case CHANGED -> text.append(", key changed: /verify " + peer, WARN);
    }
  }

  /** {@code peer}'s trust in a sentence, after whether they are online: for /info. */
  void describe(UserName peer, AttributedStringBuilder text) {
    switch (trust(peer)) {
      case NONE -> text.append(", and no key is pinned for them yet (you have never talked)", INFO);
      case PINNED ->
          text.append(", not verified (/verify " + peer + " compares safety numbers)", INFO);
      case VERIFIED ->
          text.append(", ", INFO)
              .append("verified", ME)
              .append(" (you compared safety numbers)", INFO);
      case CHANGED ->
          text.append(
              ". WARNING: their key has changed and the new one is not accepted (/verify "
                  + peer
                  + ")",
              WARN);
    }
  }

  /** Three rows of four groups, as the web client shows it, to compare at a glance. */
  private static String rows(String number) {
    String[] groups = number.split(" ");
    return String.join(" ", Arrays.copyOfRange(groups, 0, 4))
        + "\n  "
        + String.join(" ", Arrays.copyOfRange(groups, 4, 8))
        + "\n  "
        + String.join(" ", Arrays.copyOfRange(groups, 8, 12));
  }
}
