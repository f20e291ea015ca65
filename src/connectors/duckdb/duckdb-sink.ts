/**
 * `DuckDBSink`: topics into tables of a DuckDB database file (`duckdb.path`), with the JDBC
 * sink's modes (insert/upsert, pk.mode, deletes from tombstones and Debezium `op=d`,
 * auto.create, auto.evolve) and exactly-once delivery: the consumed offsets are written to
 * `offsets.table.name` in the same DuckDB transaction as the rows, and read back at start.
 *
 * Example config:
 *   {"connector.class": "DuckDBSink", "topics": "orders", "duckdb.path": "/data/warehouse.duckdb",
 *    "insert.mode": "upsert", "pk.mode": "record_key", "auto.create": "true", "auto.evolve": "true"}
 */
import type { ConnectorConfig, SinkConnector, SinkTask } from '../api.ts';
import { ConfigDef, nonEmpty, parseOrThrow } from '../config-def.ts';
import { sqlSinkConfigDef, sqlSinkProblems, sqlSinkSettings } from '../sql-sink/sink-config.ts';
import { SqlSinkTask } from '../sql-sink/sql-sink-task.ts';
import { DuckDBSession } from './duckdb-session.ts';

export const duckdbSinkConfigDef = new ConfigDef()
  .define({ name: 'duckdb.path', type: 'string', importance: 'high', doc: 'Path of the DuckDB database file (created if missing).', validator: nonEmpty() })
  .merge(sqlSinkConfigDef(true));

export class DuckDBSinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
  private config: ConnectorConfig = {};
  async start(config: ConnectorConfig): Promise<void> {
    parseOrThrow(duckdbSinkConfigDef, config, 'DuckDBSink');
    this.config = config;
  }
  async taskConfigs(maxTasks: number): Promise<ConnectorConfig[]> {
    return Array.from({ length: maxTasks }, () => ({ ...this.config }));
  }
  createTask(): SinkTask {
    return new SqlSinkTask(duckdbSinkConfigDef, async (config) => DuckDBSession.open(config['duckdb.path']));
  }
  async stop(): Promise<void> {}
  async validate(config: ConnectorConfig): Promise<Record<string, string[]>> {
    const { values, errors } = duckdbSinkConfigDef.parse(config);
    if (Object.keys(errors).length > 0) return {};
    return sqlSinkProblems(sqlSinkSettings(values));
  }
}
