/**
 * JSON Schema through `ajv` (draft-07 by default; 2019-09 and 2020-12 when `$schema` says so;
 * draft-04/06 documents are read as draft-07): parsing with references, Confluent's stored form
 * (compact JSON, key order kept), normalization (keys sorted), validators for the serializers, and
 * compatibility through the diff in `json-compat.ts`.
 */
import { createRequire } from 'node:module';
import type { AnySchema, ValidateFunction } from 'ajv';
import { Errors } from '../errors.ts';
import { compatibleChanges, diffJsonSchemas, formatJsonDifference } from './json-compat.ts';
import { JsonSchemaLoader } from './json-model.ts';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from './provider.ts';

// ajv and ajv-formats are CommonJS with `export default`; createRequire gives their real shape.
const require = createRequire(import.meta.url);
type AjvInstance = {
  addSchema(schema: AnySchema, key?: string): AjvInstance;
  addMetaSchema(schema: AnySchema): AjvInstance;
  compile(schema: AnySchema): ValidateFunction;
  errorsText(errors?: ValidateFunction['errors']): string;
};
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;
const Ajv07 = (require('ajv') as { default: AjvClass }).default;
const Ajv2019 = (require('ajv/dist/2019') as { default: AjvClass }).default;
const Ajv2020 = (require('ajv/dist/2020') as { default: AjvClass }).default;
const addFormats = (require('ajv-formats') as { default: (ajv: AjvInstance) => void }).default;
const draft06Meta = require('ajv/dist/refs/json-schema-draft-06.json') as AnySchema;

export class JsonSchema implements ParsedSchema {
  readonly schemaType = 'JSON' as const;
  readonly canonical: string;
  readonly recordName: string | null;
  readonly json: unknown;
  readonly references: ReadonlyMap<string, unknown>;
  private readonly refList: readonly ResolvedReference[];
  private validatorCache: ValidateFunction | undefined;
  private normalizedCache: string | undefined;

  constructor(json: unknown, references: readonly ResolvedReference[], validator: ValidateFunction) {
    this.json = json;
    this.refList = references;
    this.references = new Map(references.map((r) => [r.name, JSON.parse(r.schema) as unknown]));
    this.canonical = JSON.stringify(json);
    const title = json !== null && typeof json === 'object' ? (json as Record<string, unknown>).title : undefined;
    this.recordName = typeof title === 'string' ? title : null;
    this.validatorCache = validator;
  }

  get normalized(): string {
    this.normalizedCache ??= JSON.stringify(sortKeys(this.json));
    return this.normalizedCache;
  }

  /** An ajv validator for data (compiled once per parsed schema). */
  get validate(): ValidateFunction {
    this.validatorCache ??= compile(this.json, this.refList);
    return this.validatorCache;
  }

  backwardIncompatibilities(previous: ParsedSchema): string[] {
    if (!(previous instanceof JsonSchema)) return [`{errorType:'TYPE_CHANGED', description:'Incompatible schema types JSON and ${previous.schemaType}'}`];
    const original = new JsonSchemaLoader(previous.json, previous.references).root();
    const update = new JsonSchemaLoader(this.json, this.references).root();
    return diffJsonSchemas(original, update)
      .filter((d) => !compatibleChanges.has(d.type))
      .map(formatJsonDifference);
  }
}

export function parseJsonSchema(schema: string, references: readonly ResolvedReference[]): JsonSchema {
  let json: unknown;
  try {
    json = JSON.parse(schema);
  } catch (err) {
    throw Errors.invalidSchema(`Invalid schema: JSON schema is not valid JSON: ${messageOf(err)}`, err);
  }
  if (typeof json !== 'boolean' && (json === null || typeof json !== 'object' || Array.isArray(json))) {
    throw Errors.invalidSchema('Invalid schema: a JSON schema must be an object or a boolean');
  }
  for (const ref of references) {
    if (ref.schemaType !== 'JSON') throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' is of type ${ref.schemaType}, not JSON`);
  }
  const validator = compile(json, references);
  return new JsonSchema(json, references, validator);
}

export const jsonSchemaProvider: SchemaProvider = { schemaType: 'JSON', parse: parseJsonSchema };

function ajvFor(json: unknown): AjvInstance {
  const uri = json !== null && typeof json === 'object' ? (json as Record<string, unknown>).$schema : undefined;
  const options = { strict: false, allErrors: false, validateFormats: true, logger: false };
  let ajv: AjvInstance;
  if (typeof uri === 'string' && uri.includes('2020-12')) ajv = new Ajv2020(options);
  else if (typeof uri === 'string' && uri.includes('2019-09')) ajv = new Ajv2019(options);
  else {
    ajv = new Ajv07(options);
    ajv.addMetaSchema(draft06Meta);
  }
  addFormats(ajv);
  return ajv;
}

/** Drops `$schema` of drafts ajv does not carry (draft-04), so they compile as draft-07. */
function compatibleDraft(json: unknown): unknown {
  if (json === null || typeof json !== 'object') return json;
  const obj = json as Record<string, unknown>;
  if (typeof obj.$schema === 'string' && obj.$schema.includes('draft-04')) {
    const { $schema: _dropped, ...rest } = obj;
    return rest;
  }
  return obj;
}

function compile(json: unknown, references: readonly ResolvedReference[]): ValidateFunction {
  const ajv = ajvFor(json);
  for (const ref of references) {
    let refJson: unknown;
    try {
      refJson = compatibleDraft(JSON.parse(ref.schema));
    } catch (err) {
      throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' is not valid JSON: ${messageOf(err)}`, err);
    }
    try {
      // Registered under its reference name and, when it has one, its own $id.
      const hasId = refJson !== null && typeof refJson === 'object' && typeof (refJson as Record<string, unknown>).$id === 'string';
      if (hasId && (refJson as Record<string, unknown>).$id !== ref.name) {
        ajv.addSchema(refJson as AnySchema);
        ajv.addSchema({ $ref: (refJson as Record<string, unknown>).$id as string }, ref.name);
      } else ajv.addSchema(refJson as AnySchema, ref.name);
    } catch (err) {
      throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' (subject '${ref.subject}' version ${ref.version}): ${messageOf(err)}`, err);
    }
  }
  try {
    return ajv.compile(compatibleDraft(json) as AnySchema);
  } catch (err) {
    throw Errors.invalidSchema(`Invalid schema: ${messageOf(err)}`, err);
  }
}

function sortKeys(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(sortKeys);
  if (json === null || typeof json !== 'object') return json;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(json).sort()) out[key] = sortKeys((json as Record<string, unknown>)[key]);
  return out;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
