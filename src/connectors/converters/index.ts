/**
 * The converters users name in `key.converter` / `value.converter`, registered under Kafka's and
 * Confluent's class names and our short names.
 */
import { registerConverter } from '../plugins.ts';
import { RegistryConverter } from './registry-converter.ts';
import { ByteArrayConverter, JsonConverter, StringConverter } from './simple-converters.ts';

export { RegistryConverter } from './registry-converter.ts';
export { ByteArrayConverter, JsonConverter, StringConverter } from './simple-converters.ts';

registerConverter({ className: 'org.apache.kafka.connect.storage.StringConverter', aliases: ['StringConverter', 'string'], create: () => new StringConverter() });
registerConverter({ className: 'org.apache.kafka.connect.converters.ByteArrayConverter', aliases: ['ByteArrayConverter', 'bytes'], create: () => new ByteArrayConverter() });
registerConverter({ className: 'org.apache.kafka.connect.json.JsonConverter', aliases: ['JsonConverter', 'json'], create: () => new JsonConverter() });
registerConverter({ className: 'io.confluent.connect.avro.AvroConverter', aliases: ['AvroConverter', 'avro'], create: (env) => new RegistryConverter('AVRO', env) });
registerConverter({ className: 'io.confluent.connect.json.JsonSchemaConverter', aliases: ['JsonSchemaConverter', 'json-schema'], create: (env) => new RegistryConverter('JSON', env) });
registerConverter({ className: 'io.confluent.connect.protobuf.ProtobufConverter', aliases: ['ProtobufConverter', 'protobuf'], create: (env) => new RegistryConverter('PROTOBUF', env) });
