package dev.parley.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Lua scripts of {@link RedisCluster}, each with {@code common.lua} in front of it. */
final class Scripts {
  final String join;
  final String leave;
  final String heartbeat;
  final String register;
  final String stop;
  final String peerJsClaim;
  final String peerJsRelease;

  private Scripts(String common) {
    this.join = common + read("join.lua");
    this.leave = common + read("leave.lua");
    this.heartbeat = common + read("heartbeat.lua");
    this.register = common + read("register.lua");
    this.stop = common + read("stop.lua");
    this.peerJsClaim = common + read("peerjs_claim.lua");
    this.peerJsRelease = common + read("peerjs_release.lua");
  }

  static Scripts load() {
    return new Scripts(read("common.lua"));
  }

  private static String read(String name) {
    try (InputStream in = Scripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the cluster script " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster script " + name, e);
    }
  }
}
