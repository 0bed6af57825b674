package io.cortex.reliability;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.config.ConfigLoader;
import io.cortex.testing.TempRepo;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link CrashSoakTest} kills: boots Cortex on the shared H2 file as a CLI call does, prints
 * {@code GO}, then works on the repository until it is killed — edits files, then a checkpoint, rollback,
 * undo or retention run, chosen at random. Before each operation it appends to the journal what the working
 * tree is and what it will be if the operation completes, so the test can judge the state it finds.
 *
 * <pre>
 * BEGIN op target before=TREE after=TREE preRollbacks=N
 * END op
 * </pre>
 *
 * On standard output it prints {@code GO} once ready, and {@code OP name} as each operation begins.
 * Arguments: {@code DATA REPO SESSION SEED JOURNAL CONFIG}.
 */
public final class CrashWorker {

  private CrashWorker() {
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    TempRepo repo = TempRepo.open(Path.of(args[1]));
    String session = args[2];
    Random random = new Random(Long.parseLong(args[3]));
    try (Cortex cortex = Cortex.start(ConfigLoader.load(Path.of(args[5])), data);
         PrintStream journal = new PrintStream(new FileOutputStream(args[4], true), true, StandardCharsets.UTF_8)) {
      System.out.println("GO");
      System.out.flush();
      while (true) {
        edit(repo, random);
        List<Checkpoint> checkpoints = cortex.checkpoints(session);
        List<Checkpoint> preRollbacks = checkpoints.stream().filter(c -> c.type() == CheckpointType.PRE_ROLLBACK).toList();
        String before = repo.nativeSnapshotTree();
        int dice = random.nextInt(100);
        String op;
        try {
          if (dice < 40) {
            op = "checkpoint";
            line(journal, "BEGIN checkpoint - before=" + before + " after=" + before + " preRollbacks=" + preRollbacks.size());
            cortex.createCheckpoint(session, null, Map.of());
          } else if (dice < 70 || preRollbacks.isEmpty() && dice < 85) {
            op = "rollback";
            Checkpoint target = checkpoints.get(random.nextInt(checkpoints.size()));
            line(journal, "BEGIN rollback " + target.checkpointId() + " before=" + before + " after="
                + tree(repo, target) + " preRollbacks=" + preRollbacks.size());
            cortex.rollback(session, target.checkpointId(), true);
          } else if (dice < 85) {
            op = "undo";
            Checkpoint target = preRollbacks.get(preRollbacks.size() - 1);
            line(journal, "BEGIN undo " + target.checkpointId() + " before=" + before + " after=" + tree(repo, target)
                + " preRollbacks=" + preRollbacks.size());
            cortex.undo(session, true);
          } else {
            op = "retention";
            line(journal, "BEGIN retention - before=" + before + " after=" + before + " preRollbacks="
                + preRollbacks.size());
            cortex.applyRetention();
          }
          line(journal, "END " + op);
        } catch (CortexException e) {
          line(journal, "END error " + e.getClass().getSimpleName() + ": " + e.getMessage().replace('\n', ' '));
        }
      }
    }
  }

  /** One write per line: a kill never leaves half a line for the next worker to append to. */
  private static void line(PrintStream journal, String line) {
    byte[] bytes = line.concat("\n").getBytes(StandardCharsets.UTF_8);
    journal.write(bytes, 0, bytes.length);
    journal.flush();
    if (line.startsWith("BEGIN ")) {
      System.out.println("OP " + line.split(" ")[1]); // the test may aim its kill at this operation
      System.out.flush();
    }
  }

  static String tree(TempRepo repo, Checkpoint checkpoint) {
    return repo.git("rev-parse", checkpoint.snapshotCommit() + "^{tree}").trim();
  }

  /** A few files changed, added (untracked) or deleted, under {@code src/}. */
  private static void edit(TempRepo repo, Random random) {
    int changes = 1 + random.nextInt(8);
    for (int i = 0; i < changes; i++) {
      String path = "src/d" + random.nextInt(10) + "/F" + random.nextInt(30) + ".txt";
      if (random.nextInt(5) == 0) {
        if (java.nio.file.Files.exists(repo.dir().resolve(path))) {
          repo.delete(path);
        }
      } else {
        repo.write(path, "content " + random.nextLong() + "\n".repeat(1 + random.nextInt(50)));
      }
    }
  }
}
