package io.cortex.engine;

import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Session;
import io.cortex.db.Transactions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;

/** The phase each running session is in now, by session id: what an automatic checkpoint is taken of. */
final class RunningPhases {

  private RunningPhases() {
  }

  static Map<String, String> of(ProcessEngine engine, Transactions transactions) {
    Map<String, String> active = new LinkedHashMap<>();
    PhaseLookup phases = new PhaseLookup(engine);
    for (Session session : transactions.run(c -> new Catalogue(c).sessions())) {
      if (session.processInstanceId() != null && engine.getRuntimeService().createProcessInstanceQuery()
          .processInstanceId(session.processInstanceId()).count() > 0) {
        phases.activePhases(session.processInstanceId()).stream().findFirst()
            .ifPresent(phase -> active.put(session.sessionId(), phase.phase()));
      }
    }
    return active;
  }
}
