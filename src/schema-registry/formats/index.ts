import type { SchemaType } from '../types.ts';
import { avroProvider } from './avro.ts';
import { jsonSchemaProvider } from './json-schema.ts';
import { protobufProvider } from './protobuf.ts';
import type { SchemaProvider } from './provider.ts';

export type { ParsedSchema, ResolvedReference, SchemaProvider } from './provider.ts';
export { AvroSchema } from './avro.ts';
export { JsonSchema } from './json-schema.ts';
export { ProtobufSchema } from './protobuf.ts';

const providers: Record<SchemaType, SchemaProvider> = {
  AVRO: avroProvider,
  JSON: jsonSchemaProvider,
  PROTOBUF: protobufProvider,
};

export function providerFor(type: SchemaType): SchemaProvider {
  return providers[type];
}
