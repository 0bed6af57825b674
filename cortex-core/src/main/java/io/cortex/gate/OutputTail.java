package io.cortex.gate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code limit} bytes written to it, however much is written. Thread-safe: one
 * thread drains a process's output into it while another reads the text.
 */
final class OutputTail {

  private static final int CHUNK_BYTES = 8_192;

  private final byte[] ring;
  private long total;

  OutputTail(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.ring = new byte[limit];
  }

  /** Reads {@code in} to its end (or until it fails), keeping the tail. */
  void drain(InputStream in) {
    byte[] chunk = new byte[CHUNK_BYTES];
    try (in) {
      int read;
      while ((read = in.read(chunk)) != -1) {
        append(chunk, read);
      }
    } catch (IOException e) {
      // the stream was closed (the process was killed); what was read so far is kept
    }
  }

  synchronized void append(byte[] chunk, int length) {
    int from = Math.max(0, length - ring.length);
    total += from;
    while (from < length) {
      int index = (int) (total % ring.length);
      int count = Math.min(length - from, ring.length - index);
      System.arraycopy(chunk, from, ring, index, count);
      from += count;
      total += count;
    }
  }

  /** Whether older bytes were dropped. */
  synchronized boolean truncated() {
    return total > ring.length;
  }

  /** The bytes kept, oldest first. */
  synchronized byte[] bytes() {
    if (total <= ring.length) {
      byte[] bytes = new byte[(int) total];
      System.arraycopy(ring, 0, bytes, 0, bytes.length);
      return bytes;
    }
    int start = (int) (total % ring.length);
    byte[] bytes = new byte[ring.length];
    System.arraycopy(ring, start, bytes, 0, ring.length - start);
    System.arraycopy(ring, 0, bytes, ring.length - start, start);
    return bytes;
  }

  /**
   * The bytes kept as UTF-8 text; when older bytes were dropped, prefixed with {@code mark} and
   * starting at a whole character.
   */
  synchronized String text(String mark) {
    byte[] bytes = bytes();
    if (!truncated()) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    int start = 0;
    while (start < bytes.length && start < 3 && (bytes[start] & 0xC0) == 0x80) {
      start++;
    }
    return mark + new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }
}
