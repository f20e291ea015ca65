/** Datagen: Confluent's quickstart generator as a source connector plugin. */
import { registerConnectorPlugin } from '../plugins.ts';
import { DatagenConnector, datagenConfigDef } from './datagen-source.ts';

export { DatagenConnector, datagenConfigDef } from './datagen-source.ts';
export { quickstarts, seededRandom, type Quickstart } from './quickstarts.ts';

registerConnectorPlugin({
  className: 'io.confluent.kafka.connect.datagen.DatagenConnector',
  aliases: ['DatagenSource', 'DatagenConnector'],
  type: 'source',
  version: '0.6.0',
  configDef: datagenConfigDef,
  create: () => new DatagenConnector(),
});
