/**
 * The schema registry module's public surface: the registry (in-process API), its REST server,
 * the serializers for Confluent's wire format, the broker's record validator and the CLI
 * command implementations.
 */
export { SchemaRegistry, parseVersionSpec, contextOf, defaultCompatibility } from './registry.ts';
export type { RegisterRequest, LookupOptions, CompatibilityResult, VersionSpec } from './registry.ts';
export { createSchemaRegistry, serveSchemaRegistry, buildApp } from './http/server.ts';
export type { SchemaRegistryServer, SchemaRegistryServerOptions } from './http/server.ts';
export { RegistryError, Errors, ErrorCodes, SerializationError } from './errors.ts';
export type {
  SchemaType,
  CompatibilityLevel,
  Mode,
  SchemaReference,
  SchemaInput,
  SchemaById,
  SubjectVersion,
  RegistryConfig,
} from './types.ts';
export { CompatibilityLevels, Modes, SchemaTypes } from './types.ts';
export type { ParsedSchema } from './formats/index.ts';
export { AvroSchema, JsonSchema, ProtobufSchema, providerFor } from './formats/index.ts';
export { createRecordValidator, type RecordValidator } from './record-validator.ts';
export { Serializer, Deserializer, type SerializerOptions, type DeserializerOptions } from './serdes/serde.ts';
export { InProcessRegistryClient, HttpRegistryClient, type RegistryClient } from './serdes/registry-client.ts';
export { subjectName, type SubjectNameStrategy } from './serdes/subject-name-strategy.ts';
export { readSchemaId, encodeMessageIndexes, decodeMessageIndexes, headerBytes, magicByte } from './serdes/wire-format.ts';
export type { Encoder, Decoder } from './serdes/codecs.ts';
export * as schemaCli from './cli.ts';
