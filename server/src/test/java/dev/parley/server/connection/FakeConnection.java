package dev.parley.server.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A connection in memory: frames sent are kept, tasks run at once, and it can be made to die. */
public final class FakeConnection implements Connection {
  private final String address;
  private final List<String> sent = new ArrayList<>();
  private boolean open = true;
  private int closeCode;

  public FakeConnection(String address) {
    this.address = address;
  }

  @Override
  public synchronized void send(byte[] frame) {
    sent.add(new String(frame, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void close(int code, String reason) {
    closeCode = code;
    open = false;
  }

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public String remoteAddress() {
    return address;
  }

  @Override
  public String requestHost() {
    return "localhost";
  }

  /** The socket dies without anyone being told, as a crashed peer's does. */
  public synchronized void die() {
    open = false;
  }

  public synchronized List<String> sent() {
    return List.copyOf(sent);
  }

  public synchronized int closeCode() {
    return closeCode;
  }
}
