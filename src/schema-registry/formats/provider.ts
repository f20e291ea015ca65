/**
 * What each schema format (Avro, JSON Schema, Protobuf) gives the registry: a parser that turns
 * schema text plus its resolved references into a `ParsedSchema`, which knows its stored form,
 * its normalized form, its record name and how to check itself against an older schema.
 */
import type { SchemaType } from '../types.ts';

/** A reference with its schema text, resolved by the registry; `dependencies` come first. */
export interface ResolvedReference {
  name: string;
  subject: string;
  version: number;
  schemaType: SchemaType;
  schema: string;
}

export interface ParsedSchema {
  readonly schemaType: SchemaType;
  /** The stored form: what `GET /schemas/ids/{id}` returns (Confluent's canonical string). */
  readonly canonical: string;
  /** The form stored when `normalize=true`: equal for schemas that differ only in layout. */
  readonly normalized: string;
  /** The fully qualified record name (Avro record, JSON `title`, first Protobuf message), if any. */
  readonly recordName: string | null;
  /**
   * Confluent's "backward" check with this schema as the new one (reader, "update") and `previous`
   * as the one that wrote the data (writer, "original"): the incompatibilities found, each as one
   * message, empty when compatible. Forward is the same call with the roles swapped.
   */
  backwardIncompatibilities(previous: ParsedSchema): string[];
}

export interface SchemaProvider {
  readonly schemaType: SchemaType;
  /** Throws a 42201 `RegistryError` saying what is wrong when the schema does not parse. */
  parse(schema: string, references: readonly ResolvedReference[]): ParsedSchema;
}
