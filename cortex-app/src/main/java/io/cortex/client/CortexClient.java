package io.cortex.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./cortex} command line as a thin client: it sends the call to the resident Cortex of the data
 * directory over its Unix domain socket (starting that process first when none runs) and plays back what the
 * command prints, then exits with the command's exit code. It loads nothing but the JDK — no Spring, Camunda,
 * JGit or H2 — so it starts in a few tens of milliseconds.
 *
 * <pre>{@code
 * java -Dcortex.home=/opt/cortex -cp cortex-client.jar io.cortex.client.CortexClient checkpoints --session s1
 * }</pre>
 *
 * <p>The launcher ({@code ./cortex}) passes {@code cortex.home}, {@code cortex.build} (the build's id),
 * {@code cortex.launcher} (itself, to start the resident process with) and {@code cortex.tty} / {@code cortex.columns}
 * (whether standard output and error are terminals, which a JVM cannot tell). Data directory and configuration
 * are found as the CLI finds them: {@code --data}, else {@code CORTEX_DATA}, else {@code <home>/data}; relative
 * paths resolve against this process's working directory, which the resident process uses for every path in the call.
 */
public final class CortexClient {

  /** Exit code of a call that could not reach a resident Cortex (the command did not run). */
  static final int UNAVAILABLE = 1;
  static final int INTERRUPTED = 130;
  /** What a resident process exits with when another process owns the data directory already. */
  public static final int OWNED_ELSEWHERE = 75;

  private final Path home;
  private final String build;
  private final Path cwd;
  private final Map<String, String> environment;
  private final OutputStream stdout;
  private final OutputStream stderr;

  public CortexClient(Path home, String build, Path cwd, Map<String, String> environment, OutputStream stdout,
                      OutputStream stderr) {
    this.home = home;
    this.build = build;
    this.cwd = cwd;
    this.environment = environment;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("cortex.home", ".")).toAbsolutePath().normalize();
    CortexClient client = new CortexClient(home, io.cortex.client.BuildId.current(),
        Path.of("").toAbsolutePath(), System.getenv(), new FileOutputStream(FileDescriptor.out),
        new FileOutputStream(FileDescriptor.err));
    int code;
    try {
      code = client.call(args);
    } catch (IOException e) {
      client.error("cortex: could not reach the resident Cortex: " + e.getMessage());
      code = UNAVAILABLE;
    }
    System.exit(code);
  }

  /** Runs one command line through the resident Cortex (or {@code daemon status|stop}); returns the exit code. */
  public int call(String[] args) throws IOException {
    Path dataDir = dataDir(args);
    DaemonAddress address = DaemonAddress.of(dataDir);
    List<String> positional = positional(args);
    if (positional.size() >= 2 && positional.get(0).equals("daemon")) {
      switch (positional.get(1)) {
        case "status":
          return status(address);
        case "stop":
          return stop(address);
        default:
          break;
      }
    }
    return run(address, args);
  }

  // --- a command ---

  private int run(DaemonAddress address, String[] args) throws IOException {
    Request request = new Request(Wire.RUN, build, cwd.toString(), Arrays.asList(args), Request.relevant(environment),
        System.getProperty("user.name", "unknown"), tty("out"), tty("err"), Integer.getInteger("cortex.columns", 0));
    for (int attempt = 0; attempt < 4; attempt++) {
      SocketChannel channel = connect(address.socket());
      if (channel == null) {
        channel = startAndConnect(address, args);
      }
      Conversation conversation = new Conversation(channel);
      Integer exit = conversation.run(request);
      if (exit != null) {
        return exit;
      }
      waitUntilClosed(address); // a resident process of another build, or one stopping: the next one serves us
    }
    error("cortex: the resident Cortex of " + address.dataDir() + " kept handing the call over; see " + address.log());
    return UNAVAILABLE;
  }

  /** One connection: the request, then the frames until the exit code. */
  private final class Conversation {
    private final SocketChannel channel;
    private final DataOutputStream toDaemon;
    private volatile boolean started;
    private volatile boolean finished;

    Conversation(SocketChannel channel) {
      this.channel = channel;
      this.toDaemon = new DataOutputStream(new java.io.BufferedOutputStream(ChannelStreams.out(channel)));
    }

    /** The exit code; null when the call must go to another resident process (it did not run here). */
    Integer run(Request request) throws IOException {
      Thread interrupt = new Thread(this::interrupt, "cortex-interrupt");
      Runtime.getRuntime().addShutdownHook(interrupt);
      try (channel) {
        try {
          request.write(toDaemon);
        } catch (IOException e) {
          return null; // closed before it read the call (it was stopping): nothing ran
        }
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(ChannelStreams.in(channel)));
        while (true) {
          byte type;
          try {
            type = in.readByte();
          } catch (IOException e) {
            if (!started) {
              return null;
            }
            error("cortex: the resident Cortex stopped while this command ran (" + e.getClass().getSimpleName()
                + "); whatever it left half-done is finished or put back by the next call. Check with"
                + " './cortex audit' or './cortex status'.");
            return UNAVAILABLE;
          }
          switch (type) {
            case Wire.STARTED -> started = true;
            case Wire.OUT -> write(stdout, Wire.readBytes(in));
            case Wire.ERR -> write(stderr, Wire.readBytes(in));
            case Wire.STDIN_WANTED -> pumpStdin();
            case Wire.EXIT -> {
              int code = in.readInt();
              finished = true;
              return code;
            }
            case Wire.RESTART -> {
              return null;
            }
            default -> throw new IOException("unknown frame " + type);
          }
        }
      } finally {
        finished = true;
        try {
          Runtime.getRuntime().removeShutdownHook(interrupt);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs
        }
      }
    }

    /** Ctrl-C: the resident process stops the command (as the in-process CLI would be killed) and we exit 130. */
    private void interrupt() {
      if (finished) {
        return;
      }
      try {
        synchronized (toDaemon) {
          toDaemon.writeByte(Wire.INTERRUPT);
          toDaemon.flush();
        }
      } catch (IOException e) {
        // gone already
      }
      Runtime.getRuntime().halt(INTERRUPTED);
    }

    private void pumpStdin() {
      Thread pump = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          InputStream stdin = System.in;
          int n;
          while ((n = stdin.read(buffer)) > 0) {
            synchronized (toDaemon) {
              Wire.writeBytes(toDaemon, Wire.STDIN, buffer, 0, n);
              toDaemon.flush();
            }
          }
          synchronized (toDaemon) {
            Wire.writeBytes(toDaemon, Wire.STDIN, buffer, 0, 0);
            toDaemon.flush();
          }
        } catch (IOException e) {
          // the call ended
        }
      }, "cortex-stdin");
      pump.setDaemon(true);
      pump.start();
    }
  }

  // --- daemon status | stop ---

  private int status(DaemonAddress address) throws IOException {
    SocketChannel channel = connect(address.socket());
    if (channel == null) {
      Optional<OwnerRecord> owner = liveOwner(address);
      print(stdout, owner.map(o -> "No resident Cortex answers for " + address.dataDir() + "; its database is open in "
          + o.describe() + ".").orElse("No resident Cortex for " + address.dataDir()
          + " (the next command starts one)."));
      return 0;
    }
    try (channel) {
      DataInputStream in = send(channel, Wire.STATUS);
      expect(in, Wire.TEXT);
      write(stdout, Wire.readBytes(in));
      return 0;
    }
  }

  private int stop(DaemonAddress address) throws IOException {
    Stopped stopped = requestStop(address, build);
    if (stopped.refusal() != null) {
      write(stderr, stopped.refusal());
      return UNAVAILABLE;
    }
    if (stopped.pid() == 0) {
      print(stdout, "No resident Cortex for " + address.dataDir() + ".");
      return 0;
    }
    if (!stopped.ended()) {
      error("cortex: the resident Cortex (pid " + stopped.pid() + ") has not ended after 120 s; see " + address.log());
      return UNAVAILABLE;
    }
    print(stdout, "Stopped the resident Cortex (pid " + stopped.pid() + ") of " + address.dataDir() + ".");
    return 0;
  }

  /**
   * What {@link #requestStop} did: {@code pid} 0 when none answered; {@code refusal} (the message bytes) when the
   * owner does not stop on request (a server); {@code ended} once the process is gone.
   */
  public record Stopped(long pid, byte[] refusal, boolean ended) {
  }

  /** Asks the resident Cortex of {@code address} to stop and waits up to 120 s for its process to end. */
  public static Stopped requestStop(DaemonAddress address, String build) throws IOException {
    SocketChannel channel = connect(address.socket());
    if (channel == null) {
      return new Stopped(0, null, true);
    }
    long pid;
    try (channel) {
      DataInputStream in = send(channel, Wire.STOP, build);
      byte type = in.readByte();
      if (type == Wire.ERR) { // refused: 'cortex serve' stops with Ctrl-C
        return new Stopped(-1, Wire.readBytes(in), false);
      }
      if (type != Wire.TEXT) {
        throw new IOException("unexpected answer " + type);
      }
      pid = Long.parseLong(Wire.readString(in).strip());
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      try {
        process.get().onExit().get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        return new Stopped(pid, null, false);
      }
    }
    return new Stopped(pid, null, true);
  }

  private DataInputStream send(SocketChannel channel, byte kind) throws IOException {
    return send(channel, kind, build);
  }

  private static DataInputStream send(SocketChannel channel, byte kind, String build) throws IOException {
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(ChannelStreams.out(channel)));
    new Request(kind, build, Path.of("").toAbsolutePath().toString(), List.of(), Map.of(),
        System.getProperty("user.name", "unknown"), false, false, 0).write(out);
    return new DataInputStream(new java.io.BufferedInputStream(ChannelStreams.in(channel)));
  }

  private static void expect(DataInputStream in, byte type) throws IOException {
    byte got = in.readByte();
    if (got != type) {
      throw new IOException("unexpected answer " + got);
    }
  }

  // --- starting the resident process ---

  /**
   * Starts a resident process and connects to it. One that dies while it starts (killed, out of memory) is started
   * again, twice at most: the command has not run yet, so trying again changes nothing.
   */
  private SocketChannel startAndConnect(DaemonAddress address, String[] args) throws IOException {
    IOException failed = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOnceAndConnect(address, args);
      } catch (DiedWhileStarting e) {
        failed = e;
      }
    }
    throw failed;
  }

  private static final class DiedWhileStarting extends IOException {
    DiedWhileStarting(String message) {
      super(message);
    }
  }

  private SocketChannel startOnceAndConnect(DaemonAddress address, String[] args) throws IOException {
    address.createDirectories();
    Process process = start(address, args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("cortex.daemon.startTimeout", 180));
    long pause = 10;
    while (System.nanoTime() < deadline) {
      SocketChannel channel = connect(address.socket());
      if (channel != null) {
        return channel;
      }
      if (!process.isAlive() && process.exitValue() != OWNED_ELSEWHERE) {
        throw new DiedWhileStarting("it did not start (exit " + process.exitValue() + "); see its log " + address.log());
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while it started");
      }
      pause = Math.min(50, pause + 5);
    }
    String owner = liveOwner(address).map(o -> "; the database is open in " + o.describe()
        + " — wait for it to finish, or stop it").orElse("");
    throw new IOException("none answered on " + address.socket() + " within the start timeout" + owner
        + "; see " + address.log());
  }

  /** The resident process, started through the launcher so it gets the full JVM set-up, detached from our terminal. */
  private Process start(DaemonAddress address, String[] args) throws IOException {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // its own session: Ctrl-C in this terminal and closing it leave it running
    } else if (Files.isExecutable(Path.of("/bin/setsid"))) {
      command.add("/bin/setsid");
    }
    command.add("bash");
    command.add(System.getProperty("cortex.launcher", home.resolve("cortex").toString()));
    command.addAll(List.of("daemon", "run", "--data", address.dataDir().toString()));
    String config = optionValue(args, "--config");
    if (config != null) {
      command.addAll(List.of("--config", cwd.resolve(config).normalize().toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(address.dataDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(address.log().toFile()))
        .redirectErrorStream(true);
    String data = environment.get("CORTEX_DATA");
    if (data != null && !data.isBlank()) {
      builder.environment().put("CORTEX_DATA", cwd.resolve(data.strip()).normalize().toString());
    }
    String configEnv = environment.get("CORTEX_CONFIG");
    if (configEnv != null && !configEnv.isBlank()) {
      builder.environment().put("CORTEX_CONFIG", cwd.resolve(configEnv.strip()).normalize().toString());
    }
    return builder.start();
  }

  private static void waitUntilClosed(DaemonAddress address) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      SocketChannel channel = connect(address.socket());
      if (channel == null) {
        return;
      }
      try {
        channel.close();
        Thread.sleep(50);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  private static Optional<OwnerRecord> liveOwner(DaemonAddress address) {
    return OwnerRecord.read(address.ownerFile()).filter(OwnerRecord::alive);
  }

  /** A connection to the socket, or null when nothing listens there. */
  public static SocketChannel connect(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    try {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
      } catch (IOException e) {
        channel.close();
        return null;
      }
    } catch (IOException e) {
      return null;
    }
  }

  // --- the command line, as far as the client needs it ---

  /** {@code --data}, else {@code CORTEX_DATA}, else {@code <home>/data} (as {@code CliContext} decides). */
  Path dataDir(String[] args) {
    String option = optionValue(args, "--data");
    if (option != null) {
      return cwd.resolve(option).normalize();
    }
    String env = environment.get("CORTEX_DATA");
    if (env != null && !env.isBlank()) {
      return cwd.resolve(env.strip()).normalize();
    }
    return home.resolve("data");
  }

  static String optionValue(String[] args, String name) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(name) && i + 1 < args.length) {
        value = args[++i];
      } else if (args[i].startsWith(name + "=")) {
        value = args[i].substring(name.length() + 1);
      }
    }
    return value;
  }

  /** The words that are not options nor the values of {@code --data} / {@code --config}. */
  public static List<String> positional(String[] args) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data") || args[i].equals("--config")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        words.add(args[i]);
      }
    }
    return words;
  }

  private static boolean tty(String stream) {
    return List.of(System.getProperty("cortex.tty", "").split(",")).contains(stream);
  }



  private static void write(OutputStream stream, byte[] bytes) throws IOException {
    stream.write(bytes);
    stream.flush();
  }

  private static void print(OutputStream stream, String line) throws IOException {
    write(stream, (line + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void error(String line) {
    try {
      print(stderr, line);
    } catch (IOException ignored) {
      // nowhere left to say it
    }
  }
}
