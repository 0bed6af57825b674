package io.cortex.db;

import io.cortex.base.CortexException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plain JDBC on one connection (the engine transaction's): prepared statements, rows mapped by lambdas. */
public final class Jdbc {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection connection;

  public Jdbc(Connection connection) {
    this.connection = connection;
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement statement = prepare(sql, params); ResultSet rs = statement.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw new CortexException("Cortex database query failed: " + e.getMessage(), e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(String sql, Object... params) {
    try (PreparedStatement statement = prepare(sql, params)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new CortexException("Cortex database update failed: " + e.getMessage(), e);
    }
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p == null) {
        statement.setNull(i + 1, Types.VARCHAR);
      } else if (p instanceof Long l) {
        statement.setLong(i + 1, l);
      } else if (p instanceof Integer n) {
        statement.setInt(i + 1, n);
      } else {
        statement.setString(i + 1, p.toString());
      }
    }
    return statement;
  }
}
