package dev.parley.client.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.loop.ThreadLoop;
import dev.parley.client.server.FakeServer;
import dev.parley.client.trust.KeyPins;
import dev.parley.client.trust.MemoryKeyPins;
import dev.parley.protocol.Identity;
import dev.parley.protocol.UserName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryLinks} keeps the contract, each client on a loop of its own as in the WebRTC case;
 * and what only a memory network can be told to do: find no path, or cut a link.
 */
class MemoryLinksTest extends PeerLinksContract {
  private final MemoryNetwork network = new MemoryNetwork();
  private final FakeServer server = new FakeServer();
  private final List<Client> clients = new ArrayList<>();

  private record Client(
      UserName name, FakeServer.Session session, ThreadLoop loop, MemoryLinks links, Events events)
      implements Side {}

  @Override
  protected Side client(UserName name, KeyPins pins) {
    FakeServer.Session session = server.session(name, Identity.generate());
    ThreadLoop loop = new ThreadLoop("links-" + name);
    Events events = new Events(loop);
    MemoryLinks links = network.join(session, pins, loop, events);
    session.join();
    Client client = new Client(name, session, loop, links, events);
    clients.add(client);
    return client;
  }

  @Override
  protected void stopAll() {
    for (Client client : clients) {
      client.links.close();
      client.loop.close();
    }
  }

  @Test
  void whenTheNetworkFindsNoPathBothSidesAreRefusedWithIt() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    NoPathException noPath =
        new NoPathException(NoPathException.Reason.RELAY_FAILED, "not even the relay got through");
    network.fail(ALICE, BOB, noPath);

    assertThatThrownBy(() -> await(alice.links().open(BOB))).hasCause(noPath);
    assertThat(Events.next(alice.events().refused).why()).isSameAs(noPath);
    assertThat(Events.next(bob.events().refused).why()).isSameAs(noPath);

    network.heal(ALICE, BOB);
    assertThat(await(alice.links().open(BOB)).isOpen()).isTrue();
  }

  @Test
  void aCutLinkIsClosedOnBothSides() {
    Side alice = side(ALICE);
    Side bob = side(BOB);
    PeerLink link = await(alice.links().open(BOB));
    Events.next(bob.events().opened);

    network.cut(ALICE, BOB);

    assertThat(Events.next(alice.events().closed)).isSameAs(link);
    assertThat(Events.next(bob.events().closed).id()).isEqualTo(link.id());
  }

  @Test
  void aPeerThatDoesNotHoldTheKeyTheServerPresentsIsRefused() {
    Side alice = side(ALICE);
    FakeServer.Session bobs = server.session(BOB, Identity.generate());
    bobs.present(Identity.generate().publicKey());
    ThreadLoop loop = new ThreadLoop("links-bob");
    Events events = new Events(loop);
    MemoryLinks links = network.join(bobs, new MemoryKeyPins(), loop, events);
    bobs.join();
    clients.add(new Client(BOB, bobs, loop, links, events));

    assertThatThrownBy(() -> await(alice.links().open(BOB)))
        .hasCauseInstanceOf(FingerprintMismatchException.class);
    assertThat(Events.next(events.refused).why()).isInstanceOf(LinkRefusedException.class);
  }
}
