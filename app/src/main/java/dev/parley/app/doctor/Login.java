package dev.parley.app.doctor;

import dev.parley.protocol.IceServer;
import java.util.List;

/** How the doctor's login went: it logs in only to be handed TURN credentials, as clients are. */
sealed interface Login {
  /** No name given: no login. */
  record NoName() implements Login {}

  record Welcomed(List<IceServer> iceServers) implements Login {
    public Welcomed {
      iceServers = List.copyOf(iceServers);
    }
  }

  /** {@code why} is a phrase that completes "could not log in: ". */
  record Failed(String why) implements Login {}
}
