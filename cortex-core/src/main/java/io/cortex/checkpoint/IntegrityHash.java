package io.cortex.checkpoint;

import io.cortex.base.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SHA-256 over a checkpoint's canonical content (every field but the hash itself, as JSON with
 * sorted keys). A rollback recomputes it before touching anything; a mismatch means the
 * catalogue row was altered.
 */
public final class IntegrityHash {

  private IntegrityHash() {
  }

  public static String of(Checkpoint c) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("sessionId", c.sessionId());
    canonical.put("checkpointId", c.checkpointId());
    canonical.put("sequence", c.sequence());
    canonical.put("type", c.type().name());
    canonical.put("phase", c.phase());
    canonical.put("processInstanceId", c.processInstanceId());
    canonical.put("activityInstanceId", c.activityInstanceId());
    canonical.put("baseCommit", c.baseCommit());
    canonical.put("snapshotCommit", c.snapshotCommit());
    canonical.put("branch", c.branch());
    canonical.put("createdAt", c.createdAt().toEpochMilli());
    canonical.put("metrics", c.metrics());
    canonical.put("skipped", c.skipped());
    return sha256(Json.write(canonical));
  }

  public static boolean matches(Checkpoint c) {
    return of(c).equals(c.integrityHash());
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
