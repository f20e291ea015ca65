/** The Postgres sink plugin, under our name and Confluent's JDBC sink class for postgres URLs. */
import type { ConnectorConfig } from '../api.ts';
import { registerConnectorPlugin } from '../plugins.ts';
import { PostgresSinkConnector, postgresSinkConfigDef } from './postgres-sink.ts';

export { PostgresSinkConnector, postgresSinkConfigDef } from './postgres-sink.ts';
export { PostgresSession, pgConfigFromUrl } from './postgres-session.ts';

const isPostgresUrl = (config: ConnectorConfig) => /^(jdbc:)?postgres(ql)?:/.test(config['connection.url'] ?? '');

registerConnectorPlugin({
  className: 'io.runnel.connect.postgres.PostgresSinkConnector',
  aliases: ['PostgresSink', 'PostgresSinkConnector'],
  type: 'sink',
  version: '0.1.0',
  configDef: postgresSinkConfigDef,
  create: () => new PostgresSinkConnector(),
});
registerConnectorPlugin({
  className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
  aliases: ['JdbcSinkConnector'],
  type: 'sink',
  version: '10.7.0',
  configDef: postgresSinkConfigDef,
  create: () => new PostgresSinkConnector(),
  accepts: isPostgresUrl,
});
