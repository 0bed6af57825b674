package io.cortex.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The frames between the thin client and the resident Cortex on the Unix domain socket. A client opens one
 * connection per call and sends a {@link Request}; the resident process answers with frames, each a type byte
 * and its payload, until {@link #EXIT}. While a command runs the client may send {@link #STDIN} data (only after
 * {@link #STDIN_WANTED}) and {@link #INTERRUPT} (Ctrl-C).
 */
public final class Wire {

  public static final int MAGIC = 0x43525458; // "CRTX"
  public static final int VERSION = 1;

  // request kinds
  public static final byte RUN = 1;
  public static final byte STATUS = 2;
  public static final byte STOP = 3;

  // resident process to client
  public static final byte OUT = 1;
  public static final byte ERR = 2;
  public static final byte EXIT = 3;
  public static final byte STDIN_WANTED = 4;
  public static final byte TEXT = 5;
  /** The resident process belongs to another build (or is stopping): start a new one and send the call there. */
  public static final byte RESTART = 6;
  /** The command has begun: from here a lost connection means it may have run. */
  public static final byte STARTED = 7;

  // client to resident process
  public static final byte STDIN = 1;
  public static final byte INTERRUPT = 2;

  /** Strings are UTF-8 with an int length: argument lists and outputs may exceed writeUTF's 64 KiB. */
  public static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  public static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  public static void writeBytes(DataOutputStream out, byte type, byte[] bytes, int offset, int length) throws IOException {
    out.writeByte(type);
    out.writeInt(length);
    out.write(bytes, offset, length);
  }

  public static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 64 * 1024 * 1024) {
      throw new IOException("bad frame length " + length);
    }
    return in.readNBytes(length);
  }

  private Wire() {
  }
}
