package dev.parley.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One process of a load generator spread over several (each process may hold only as many sockets
 * as its open-file limit): Parley users logging in to one node, driven by lines on standard input.
 *
 * <p>Arguments: {@code PORT NETWORK NODE NODES WATCH WATCHDOG_SECONDS}. This process's users are
 * those whose index {@code i} in the whole crowd has {@code i % NODES == NODE}, named {@code c<i>};
 * each watches the next {@code WATCH} names of the crowd, wherever those are. Source addresses are
 * 127.0.{@code NETWORK}.x.
 *
 * <p>{@code open COUNT} connects COUNT more users, a bounded number at a time, and answers {@code
 * opened COUNT WELCOME_BYTES} (the sum of their welcomes' lengths) once all are ready, or {@code
 * failed WHY}; the end of input closes them all and ends the process.
 */
public final class Generator {
  private static final int IN_FLIGHT = 256;

  private Generator() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int network = Integer.parseInt(args[1]);
    int node = Integer.parseInt(args[2]);
    int nodes = Integer.parseInt(args[3]);
    int watch = Integer.parseInt(args[4]);
    long watchdogNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
    List<ParleyPeer> peers = new ArrayList<>();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (WsClient client = new WsClient(2, network)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] command = line.strip().split(" ", -1);
        if (command.length != 2 || !command[0].equals("open")) {
          answer("failed unknown command: " + line);
          continue;
        }
        int count = Integer.parseInt(command[1]);
        List<ParleyPeer> more = new ArrayList<>(count);
        for (int j = peers.size(); j < peers.size() + count; j++) {
          int index = j * nodes + node;
          List<String> watches = new ArrayList<>(watch);
          for (int w = 1; w <= watch; w++) {
            watches.add("c" + (index + w));
          }
          more.add((ParleyPeer) new ParleyPeer("c" + index).watching(watches));
        }
        try {
          open(client, port, more, System.nanoTime() + watchdogNanos);
          peers.addAll(more);
          answer(
              "opened " + count + " " + more.stream().mapToLong(ParleyPeer::welcomeLength).sum());
        } catch (RuntimeException e) {
          more.forEach(LoadPeer::close);
          answer("failed " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
      }
      peers.forEach(LoadPeer::close);
    }
  }

  private static void open(WsClient client, int port, List<ParleyPeer> peers, long deadline) {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Void>> ready = new ArrayList<>(peers.size());
    try {
      for (ParleyPeer peer : peers) {
        if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException("the watchdog stopped connecting");
        }
        ready.add(peer.open(client, port).whenComplete((ok, error) -> inFlight.release()));
      }
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the watchdog stopped a step", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void answer(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
