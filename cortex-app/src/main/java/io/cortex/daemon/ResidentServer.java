package io.cortex.daemon;

import io.cortex.client.DaemonAddress;
import io.cortex.client.Request;
import io.cortex.client.Wire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import io.cortex.client.ChannelStreams;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident process's end of the Unix domain socket: accepts client connections (each on a thread of its own,
 * so calls run side by side as they would in separate processes) and hands them to a {@link Handler}.
 *
 * <p>The socket is made in the owner-only folder of {@link DaemonAddress} and set to mode 600: no other user
 * can connect, and nothing listens on a network port.
 */
public final class ResidentServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResidentServer.class);

  /** What the resident process does with each kind of request. */
  public interface Handler {
    /** Runs one command line and returns its exit code. */
    int run(Call call, PrintWriter out, PrintWriter err);

    /** The lines {@code ./cortex daemon status} prints. */
    String status();

    /** Null when this process stops on request; otherwise why not (e.g. the server stops with Ctrl-C). */
    String stopRefusal();

    /** Called once a stop was asked for and the client told: end the process. */
    void stop();

    /** Whether a call of this client build must go to a new resident process instead. */
    boolean handsOver(String build);
  }

  private final DaemonAddress address;
  private final Handler handler;
  private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cortex-call");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private volatile Instant lastActivity = Instant.now();
  private volatile ServerSocketChannel server;
  private volatile boolean closing;

  public ResidentServer(DaemonAddress address, Handler handler) {
    this.address = address;
    this.handler = handler;
  }

  /** Binds the socket (replacing one a dead owner left: we hold the directory's ownership) and starts accepting. */
  public ResidentServer start() throws IOException {
    address.createDirectories();
    Path socket = address.socket();
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    Thread acceptor = new Thread(this::accept, "cortex-socket");
    acceptor.setDaemon(true);
    acceptor.start();
    return this;
  }

  public int activeCalls() {
    return active.get();
  }

  public long callsServed() {
    return served.get();
  }

  /** When the last call ended (or the server started); with no call running, the idle time counts from here. */
  public Instant lastActivity() {
    return lastActivity;
  }

  /** Waits up to {@code wait} for the running calls to end. */
  public boolean awaitCalls(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (active.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return active.get() == 0;
  }

  /** Stops accepting calls and removes the socket; calls that run finish (see {@link #awaitCalls}). */
  @Override
  public void close() {
    closing = true;
    ServerSocketChannel s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      Files.deleteIfExists(address.socket());
    } catch (IOException ignored) {
      // the next owner replaces it
    }
    connections.shutdown();
  }

  private void accept() {
    while (!closing) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        if (!closing) {
          LOG.warn("CORTEX-DAEMON-002 The socket {} stopped accepting calls: {}", address.socket(), e.getMessage());
        }
        return;
      }
      try {
        connections.execute(() -> serve(channel));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closeQuietly(channel);
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(channel)));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(channel)));
      Request request = Request.read(in);
      switch (request.kind()) {
        case Wire.STATUS -> text(out, handler.status());
        case Wire.STOP -> stop(out);
        case Wire.RUN -> run(request, in, out);
        default -> throw new IOException("unknown request " + request.kind());
      }
    } catch (IOException e) {
      LOG.debug("A client connection ended: {}", e.getMessage());
    }
  }

  private void stop(DataOutputStream out) throws IOException {
    String refusal = handler.stopRefusal();
    if (refusal != null) {
      synchronized (out) {
        byte[] message = ("cortex: " + refusal + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        Wire.writeBytes(out, Wire.ERR, message, 0, message.length);
        out.writeByte(Wire.EXIT);
        out.writeInt(1);
        out.flush();
      }
      return;
    }
    text(out, Long.toString(ProcessHandle.current().pid()));
    handler.stop();
  }

  private void run(Request request, DataInputStream in, DataOutputStream out) throws IOException {
    active.incrementAndGet();
    try {
      if (closing || handler.handsOver(request.build())) {
        out.writeByte(Wire.RESTART);
        out.flush();
        return;
      }
      out.writeByte(Wire.STARTED);
      out.flush();
      RemoteStdin stdin = new RemoteStdin(out);
      Thread reader = new Thread(() -> readClient(in, stdin), "cortex-client-reader");
      reader.setDaemon(true);
      reader.start();
      PrintWriter stdout = writer(out, Wire.OUT);
      PrintWriter stderr = writer(out, Wire.ERR);
      int exit;
      try {
        exit = handler.run(Call.of(request, stdin), stdout, stderr);
      } catch (RuntimeException | Error e) {
        LOG.error("CORTEX-DAEMON-003 A call failed unexpectedly: {}", String.join(" ", request.args()), e);
        stderr.println("cortex: unexpected " + e.getClass().getSimpleName() + " in the resident Cortex: " + e.getMessage()
            + " (its log: " + address.log() + ")");
        exit = 3;
      }
      stdout.flush();
      stderr.flush();
      synchronized (out) {
        out.writeByte(Wire.EXIT);
        out.writeInt(exit);
        out.flush();
      }
    } finally {
      served.incrementAndGet();
      lastActivity = Instant.now();
      active.decrementAndGet();
    }
  }

  /**
   * What the client sends while its command runs. Ctrl-C ({@link Wire#INTERRUPT}, or the client vanishing) ends
   * the client at once with exit 130; the command here is not interrupted — interrupting a thread in the middle of
   * database file I/O would close the database — so an operation it began ends as it would have, and one that a
   * crash cut short is finished by the next holder of the repository's lock either way.
   */
  private static void readClient(DataInputStream in, RemoteStdin stdin) {
    try {
      while (true) {
        byte type = in.readByte();
        if (type == Wire.STDIN) {
          stdin.offer(Wire.readBytes(in));
        } else if (type == Wire.INTERRUPT) {
          stdin.offer(new byte[0]);
          return;
        }
      }
    } catch (IOException e) {
      stdin.offer(new byte[0]);
    }
  }

  private static PrintWriter writer(DataOutputStream out, byte type) {
    OutputStream frames = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
          return;
        }
        synchronized (out) {
          Wire.writeBytes(out, type, bytes, offset, length);
        }
      }

      @Override
      public void flush() throws IOException {
        synchronized (out) {
          out.flush();
        }
      }
    };
    return new PrintWriter(new OutputStreamWriter(frames, StandardCharsets.UTF_8), true);
  }

  private static void text(DataOutputStream out, String text) throws IOException {
    synchronized (out) {
      out.writeByte(Wire.TEXT);
      Wire.writeString(out, text);
      out.flush();
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // gone
    }
  }

  /** The client's standard input, asked for when a command first reads it. */
  private static final class RemoteStdin extends InputStream {
    private final DataOutputStream out;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(64);
    private boolean asked;
    private boolean ended;
    private byte[] current = new byte[0];
    private int position;

    RemoteStdin(DataOutputStream out) {
      this.out = out;
    }

    void offer(byte[] chunk) {
      try {
        chunks.put(chunk);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public synchronized int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position >= current.length) {
        if (ended) {
          return -1;
        }
        if (!asked) {
          asked = true;
          synchronized (out) {
            out.writeByte(Wire.STDIN_WANTED);
            out.flush();
          }
        }
        try {
          current = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException();
        }
        position = 0;
        if (current.length == 0) {
          ended = true;
        }
      }
      int n = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, n);
      position += n;
      return n;
    }
  }
}
