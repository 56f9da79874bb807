package dev.parley.stun;

import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.Lifetime;
import dev.parley.stun.StunAttribute.Nonce;
import dev.parley.stun.StunAttribute.Realm;
import dev.parley.stun.StunAttribute.RequestedTransport;
import dev.parley.stun.StunAttribute.Username;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import dev.parley.stun.StunAttribute.XorRelayedAddress;
import dev.parley.stun.StunChannel.Received;
import dev.parley.stun.TurnProbeResult.Allocated;
import dev.parley.stun.TurnProbeResult.Refused;
import dev.parley.stun.TurnProbeResult.Unreachable;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One Allocate and its release, over a channel (RFC 8656 §7, with RFC 8489 §9.2's long-term
 * credentials): ask without credentials, learn REALM and NONCE from the 401, ask again signed, once
 * more if the nonce went stale (438), and on success release the relay at once with a Refresh of
 * LIFETIME 0, so that a probe never holds a server's relay ports.
 */
final class TurnAllocation {
  private static final System.Logger log = System.getLogger(TurnAllocation.class.getName());

  private final StunChannel channel;
  private final String username;
  private final String password;
  private final Instant deadline;
  private @Nullable Realm realm;
  private @Nullable Nonce nonce;
  private byte @Nullable [] key;

  TurnAllocation(StunChannel channel, String username, String password, Instant deadline) {
    this.channel = channel;
    this.username = username;
    this.password = password;
    this.deadline = deadline;
  }

  TurnProbeResult run() throws IOException {
    Received challenge = channel.exchange(sign(allocate()), received -> true, deadline);
    if (isError(challenge)) {
      ErrorCode error = error(challenge);
      if (error.code() != ErrorCode.UNAUTHENTICATED) {
        return new Refused(error.code(), error.reason());
      }
      if (!learnFrom(challenge)) {
        return new Refused(error.code(), "a 401 without REALM and NONCE: " + error.reason());
      }
    }
    Received answer = key == null ? challenge : signed(this::allocate);
    if (isError(answer)) {
      return new Refused(error(answer).code(), error(answer).reason());
    }
    Optional<XorRelayedAddress> relayed = answer.message().attribute(XorRelayedAddress.class);
    Optional<XorMappedAddress> mapped = answer.message().attribute(XorMappedAddress.class);
    if (relayed.isEmpty() || mapped.isEmpty()) {
      return new Unreachable("not a TURN server: an Allocate success without the relayed address");
    }
    release();
    return new Allocated(relayed.get().address(), mapped.get().address());
  }

  private StunMessage allocate() {
    return StunMessage.request(MessageType.ALLOCATE)
        .with(new RequestedTransport(RequestedTransport.UDP));
  }

  /** Sends the request with credentials, and again with a new nonce after one 438 Stale Nonce. */
  private Received signed(Supplier<StunMessage> request) throws IOException {
    Received answer = channel.exchange(sign(request.get()), this::authentic, deadline);
    if (isError(answer) && error(answer).code() == ErrorCode.STALE_NONCE && learnFrom(answer)) {
      answer = channel.exchange(sign(request.get()), this::authentic, deadline);
    }
    return answer;
  }

  private StunMessage sign(StunMessage request) {
    if (key == null || realm == null || nonce == null) {
      return request.withFingerprint();
    }
    return request.with(new Username(username), realm, nonce).withIntegrity(key).withFingerprint();
  }

  /** Takes REALM and NONCE from an error response; false if it lacks them. */
  private boolean learnFrom(Received response) {
    Optional<Nonce> newNonce = response.message().attribute(Nonce.class);
    Optional<Realm> newRealm =
        response.message().attribute(Realm.class).or(() -> Optional.ofNullable(realm));
    if (newNonce.isEmpty() || newRealm.isEmpty()) {
      return false;
    }
    nonce = newNonce.get();
    realm = newRealm.get();
    key = StunKeys.longTerm(username, realm.value(), password);
    return true;
  }

  /**
   * RFC 8489 §9.2.5: a response with a MESSAGE-INTEGRITY that does not verify is discarded, as if
   * never received; a success to a signed request must carry one.
   */
  private boolean authentic(Received response) {
    byte[] currentKey = key;
    boolean signed = response.message().attribute(StunAttribute.MessageIntegrity.class).isPresent();
    if (currentKey == null || (!signed && isError(response))) {
      return true;
    }
    return signed && StunMessage.verifyIntegrity(response.bytes(), currentKey);
  }

  /**
   * Refresh with LIFETIME 0; if it fails the relay lives out its lifetime (10 minutes by default).
   */
  private void release() {
    try {
      Received answer =
          signed(() -> StunMessage.request(MessageType.REFRESH).with(new Lifetime(0)));
      if (isError(answer)) {
        log.log(
            System.Logger.Level.WARNING,
            "the TURN server refused to release the probe''s allocation: {0}",
            error(answer));
      }
    } catch (IOException | StunTimeoutException e) {
      log.log(System.Logger.Level.WARNING, "could not release the probe's TURN allocation", e);
    }
  }

  private static boolean isError(Received response) {
    return response.message().type().messageClass() == MessageType.MessageClass.ERROR_RESPONSE;
  }

  private static ErrorCode error(Received response) {
    return response
        .message()
        .attribute(ErrorCode.class)
        .orElse(new ErrorCode(ErrorCode.BAD_REQUEST, "an error response without ERROR-CODE"));
  }
}
