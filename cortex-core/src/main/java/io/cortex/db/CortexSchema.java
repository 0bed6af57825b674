package io.cortex.db;

import io.cortex.base.CortexException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings Cortex's tables (catalogue, audit log, repository locks, intents) in the engine's database to the version
 * this code needs, when the process that owns the database starts: versioned Flyway migrations, the scripts under
 * {@code io/cortex/db/migration} on the class path, their history in {@value #HISTORY_TABLE}.
 *
 * <pre>{@code
 * CortexSchema.migrate(dataSource); // before the first catalogue read or write
 * }</pre>
 *
 * <ul>
 *   <li>All pending migrations run in one transaction: on PostgreSQL, whose DDL is transactional, a failed upgrade
 *       leaves the tables as they were; H2 commits each DDL statement.</li>
 *   <li>A database made by a release before migrations (its tables, no history table) is baselined at version 0;
 *       {@code V1} then adds only the tables that release lacked.</li>
 *   <li>A database a newer Cortex has migrated further than this code knows is refused, before anything is
 *       changed ({@link SchemaTooNewException}).</li>
 *   <li>Its own history table, so a host application's Flyway or Liquibase on the same database is not touched;
 *       processes starting together are serialised by Flyway's lock (an advisory lock on PostgreSQL).</li>
 * </ul>
 */
public final class CortexSchema {

  /** Flyway's history of Cortex's migrations (Camunda's own schema log is {@code ACT_GE_SCHEMA_LOG}). */
  public static final String HISTORY_TABLE = "CORTEX_SCHEMA_HISTORY";
  static final String LOCATION = "classpath:io/cortex/db/migration";

  private CortexSchema() {
  }

  /** Applies the pending migrations; refuses a database whose Cortex tables are newer than this code. */
  public static void migrate(DataSource dataSource) {
    DatabaseKind kind = DatabaseKind.of(dataSource);
    Flyway flyway = Flyway.configure(CortexSchema.class.getClassLoader())
        .dataSource(dataSource)
        .table(kind.lowerCase() ? HISTORY_TABLE.toLowerCase(Locale.ROOT) : HISTORY_TABLE)
        .locations(LOCATION)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .baselineDescription("Cortex tables made before versioned migrations")
        .group(kind.transactionalDdl())
        .validateMigrationNaming(true)
        .load();
    try {
      refuseNewer(flyway, dataSource);
      flyway.migrate();
    } catch (FlywayException e) {
      throw new CortexException("Could not bring the Cortex tables in " + describe(dataSource)
          + " to the version this Cortex needs: " + e.getMessage()
          + " Nothing was changed where the database allows DDL in a transaction (PostgreSQL); see docs/reliability.md,"
          + " \"Schema migrations\".", e);
    }
  }

  private static void refuseNewer(Flyway flyway, DataSource dataSource) {
    Optional<MigrationInfo> newest = Arrays.stream(flyway.info().applied())
        .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
        .max(Comparator.comparing(MigrationInfo::getVersion));
    if (newest.isPresent()) {
      String known = Arrays.stream(flyway.info().all()).filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS
              && m.getState() != MigrationState.FUTURE_FAILED && m.getVersion() != null)
          .map(MigrationInfo::getVersion).max(Comparator.naturalOrder()).map(Object::toString).orElse("0");
      throw new SchemaTooNewException(describe(dataSource), newest.get().getVersion().toString(), known);
    }
  }

  /**
   * What decides how Flyway is set up for a database. Flyway quotes the history table's name; Cortex's other tables
   * are unquoted, which PostgreSQL folds to lower case, so the history table follows them there
   * ({@code SELECT * FROM cortex_schema_history} works in both). One transaction for all pending migrations only
   * where DDL is transactional (PostgreSQL): H2 commits each DDL statement, and Flyway warns against grouping there.
   */
  private record DatabaseKind(boolean lowerCase, boolean transactionalDdl) {

    static DatabaseKind of(DataSource dataSource) {
      try (Connection connection = dataSource.getConnection()) {
        var meta = connection.getMetaData();
        return new DatabaseKind(meta.storesLowerCaseIdentifiers(),
            meta.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres"));
      } catch (SQLException e) {
        throw new CortexException("Could not connect to the engine's database to migrate the Cortex tables: "
            + e.getMessage(), e);
      }
    }
  }

  private static String describe(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return "the database " + connection.getMetaData().getURL();
    } catch (SQLException e) {
      return "the engine's database";
    }
  }
}
