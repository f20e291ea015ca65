/**
 * `PostgresSink`, also reached as Confluent's `io.confluent.connect.jdbc.JdbcSinkConnector` when
 * `connection.url` is a PostgreSQL URL: the JDBC sink's options (`connection.url`,
 * `connection.user`, `connection.password`, `insert.mode`, `pk.mode`, `pk.fields`,
 * `auto.create`, `auto.evolve`, `delete.enabled`, `table.name.format`, `batch.size`), with the
 * consumed offsets stored in `offsets.table.name` in the same transaction as the rows.
 */
import type { ConnectorConfig, SinkConnector, SinkTask } from '../api.ts';
import { ConfigDef, parseOrThrow } from '../config-def.ts';
import { sqlSinkConfigDef, sqlSinkProblems, sqlSinkSettings } from '../sql-sink/sink-config.ts';
import { SqlSinkTask } from '../sql-sink/sql-sink-task.ts';
import { PostgresSession, pgConfigFromUrl } from './postgres-session.ts';

export const postgresSinkConfigDef = new ConfigDef()
  .define({
    name: 'connection.url',
    type: 'string',
    importance: 'high',
    doc: 'jdbc:postgresql://host:port/database (or postgres://...).',
    validator: (v, name) => (typeof v === 'string' && !/^(jdbc:)?postgres(ql)?:\/\//.test(v) ? `Invalid value ${v} for configuration ${name}: expected a PostgreSQL URL (jdbc:postgresql://host:port/db)` : null),
  })
  .define({ name: 'connection.user', type: 'string', default: null, importance: 'high', doc: 'Database user.' })
  .define({ name: 'connection.password', type: 'password', default: null, importance: 'high', doc: 'Database password.' })
  .merge(sqlSinkConfigDef(false));

function sessionConfig(config: Readonly<Record<string, string>>) {
  return pgConfigFromUrl(config['connection.url'], config['connection.user'], config['connection.password']);
}

export class PostgresSinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
  private config: ConnectorConfig = {};
  async start(config: ConnectorConfig): Promise<void> {
    parseOrThrow(postgresSinkConfigDef, config, 'PostgresSink');
    this.config = config;
  }
  async taskConfigs(maxTasks: number): Promise<ConnectorConfig[]> {
    return Array.from({ length: maxTasks }, () => ({ ...this.config }));
  }
  createTask(): SinkTask {
    return new SqlSinkTask(postgresSinkConfigDef, async (config) => PostgresSession.open(sessionConfig(config)));
  }
  async stop(): Promise<void> {}
  async validate(config: ConnectorConfig): Promise<Record<string, string[]>> {
    const { values, errors } = postgresSinkConfigDef.parse(config);
    if (Object.keys(errors).length > 0) return {};
    const problems = sqlSinkProblems(sqlSinkSettings(values));
    try {
      const s = await PostgresSession.open({ ...sessionConfig(config), connectionTimeoutMillis: 5000 });
      await s.close();
    } catch (err) {
      problems['connection.url'] = [`Could not connect to ${config['connection.url']}: ${err instanceof Error ? err.message : String(err)}`];
    }
    return problems;
  }
}
