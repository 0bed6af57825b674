package io.cortex.engine;

import io.cortex.db.DataSources;
import javax.sql.DataSource;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.datasource.unpooled.UnpooledDataSource;
import org.camunda.bpm.engine.impl.util.ReflectUtil;

/**
 * The connections the repository lock holds its row lock on. Not the engine's transaction (see
 * {@link DataSources#withoutTransactionProxy}). Not the engine's MyBatis pool either: when that pool runs dry it
 * reclaims a connection checked out for longer than 20 s by rolling it back, which would release a lock whose
 * holder still works (a recovery running a gate); the lock opens its own connections instead.
 */
final class LockDataSource {

  private LockDataSource() {
  }

  static DataSource of(DataSource engineDataSource) {
    DataSource plain = DataSources.withoutTransactionProxy(engineDataSource);
    if (plain instanceof PooledDataSource pooled) {
      UnpooledDataSource unpooled = new UnpooledDataSource(ReflectUtil.getClassLoader(), pooled.getDriver(),
          pooled.getUrl(), pooled.getUsername(), pooled.getPassword());
      if (pooled.getDriverProperties() != null) {
        unpooled.setDriverProperties(pooled.getDriverProperties());
      }
      return unpooled;
    }
    return plain;
  }
}
