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
