package io.cortex.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The seed's checkpoint file, {@code .cortex/phase-checkpoints-<session>.json}, field for
 * field. Cortex adds {@code type} and {@code base_sha} to each checkpoint; files without them
 * (written by the seed's tools) import as well.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SeedFile(@JsonProperty("session_id") String sessionId,
                       @JsonProperty("created_at") String createdAt,
                       @JsonProperty("checkpoints") List<Entry> checkpoints) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(@JsonProperty("phase") @JsonInclude(JsonInclude.Include.ALWAYS) String phase,
                      @JsonProperty("checkpoint_id") String checkpointId,
                      @JsonProperty("commit_sha") String commitSha,
                      @JsonProperty("created_at") String createdAt,
                      @JsonProperty("metrics") Map<String, Object> metrics,
                      @JsonProperty("type") String type,
                      @JsonProperty("base_sha") String baseSha) {

    static Entry of(Checkpoint c) {
      return new Entry(c.phase(), c.checkpointId(), c.snapshotCommit(), c.createdAt().toString(), c.metrics(),
          c.type().name(), c.baseCommit());
    }
  }

  public static String fileName(String sessionId) {
    return "phase-checkpoints-" + sessionId + ".json";
  }
}
