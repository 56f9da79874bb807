package dev.parley.client.chat;

import dev.parley.client.link.FileChunk;

/** How often a file's progress is worth telling the user. */
final class Progress {
  private Progress() {}

  /** At the end, and every 1% (at least every four chunks) in between, not for every chunk. */
  static boolean worthReporting(long done, long reported, long total) {
    return done == total || done - reported >= Math.max(total / 100, FileChunk.MAX_DATA * 4L);
  }
}
