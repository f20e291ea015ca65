/** The DuckDB sink plugin. */
import { registerConnectorPlugin } from '../plugins.ts';
import { DuckDBSinkConnector, duckdbSinkConfigDef } from './duckdb-sink.ts';

export { DuckDBSinkConnector, duckdbSinkConfigDef } from './duckdb-sink.ts';
export { DuckDBSession, withDuckDB } from './duckdb-session.ts';

registerConnectorPlugin({
  className: 'io.runnel.connect.duckdb.DuckDBSinkConnector',
  aliases: ['DuckDBSink', 'DuckDBSinkConnector'],
  type: 'sink',
  version: '0.1.0',
  configDef: duckdbSinkConfigDef,
  create: () => new DuckDBSinkConnector(),
});
