package dev.parley.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A hand-made STUN Binding request (RFC 8489 §5: type 0x0001, no attributes, the magic cookie, a
 * random transaction id), to see that a STUN server answers. Made by hand because the test kit
 * cannot use parley-stun, whose own tests use the test kit.
 */
final class StunPing {
  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final int BINDING_SUCCESS = 0x0101;
  private static final int WAIT_MILLIS = 200;

  private StunPing() {}

  /** Whether {@code server} answers one Binding request within 200 ms with a Binding success. */
  static boolean answers(InetSocketAddress server) {
    byte[] transaction = new byte[12];
    new SecureRandom().nextBytes(transaction);
    byte[] request =
        ByteBuffer.allocate(20)
            .putShort((short) 0x0001)
            .putShort((short) 0)
            .putInt(MAGIC_COOKIE)
            .put(transaction)
            .array();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(WAIT_MILLIS);
      socket.send(new DatagramPacket(request, request.length, server));
      DatagramPacket response = new DatagramPacket(new byte[1500], 1500);
      socket.receive(response);
      ByteBuffer bytes = ByteBuffer.wrap(response.getData(), 0, response.getLength());
      return response.getLength() >= 20
          && (bytes.getShort(0) & 0xFFFF) == BINDING_SUCCESS
          && Arrays.equals(Arrays.copyOfRange(response.getData(), 8, 20), transaction);
    } catch (IOException e) {
      return false;
    }
  }
}
