package io.cortex.db;

import java.sql.Connection;
import java.util.function.Function;

/** Runs work in a transaction of the engine's database; the work gets that transaction's connection. */
@FunctionalInterface
public interface Transactions {

  <T> T run(Function<Connection, T> work);
}
