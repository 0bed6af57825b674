package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./cortex serve} listens on, read from the kernel's socket table ({@code /proc/net/tcp} and
 * {@code tcp6}) while it runs in a JVM of its own, as the launcher starts it. No traffic goes beyond loopback.
 */
class ServeBindingTest {

  @TempDir
  Path temp;

  @Test
  void serveWithDefaultSettingsListensOnLoopbackOnly() throws Exception {
    // given
    int port = freePort();

    // when
    try (Serve serve = Serve.start(temp, port)) {
      // then
      assertThat(listening(port)).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      }
      assertThat(serve.out()).contains("Listening on              127.0.0.1, port " + port + " (this machine only)");
      assertThat(serve.err()).doesNotContain("WARNING");
    }
  }

  @Test
  void exposingItIsExplicitAndWarnsWhoCanReachIt() throws Exception {
    // given
    int port = freePort();

    // when
    try (Serve serve = Serve.start(temp, port, "--address", "0.0.0.0")) {
      // then
      assertThat(listening(port)).isNotEmpty().allMatch(InetAddress::isAnyLocalAddress);
      assertThat(serve.err()).contains("WARNING: the server listens on every network interface, port " + port,
          "TLS reverse proxy", "docs/server.md");
    }
  }

  // --- plumbing ---

  /** A {@code cortex serve} process; closing it kills it (and only it). */
  private record Serve(Process process, Path outFile, Path errFile) implements AutoCloseable {

    static Serve start(Path temp, int port, String... extra) throws Exception {
      Path home = Files.createDirectories(temp.resolve("home-" + port));
      Path out = temp.resolve("serve-" + port + ".out");
      Path err = temp.resolve("serve-" + port + ".err");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx768m", "-Dcortex.home=" + home, "-cp", System.getProperty("java.class.path"), "io.cortex.cli.CortexCli",
          "--data", home.resolve("data").toString(), "serve", "--port", Integer.toString(port)));
      command.addAll(List.of(extra));
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("CORTEX_") || k.startsWith("SERVER_"));
      Serve serve = new Serve(builder.start(), out, err);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!serve.out().contains("Cortex server is running.")) {
        if (!serve.process.isAlive() || System.nanoTime() > deadline) {
          serve.close();
          throw new AssertionError("serve did not start: " + serve.out() + serve.err());
        }
        Thread.sleep(250);
      }
      return serve;
    }

    String out() throws IOException {
      return Files.readString(outFile);
    }

    String err() throws IOException {
      return Files.readString(errFile);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The local addresses of the sockets listening on {@code port}, from Linux's /proc/net/tcp and tcp6. */
  private static List<InetAddress> listening(int port) throws IOException {
    List<InetAddress> result = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
          StandardCharsets.US_ASCII))) {
        reader.readLine();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          String[] f = line.trim().split("\\s+");
          String[] local = f[1].split(":");
          if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) { // 0A: LISTEN
            result.add(address(local[0]));
          }
        }
      }
    }
    return result;
  }

  /** The kernel writes each 32-bit word of the address in host (little-endian) order. */
  private static InetAddress address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
