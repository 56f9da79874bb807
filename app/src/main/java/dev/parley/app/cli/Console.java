package dev.parley.app.cli;

import dev.parley.client.group.GroupId;
import dev.parley.protocol.UserName;
import java.util.function.Consumer;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;
import org.jspecify.annotations.Nullable;

/**
 * The terminal of {@code parley chat}: lines printed above the prompt, and the prompt, which names
 * the open conversation and, on the right, says when its peer types. What it shows comes from two
 * threads (the reader's and the client's chat thread), so its state is volatile.
 */
final class Console {
  static final AttributedStyle NAME = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);
  static final AttributedStyle ME = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
  static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
  static final AttributedStyle WARN = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
  static final AttributedStyle INFO = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);

  private final LineReader reader;
  private final Consumer<AttributedString> above;

  /** A group open in the console: its id and its title, for the prompt. */
  record OpenGroup(GroupId id, String title) {}

  private record GroupTypist(GroupId group, UserName member) {}

  private volatile @Nullable UserName current;
  private volatile @Nullable OpenGroup group;
  private volatile @Nullable UserName typing;
  // Who types in a group, and where.
  private volatile @Nullable GroupTypist groupTyping;
  private volatile @Nullable UserName lastWriter;

  Console(LineReader reader) {
    this(reader, reader::printAbove);
  }

  /** A console whose lines go to {@code above} instead of above the reader's prompt (tests). */
  Console(LineReader reader, Consumer<AttributedString> above) {
    this.reader = reader;
    this.above = above;
  }

  /** The open conversation, if any. */
  @Nullable UserName current() {
    return current;
  }

  void open(UserName peer) {
    current = peer;
    group = null;
    typing = null;
    redrawPrompt();
  }

  /** The open group, if one is open instead of a conversation. */
  @Nullable OpenGroup group() {
    return group;
  }

  void openGroup(GroupId id, String title) {
    group = new OpenGroup(id, title);
    current = null;
    typing = null;
    groupTyping = null;
    redrawPrompt();
  }

  /** Who wrote to us last, for {@code /reply}. */
  @Nullable UserName lastWriter() {
    return lastWriter;
  }

  void wrote(UserName peer) {
    lastWriter = peer;
    typing(peer, false);
  }

  /** {@code peer} started or stopped typing; shown if theirs is the open conversation. */
  void typing(UserName peer, boolean active) {
    if (active) {
      typing = peer;
    } else if (peer.equals(typing)) {
      typing = null;
    } else {
      return;
    }
    if (peer.equals(current)) {
      redrawPrompt();
    }
  }

  /** {@code member} started or stopped typing in {@code group}; shown if it is the open one. */
  void groupTyping(GroupId group, UserName member, boolean active) {
    GroupTypist typist = new GroupTypist(group, member);
    if (active) {
      groupTyping = typist;
    } else if (typist.equals(groupTyping)) {
      groupTyping = null;
    } else {
      return;
    }
    OpenGroup open = this.group;
    if (open != null && open.id().equals(group)) {
      redrawPrompt();
    }
  }

  String prompt() {
    UserName peer = current;
    OpenGroup open = group;
    return peer != null ? peer + "> " : open != null ? "#" + open.title() + "> " : "parley> ";
  }

  /**
   * The right prompt: who is typing. It stays on the right so that the left prompt, which the line
   * being typed follows, never changes length under the cursor (which left debris behind).
   */
  String rightPrompt() {
    UserName peer = current;
    OpenGroup open = group;
    GroupTypist typist = groupTyping;
    if (open != null && typist != null && typist.group().equals(open.id())) {
      return typist.member() + " typing…";
    }
    return peer != null && peer.equals(typing) ? "typing…" : "";
  }

  /** Prints above the prompt, in colour where the terminal has it. */
  void say(AttributedStringBuilder text) {
    above.accept(text.toAttributedString());
  }

  void say(String text, AttributedStyle style) {
    say(new AttributedStringBuilder().append(text, style));
  }

  private void redrawPrompt() {
    if (!reader.isReading()) {
      return;
    }
    if (reader instanceof LineReaderImpl impl) {
      impl.setPrompt(prompt());
      impl.setRightPrompt(rightPrompt());
    }
    try {
      // Only a redisplay: it updates the screen against what it shows, so a right prompt that went
      // away is erased. A redraw first would forget what is shown, and leave the old one standing.
      reader.callWidget(LineReader.REDISPLAY);
    } catch (IllegalStateException e) {
      // not reading any more
    }
  }

  /**
   * Removes the line just typed, which the message's own line (with its delivery state) replaces;
   * only on a real terminal, and only if it did not wrap.
   */
  void eraseTypedLine(int width) {
    Terminal terminal = reader.getTerminal();
    if (Terminal.TYPE_DUMB.equals(terminal.getType())
        || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())
        || width >= terminal.getWidth()) {
      return;
    }
    terminal.puts(InfoCmp.Capability.cursor_up);
    terminal.puts(InfoCmp.Capability.carriage_return);
    terminal.puts(InfoCmp.Capability.clr_eol);
    terminal.flush();
  }
}
