/**
 * The registry's data model, named as Confluent's REST entities name it
 * (`client/.../rest/entities/*.java`): schema types, references, compatibility levels, modes.
 */

export const SchemaTypes = ['AVRO', 'JSON', 'PROTOBUF'] as const;
export type SchemaType = (typeof SchemaTypes)[number];

export const CompatibilityLevels = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof CompatibilityLevels)[number];

export const Modes = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;
export type Mode = (typeof Modes)[number];

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** Request fields Confluent defines that the registry stores without interpreting. */
export type OpaqueJson = unknown;

/** What a client sends to register, look up or check a schema. */
export interface SchemaInput {
  schema: string;
  schemaType?: SchemaType;
  references?: readonly SchemaReference[];
  metadata?: OpaqueJson;
  ruleSet?: OpaqueJson;
}

/** A registered schema, by id: what `GET /schemas/ids/{id}` describes. */
export interface SchemaById {
  id: number;
  schemaType: SchemaType;
  /** The stored form (canonical: whitespace removed, or normalized when asked). */
  schema: string;
  references: SchemaReference[];
  metadata?: OpaqueJson;
  ruleSet?: OpaqueJson;
}

/** One version of a subject: what `GET /subjects/{s}/versions/{v}` describes. */
export interface SubjectVersion extends SchemaById {
  subject: string;
  version: number;
  deleted: boolean;
}

/** Subject- or registry-level config, as `GET /config` reports it. */
export interface RegistryConfig {
  compatibilityLevel?: CompatibilityLevel;
  normalize?: boolean;
  /** Other Confluent config fields (alias, validateFields, defaultMetadata, ...) kept as sent. */
  extra?: Record<string, unknown>;
}

export function isSchemaType(value: unknown): value is SchemaType {
  return typeof value === 'string' && (SchemaTypes as readonly string[]).includes(value);
}

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (CompatibilityLevels as readonly string[]).includes(value);
}

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (Modes as readonly string[]).includes(value);
}
