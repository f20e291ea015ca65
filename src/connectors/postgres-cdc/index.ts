/**
 * The Postgres CDC source's public surface; importing it registers the plugin under Debezium's
 * class name and our short name.
 */
import { registerConnectorPlugin, type ConnectorPlugin } from '../api.ts';
import { postgresCdcConfigDef } from './config.ts';
import { CONNECTOR_VERSION } from './debezium-schemas.ts';
import { PostgresCdcSource } from './postgres-cdc-source.ts';

export const postgresCdcPlugin: ConnectorPlugin = {
  className: 'io.debezium.connector.postgresql.PostgresConnector',
  aliases: ['PostgresCdcSource'],
  type: 'source',
  version: CONNECTOR_VERSION,
  configDef: postgresCdcConfigDef,
  create: () => new PostgresCdcSource(),
};

registerConnectorPlugin(postgresCdcPlugin);

export { PostgresCdcSource } from './postgres-cdc-source.ts';
export { PostgresCdcTask } from './postgres-cdc-task.ts';
export { postgresCdcConfigDef, parseCdcConfig, type CdcConfig } from './config.ts';
export { decodePgoutput } from './pgoutput-decoder.ts';
export { parseLsn, formatLsn, type Lsn } from './lsn.ts';
