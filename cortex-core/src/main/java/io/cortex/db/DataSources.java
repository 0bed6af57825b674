package io.cortex.db;

import javax.sql.DataSource;

/** What lies behind a host's data source. */
public final class DataSources {

  private static final String SPRING_TRANSACTION_PROXY = "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy";

  private DataSources() {
  }

  /**
   * The data source behind Spring's transaction-aware proxy (looked through by name: no Spring dependency), whose
   * connections are independent of the running transaction — the proxy would hand out the running engine
   * transaction's connection. Any other data source is returned as it is.
   */
  public static DataSource withoutTransactionProxy(DataSource dataSource) {
    DataSource current = dataSource;
    for (int i = 0; i < 5 && current != null && current.getClass().getName().equals(SPRING_TRANSACTION_PROXY); i++) {
      try {
        current = (DataSource) current.getClass().getMethod("getTargetDataSource").invoke(current);
      } catch (ReflectiveOperationException | ClassCastException e) {
        return dataSource;
      }
    }
    return current == null ? dataSource : current;
  }
}
