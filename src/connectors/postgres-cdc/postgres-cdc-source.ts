/**
 * `PostgresCdcSource` (`io.debezium.connector.postgresql.PostgresConnector`): Debezium's
 * PostgreSQL connector over pgoutput, with Debezium's option names, topics, envelope and type
 * mapping. One task: a replication slot is read by one connection.
 *
 * Example config (as in Debezium's documentation):
 *   { "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
 *     "database.hostname": "127.0.0.1", "database.port": "5432", "database.user": "postgres",
 *     "database.dbname": "shop", "topic.prefix": "shop", "plugin.name": "pgoutput",
 *     "table.include.list": "public.orders", "publication.autocreate.mode": "filtered" }
 */
import type { ConnectorConfig, ConnectorContext, SourceConnector, SourceTask } from '../api.ts';
import { parseCdcConfig } from './config.ts';
import { PostgresCdcTask } from './postgres-cdc-task.ts';
import { connectPg } from './replication-connection.ts';

export class PostgresCdcSource implements SourceConnector {
  readonly type = 'source' as const;
  private config: ConnectorConfig = {};

  async start(config: ConnectorConfig, _context: ConnectorContext): Promise<void> {
    parseCdcConfig(config);
    this.config = config;
  }

  async taskConfigs(_maxTasks: number): Promise<ConnectorConfig[]> {
    return [{ ...this.config }];
  }

  createTask(): SourceTask {
    return new PostgresCdcTask();
  }

  async stop(): Promise<void> {}

  /** Connects and checks what logical decoding needs (`wal_level=logical`). */
  async validate(config: ConnectorConfig): Promise<Record<string, string[]>> {
    let parsed;
    try {
      parsed = parseCdcConfig(config);
    } catch {
      return {}; // the ConfigDef reports per-field problems itself
    }
    try {
      const client = await connectPg({ ...parsed.connection, connectTimeoutMs: 5_000 }, 'runnel-cdc-validate');
      try {
        const r = await client.query<{ wal_level: string }>('SHOW wal_level');
        if (r.rows[0]?.wal_level !== 'logical') return { 'database.hostname': [`wal_level is ${r.rows[0]?.wal_level}; logical decoding needs wal_level=logical`] };
      } finally {
        await client.end();
      }
    } catch (err) {
      return { 'database.hostname': [`cannot connect to PostgreSQL: ${err instanceof Error ? err.message : String(err)}`] };
    }
    return {};
  }
}
