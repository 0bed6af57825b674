package io.cortex.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where the server listens (Spring's {@code server.address}, {@code 127.0.0.1} unless set otherwise) and what that
 * exposes: loopback only, or a network, which earns a warning at every start.
 *
 * @param address {@code server.address}; {@code null} or blank is Spring's "every interface"
 */
record ListenAddress(String address, int port) {

  /** Whether only this machine can connect. */
  boolean loopbackOnly() {
    if (everyInterface()) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // not resolvable here: Tomcat will say so; never claim it is private
    }
  }

  boolean everyInterface() {
    if (address == null || address.isBlank()) {
      return true;
    }
    try {
      return InetAddress.getByName(address).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The base URL to print: {@code localhost} for loopback, else the address (or this host's name). */
  String baseUrl() {
    String host;
    if (loopbackOnly()) {
      host = "localhost";
    } else if (everyInterface()) {
      host = hostName();
    } else {
      host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }
    return "http://" + host + ":" + port;
  }

  /** One line on who can connect. */
  String reach() {
    String where = (everyInterface() ? "every network interface" : address) + ", port " + port;
    return loopbackOnly() ? where + " (this machine only)" : where;
  }

  /** The warning printed when other machines can connect; empty for loopback. */
  List<String> warning() {
    if (loopbackOnly()) {
      return List.of();
    }
    return List.of(
        "WARNING: the server listens on " + reach() + ": other machines can connect to it.",
        "  Anyone who reaches this port can log in to Cockpit and the REST APIs, roll repositories back and run",
        "  their gate commands. It speaks plain HTTP: put a TLS reverse proxy in front of it, let only that proxy",
        "  or trusted hosts reach the port (firewall), and keep the admin password safe. To keep it on this machine,",
        "  leave --address and server.address unset (127.0.0.1). See docs/server.md, \"Exposing the server\".");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
