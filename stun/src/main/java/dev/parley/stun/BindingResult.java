package dev.parley.stun;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What a STUN server saw of a Binding request.
 *
 * @param mappedAddress the request's source as the server saw it: the public address behind a NAT
 * @param responseOrigin where the response came from (RFC 5780), if the server said
 * @param otherAddress the server's other address for NAT behaviour tests (RFC 5780), if it has one
 */
public record BindingResult(
    InetSocketAddress mappedAddress,
    Optional<InetSocketAddress> responseOrigin,
    Optional<InetSocketAddress> otherAddress) {}
