/**
 * The registry's in-memory state, rebuilt from `_schemas` entries: subjects and their versions,
 * schema content by id, configs and modes. `apply` is the only writer, for replay and for new
 * entries alike, so what a restart rebuilds is exactly what was served before it.
 */
import type { Mode, OpaqueJson, RegistryConfig, SchemaReference, SchemaType } from '../types.ts';
import { isCompatibilityLevel, isMode, isSchemaType } from '../types.ts';
import type { LogEntry } from './schemas-log.ts';

export interface VersionRecord {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
  metadata?: OpaqueJson;
  ruleSet?: OpaqueJson;
  deleted: boolean;
}

/** The key that makes two registrations the same schema (and so the same id). */
export function identityKey(r: Pick<VersionRecord, 'schemaType' | 'schema' | 'references' | 'metadata' | 'ruleSet'>): string {
  const refs = r.references.map((x) => [x.name, x.subject, x.version]);
  return JSON.stringify([r.schemaType, r.schema, refs, r.metadata ?? null, r.ruleSet ?? null]);
}

export class RegistryState {
  /** Subject → version → record. Subjects keep insertion order; versions are sorted on read. */
  readonly subjects = new Map<string, Map<number, VersionRecord>>();
  /** Id → the versions that use it (any subject), the first being the content's source. */
  readonly idUsers = new Map<number, Set<VersionRecord>>();
  readonly idByIdentity = new Map<string, number>();
  /** '' holds the registry-level config and mode. */
  readonly configs = new Map<string, RegistryConfig>();
  readonly modes = new Map<string, Mode>();
  maxId = 0;

  apply(entry: LogEntry): void {
    const { key, value } = entry;
    switch (key.keytype) {
      case 'SCHEMA':
        return value === null ? this.removeVersion(key.subject, key.version) : this.putVersion(recordOf(key.subject, key.version, value));
      case 'CONFIG': {
        const scope = key.subject ?? '';
        if (value === null) this.configs.delete(scope);
        else this.configs.set(scope, configOf(value));
        return;
      }
      case 'MODE': {
        const scope = key.subject ?? '';
        if (value === null || !isMode(value.mode)) this.modes.delete(scope);
        else this.modes.set(scope, value.mode);
        return;
      }
      case 'NOOP':
        if (value !== null && typeof value.maxId === 'number') this.maxId = Math.max(this.maxId, value.maxId);
        return;
      default:
        return; // key types of newer layouts: ignored, as Confluent ignores unknown ones
    }
  }

  private putVersion(record: VersionRecord): void {
    let versions = this.subjects.get(record.subject);
    if (versions === undefined) {
      versions = new Map();
      this.subjects.set(record.subject, versions);
    }
    const previous = versions.get(record.version);
    if (previous !== undefined) this.releaseId(previous);
    versions.set(record.version, record);
    let users = this.idUsers.get(record.id);
    if (users === undefined) {
      users = new Set();
      this.idUsers.set(record.id, users);
      this.idByIdentity.set(identityKey(record), record.id);
    }
    users.add(record);
    this.maxId = Math.max(this.maxId, record.id);
  }

  private removeVersion(subject: string, version: number): void {
    const versions = this.subjects.get(subject);
    const record = versions?.get(version);
    if (versions === undefined || record === undefined) return;
    versions.delete(version);
    if (versions.size === 0) this.subjects.delete(subject);
    this.releaseId(record);
  }

  private releaseId(record: VersionRecord): void {
    const users = this.idUsers.get(record.id);
    if (users === undefined) return;
    users.delete(record);
    if (users.size === 0) {
      this.idUsers.delete(record.id);
      const key = identityKey(record);
      if (this.idByIdentity.get(key) === record.id) this.idByIdentity.delete(key);
    }
  }

  /** Versions of a subject in ascending order, optionally with the soft-deleted ones. */
  versions(subject: string, includeDeleted: boolean): VersionRecord[] {
    const versions = this.subjects.get(subject);
    if (versions === undefined) return [];
    return [...versions.values()].filter((v) => includeDeleted || !v.deleted).sort((a, b) => a.version - b.version);
  }

  /** Any version record holding the content of `id` (the schema text is the same for all). */
  byId(id: number): VersionRecord | undefined {
    const users = this.idUsers.get(id);
    if (users === undefined) return undefined;
    for (const record of users) return record;
    return undefined;
  }
}

function recordOf(subject: string, version: number, value: Record<string, unknown>): VersionRecord {
  const record: VersionRecord = {
    subject,
    version,
    id: Number(value.id),
    schemaType: isSchemaType(value.schemaType) ? value.schemaType : 'AVRO',
    schema: String(value.schema ?? ''),
    references: Array.isArray(value.references) ? (value.references as SchemaReference[]) : [],
    deleted: value.deleted === true,
  };
  if (value.metadata !== undefined && value.metadata !== null) record.metadata = value.metadata;
  if (value.ruleSet !== undefined && value.ruleSet !== null) record.ruleSet = value.ruleSet;
  return record;
}

/** The `_schemas` value of a version record. */
export function valueOf(record: VersionRecord): Record<string, unknown> {
  const value: Record<string, unknown> = {
    subject: record.subject,
    version: record.version,
    id: record.id,
    schemaType: record.schemaType,
    references: record.references,
    schema: record.schema,
    deleted: record.deleted,
  };
  if (record.metadata !== undefined) value.metadata = record.metadata;
  if (record.ruleSet !== undefined) value.ruleSet = record.ruleSet;
  return value;
}

function configOf(value: Record<string, unknown>): RegistryConfig {
  const config: RegistryConfig = {};
  const { compatibilityLevel, normalize, ...extra } = value;
  if (isCompatibilityLevel(compatibilityLevel)) config.compatibilityLevel = compatibilityLevel;
  if (typeof normalize === 'boolean') config.normalize = normalize;
  if (Object.keys(extra).length > 0) config.extra = extra;
  return config;
}

export function configValue(config: RegistryConfig): Record<string, unknown> {
  const value: Record<string, unknown> = { ...(config.extra ?? {}) };
  if (config.compatibilityLevel !== undefined) value.compatibilityLevel = config.compatibilityLevel;
  if (config.normalize !== undefined) value.normalize = config.normalize;
  return value;
}
