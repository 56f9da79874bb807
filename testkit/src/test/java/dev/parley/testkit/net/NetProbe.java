package dev.parley.testkit.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A UDP and TCP agent that tests run in a lab namespace, driven line by line through its stdin,
 * reporting on its stdout what it sends and what reaches it, with the source address and port it
 * sees: that is how a test, which cannot open sockets into the lab, learns what a NAT did.
 *
 * <ul>
 *   <li>{@code udp PORT}: opens a UDP socket on PORT; prints {@code udp-open PORT}, then {@code
 *       udp-recv PORT FROM PAYLOAD} for each datagram, and answers each {@code ping TOKEN} with
 *       {@code seen TOKEN FROM}
 *   <li>{@code send PORT ADDRESS:PORT TOKEN}: sends {@code ping TOKEN} from the socket on PORT;
 *       prints {@code sent TOKEN}
 *   <li>{@code tcp PORT}: listens on PORT; prints {@code tcp-open PORT}, then {@code tcp-accept
 *       PORT FROM} for each connection, to which it writes {@code seen FROM}
 *   <li>{@code connect ADDRESS:PORT TOKEN}: prints {@code connected TOKEN} and the line it read, or
 *       {@code failed TOKEN} and why
 * </ul>
 */
public final class NetProbe {
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
  private static final Map<Integer, DatagramSocket> udp = new ConcurrentHashMap<>();

  private NetProbe() {}

  public static void main(String[] args) throws IOException {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("ready");
    for (String line = commands.readLine(); line != null; line = commands.readLine()) {
      String[] words = line.strip().split(" ", -1);
      try {
        switch (words[0]) {
          case "udp" -> openUdp(Integer.parseInt(words[1]));
          case "send" -> send(Integer.parseInt(words[1]), address(words[2]), words[3]);
          case "tcp" -> openTcp(Integer.parseInt(words[1]));
          case "connect" -> connect(address(words[1]), words[2]);
          default -> out.println("unknown " + line);
        }
      } catch (IOException | RuntimeException e) {
        out.println("error " + line + ": " + e);
      }
    }
  }

  private static void openUdp(int port) throws IOException {
    DatagramSocket socket = new DatagramSocket(port);
    udp.put(port, socket);
    Thread.ofPlatform().daemon().start(() -> receive(port, socket));
    out.println("udp-open " + port);
  }

  private static void receive(int port, DatagramSocket socket) {
    byte[] buffer = new byte[1500];
    while (true) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        String payload = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
        String from = text(packet.getSocketAddress());
        out.println("udp-recv " + port + " " + from + " " + payload);
        if (payload.startsWith("ping ")) {
          byte[] reply =
              ("seen " + payload.substring(5) + " " + from).getBytes(StandardCharsets.UTF_8);
          socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        out.println("udp-error " + port + ": " + e);
        return;
      }
    }
  }

  private static void send(int port, InetSocketAddress to, String token) throws IOException {
    DatagramSocket socket = udp.get(port);
    if (socket == null) {
      throw new IllegalStateException("no UDP socket on " + port);
    }
    byte[] payload = ("ping " + token).getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(payload, payload.length, to));
    out.println("sent " + token);
  }

  private static void openTcp(int port) throws IOException {
    ServerSocket server = new ServerSocket(port);
    Thread.ofPlatform().daemon().start(() -> accept(port, server));
    out.println("tcp-open " + port);
  }

  private static void accept(int port, ServerSocket server) {
    while (true) {
      try (Socket socket = server.accept()) {
        String from = text(socket.getRemoteSocketAddress());
        out.println("tcp-accept " + port + " " + from);
        socket.getOutputStream().write(("seen " + from + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        out.println("tcp-error " + port + ": " + e);
        return;
      }
    }
  }

  private static void connect(InetSocketAddress to, String token) {
    try (Socket socket = new Socket()) {
      socket.connect(to, CONNECT_TIMEOUT_MILLIS);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out.println("connected " + token + " " + reader.readLine());
    } catch (IOException e) {
      out.println("failed " + token + " " + e);
    }
  }

  private static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    return new InetSocketAddress(
        text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }

  /** {@code 203.0.113.101:40000}, without the slash and host name Java puts before it. */
  private static String text(SocketAddress address) {
    InetSocketAddress inet = (InetSocketAddress) address;
    return inet.getAddress().getHostAddress() + ":" + inet.getPort();
  }
}
