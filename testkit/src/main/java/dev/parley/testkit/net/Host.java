package dev.parley.testkit.net;

/**
 * A machine of the lab that runs programs under test: a public host on the internet or a host on a
 * site's LAN.
 *
 * @param name the name the test gave it
 * @param namespace where its programs run
 * @param address its IPv4 address: public for a public host, private for a host behind a router
 */
public record Host(String name, Namespace namespace, String address) {}
