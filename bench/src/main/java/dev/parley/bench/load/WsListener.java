package dev.parley.bench.load;

/** What a load connection does with what it receives; called on its event-loop thread. */
public interface WsListener {
  void onText(WsConnection connection, String text);

  default void onClose(WsConnection connection) {}
}
