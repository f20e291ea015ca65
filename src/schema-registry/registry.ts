/**
 * The schema registry itself: Confluent Schema Registry's behaviour (subjects, versions, global
 * ids, references, soft and permanent deletes, compatibility levels, config and mode, contexts)
 * over state kept in the `_schemas` topic. The REST listener, the serializers, the broker's record
 * validator, the SQL planner and the connectors all use this one class in-process.
 *
 * @example
 * const registry = await SchemaRegistry.open(topics);
 * const { id } = await registry.register('orders-value', { schema: '{"type":"string"}' });
 * const latest = registry.getLatest('orders-value'); // { subject, version: 1, id, schema, ... }
 */
import type pino from 'pino';
import type { TopicClient } from '../client/topic-client.ts';
import { checkCompatibility, type PreviousVersion } from './compatibility.ts';
import { Errors, RegistryError } from './errors.ts';
import type { ParsedSchema, ResolvedReference } from './formats/index.ts';
import { providerFor } from './formats/index.ts';
import { SchemasLog, type LogEntry } from './store/schemas-log.ts';
import { configValue, identityKey, RegistryState, valueOf, type VersionRecord } from './store/state.ts';
import type { CompatibilityLevel, Mode, RegistryConfig, SchemaById, SchemaInput, SchemaReference, SchemaType, SubjectVersion } from './types.ts';
import { isCompatibilityLevel, isMode, isSchemaType, SchemaTypes } from './types.ts';

export interface RegisterRequest extends SchemaInput {
  /** IMPORT mode only: the id to register under. */
  id?: number;
  /** IMPORT mode only: the version to register as. */
  version?: number;
}

export interface LookupOptions {
  normalize?: boolean;
  deleted?: boolean;
}

export interface CompatibilityResult {
  is_compatible: boolean;
  messages: string[];
}

export type VersionSpec = number | 'latest';

type SchemaContent = Omit<VersionRecord, 'subject' | 'version' | 'id' | 'deleted'>;
/** A validated, parsed schema not yet stored: its content, ready for `identityKey`. */
type PreparedSchema = SchemaContent & { record: SchemaContent; parsed: ParsedSchema };

export const defaultCompatibility: CompatibilityLevel = 'BACKWARD';
export const defaultContext = '.';
/** Longest schema text accepted, in bytes of UTF-16 code units (Confluent's topic limit is similar). */
export const schemaLengthMax = 1_000_000;
/** Nesting of references followed before giving up (a cycle or a pathological chain). */
const referenceDepthMax = 32;
/** Parsed schemas kept by id; the oldest is dropped past this. */
const parsedCacheMax = 10_000;
const versionMax = 2 ** 31 - 1;

export class SchemaRegistry {
  private readonly state = new RegistryState();
  private readonly parsedById = new Map<number, ParsedSchema>();
  private writeChain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly log: SchemasLog,
    private readonly logger?: pino.Logger,
  ) {}

  /** Opens the registry on `topics`, rebuilding its state by replaying `_schemas`. */
  static async open(topics: TopicClient, options: { logger?: pino.Logger; topic?: string } = {}): Promise<SchemaRegistry> {
    const registry = new SchemaRegistry(new SchemasLog(topics, options.topic), options.logger);
    const applied = await registry.log.replay((entry) => registry.state.apply(entry));
    registry.logger?.info({ entries: applied, subjects: registry.state.subjects.size, maxId: registry.state.maxId }, 'schema registry state replayed');
    return registry;
  }

  // ---- reads -------------------------------------------------------------------------------

  schemaTypes(): SchemaType[] {
    return ['JSON', 'PROTOBUF', 'AVRO'];
  }

  /** The schema with `id` (soft-deleted versions included, as Confluent serves them). */
  getById(id: number): SchemaById {
    const record = this.state.byId(id);
    if (record === undefined) throw Errors.schemaNotFound(id);
    return byIdView(record);
  }

  /** The parsed form of schema `id`, cached: what serializers and validators use. */
  getParsedById(id: number): ParsedSchema {
    const cached = this.parsedById.get(id);
    if (cached !== undefined) return cached;
    const record = this.state.byId(id);
    if (record === undefined) throw Errors.schemaNotFound(id);
    return this.parsedOf(record);
  }

  /** The highest id ever assigned. */
  maxId(): number {
    return this.state.maxId;
  }

  subjectsForId(id: number, options: { deleted?: boolean } = {}): string[] {
    return this.versionsForId(id, options).map((v) => v.subject).filter((s, i, all) => all.indexOf(s) === i);
  }

  versionsForId(id: number, options: { deleted?: boolean } = {}): Array<{ subject: string; version: number }> {
    const users = this.state.idUsers.get(id);
    if (users === undefined) throw Errors.schemaNotFound(id);
    const found = [...users].filter((r) => options.deleted === true || !r.deleted).map((r) => ({ subject: r.subject, version: r.version }));
    found.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
    return found;
  }

  /** `GET /schemas`: every version (or only the latest of each subject) matching the filters. */
  listSchemas(options: { subjectPrefix?: string; deleted?: boolean; latestOnly?: boolean } = {}): SubjectVersion[] {
    const out: SubjectVersion[] = [];
    for (const subject of this.sortedSubjects()) {
      if (options.subjectPrefix !== undefined && !subject.startsWith(options.subjectPrefix)) continue;
      const versions = this.state.versions(subject, options.deleted === true);
      if (versions.length === 0) continue;
      for (const v of options.latestOnly === true ? versions.slice(-1) : versions) out.push(versionView(v));
    }
    return out;
  }

  listSubjects(options: { deleted?: boolean; deletedOnly?: boolean; subjectPrefix?: string } = {}): string[] {
    const out: string[] = [];
    for (const subject of this.sortedSubjects()) {
      if (options.subjectPrefix !== undefined && !subject.startsWith(options.subjectPrefix)) continue;
      const all = this.state.versions(subject, true);
      const live = all.some((v) => !v.deleted);
      const deleted = all.some((v) => v.deleted);
      if (options.deletedOnly === true ? deleted && !live : live || (options.deleted === true && all.length > 0)) out.push(subject);
    }
    return out;
  }

  listVersions(subject: string, options: { deleted?: boolean; deletedOnly?: boolean } = {}): number[] {
    const all = this.state.versions(subject, true);
    if (all.length === 0 || (options.deleted !== true && options.deletedOnly !== true && all.every((v) => v.deleted))) throw Errors.subjectNotFound(subject);
    return all.filter((v) => (options.deletedOnly === true ? v.deleted : options.deleted === true || !v.deleted)).map((v) => v.version);
  }

  /** A version of a subject; `latest` (or -1) is the newest live one. */
  getVersion(subject: string, version: VersionSpec, options: { deleted?: boolean } = {}): SubjectVersion {
    return versionView(this.versionRecord(subject, version, options.deleted === true));
  }

  getLatest(subject: string): SubjectVersion {
    return this.getVersion(subject, 'latest');
  }

  /** Ids of the schemas that reference `subject` at `version`. */
  referencedBy(subject: string, version: VersionSpec, options: { deleted?: boolean } = {}): number[] {
    const record = this.versionRecord(subject, version, options.deleted === true);
    return this.referrers(record.subject, record.version, options.deleted === true).map((r) => r.id).filter((id, i, all) => all.indexOf(id) === i).sort((a, b) => a - b);
  }

  /** `POST /subjects/{s}`: the version of `subject` holding this schema. */
  lookup(subject: string, input: SchemaInput, options: LookupOptions = {}): SubjectVersion {
    const all = this.state.versions(subject, true);
    if (all.length === 0 || (options.deleted !== true && all.every((v) => v.deleted))) throw Errors.subjectNotFound(subject);
    const normalize = options.normalize === true || this.effectiveConfig(subject).normalize === true;
    const candidate = this.prepare(input, normalize, true);
    const wanted = identityKey(candidate);
    const candidates = all.filter((v) => options.deleted === true || !v.deleted).reverse();
    for (const v of candidates) {
      if (identityKey(v) === wanted) return versionView(v);
    }
    if (normalize) {
      for (const v of candidates) {
        if (v.schemaType === candidate.schemaType && sameRefs(v.references, candidate.references) && this.parsedOf(v).normalized === candidate.parsed.normalized) return versionView(v);
      }
    }
    throw Errors.schemaNotFound();
  }

  /** `POST /compatibility/subjects/{s}/versions[/{v}]`: `version` undefined means every live version. */
  checkCompatibility(subject: string, input: SchemaInput, options: { version?: VersionSpec; normalize?: boolean } = {}): CompatibilityResult {
    let previous: VersionRecord[];
    if (options.version === undefined) previous = this.state.versions(subject, false);
    else {
      const live = this.state.versions(subject, false);
      if (options.version === 'latest') previous = live.slice(-1);
      else {
        const found = live.find((v) => v.version === options.version);
        if (found === undefined) throw Errors.versionNotFound(options.version);
        previous = [found];
      }
    }
    const normalize = options.normalize === true || this.effectiveConfig(subject).normalize === true;
    const candidate = this.prepare(input, normalize, true);
    const level = this.effectiveLevel(subject);
    const messages = checkCompatibility(level, candidate.parsed, previous.map((v) => ({ version: v.version, parsed: this.parsedOf(v) })));
    return { is_compatible: messages.length === 0, messages };
  }

  // ---- config and mode -----------------------------------------------------------------------

  /** The config of `subject`, or the registry's when `subject` is undefined. */
  getConfig(subject?: string, options: { defaultToGlobal?: boolean } = {}): RegistryConfig {
    if (subject === undefined) return { compatibilityLevel: defaultCompatibility, ...this.state.configs.get('') };
    const own = this.state.configs.get(subject);
    if (own !== undefined) return own;
    if (options.defaultToGlobal === true) return this.getConfig();
    throw Errors.subjectCompatibilityNotConfigured(subject);
  }

  /** The level that applies to `subject`: its own, else its context's, else the registry's. */
  effectiveLevel(subject: string): CompatibilityLevel {
    return this.effectiveConfig(subject).compatibilityLevel ?? defaultCompatibility;
  }

  async setConfig(subject: string | undefined, update: { compatibility?: string; normalize?: boolean; extra?: Record<string, unknown> }): Promise<RegistryConfig> {
    const level = update.compatibility === undefined ? undefined : update.compatibility.toUpperCase();
    if (level !== undefined && !isCompatibilityLevel(level)) throw Errors.invalidCompatibilityLevel();
    if (subject !== undefined) this.validateSubject(subject);
    return this.serialized(async () => {
      const scope = subject ?? '';
      const next: RegistryConfig = { ...this.state.configs.get(scope) };
      if (level !== undefined) next.compatibilityLevel = level;
      if (update.normalize !== undefined) next.normalize = update.normalize;
      if (update.extra !== undefined && Object.keys(update.extra).length > 0) next.extra = { ...next.extra, ...update.extra };
      await this.write([{ key: { keytype: 'CONFIG', subject: subject ?? null, magic: 0 }, value: configValue(next) }]);
      return next;
    });
  }

  /** Removes a config; returns the one removed (the registry's reverts to BACKWARD). */
  async deleteConfig(subject?: string): Promise<RegistryConfig> {
    return this.serialized(async () => {
      const scope = subject ?? '';
      const previous = subject === undefined ? this.getConfig() : this.state.configs.get(scope);
      if (previous === undefined) {
        if (subject !== undefined && this.state.versions(subject, true).length === 0) throw Errors.subjectNotFound(subject);
        return subject === undefined ? this.getConfig() : this.getConfig(undefined);
      }
      await this.write([{ key: { keytype: 'CONFIG', subject: subject ?? null, magic: 0 }, value: null }]);
      return previous;
    });
  }

  getMode(subject?: string, options: { defaultToGlobal?: boolean } = {}): Mode {
    if (subject === undefined) return this.state.modes.get('') ?? 'READWRITE';
    const own = this.state.modes.get(subject);
    if (own !== undefined) return own;
    if (options.defaultToGlobal === true) return this.effectiveMode(subject);
    throw Errors.subjectModeNotConfigured(subject);
  }

  /** Sets a mode. IMPORT needs an empty registry (or subject) unless `force`. */
  async setMode(subject: string | undefined, mode: string, options: { force?: boolean } = {}): Promise<Mode> {
    const upper = mode.toUpperCase();
    if (!isMode(upper)) throw Errors.invalidMode();
    if (subject !== undefined) this.validateSubject(subject);
    return this.serialized(async () => {
      if (upper === 'IMPORT' && options.force !== true) {
        const nonEmpty = subject === undefined ? this.state.subjects.size > 0 : this.state.versions(subject, true).length > 0;
        if (nonEmpty) throw Errors.operationNotPermitted('Cannot import since found existing subjects');
      }
      await this.write([{ key: { keytype: 'MODE', subject: subject ?? null, magic: 0 }, value: { mode: upper } }]);
      return upper;
    });
  }

  async deleteMode(subject: string): Promise<Mode> {
    return this.serialized(async () => {
      const previous = this.state.modes.get(subject);
      if (previous === undefined) {
        if (this.state.versions(subject, true).length === 0) throw Errors.subjectNotFound(subject);
        throw Errors.subjectModeNotConfigured(subject);
      }
      await this.write([{ key: { keytype: 'MODE', subject, magic: 0 }, value: null }]);
      return previous;
    });
  }

  /** Contexts in use: the default `.` and each `:.name:` prefix of a subject. */
  listContexts(): string[] {
    const contexts = new Set<string>([defaultContext]);
    for (const subject of this.state.subjects.keys()) contexts.add(contextOf(subject));
    return [...contexts].sort();
  }

  // ---- writes --------------------------------------------------------------------------------

  /**
   * Registers `input` under `subject`: the same schema again answers the same id; otherwise the
   * schema is checked against the subject's compatibility level and gets the next version, and
   * an id (the existing one when the same schema is registered under another subject).
   */
  async register(subject: string, input: RegisterRequest, options: { normalize?: boolean; force?: boolean } = {}): Promise<{ id: number; version: number }> {
    this.validateSubject(subject);
    return this.serialized(async () => {
      const mode = this.effectiveMode(subject);
      const context = contextOf(subject);
      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw Errors.operationNotPermitted(`Subject ${subject} in context ${context} is in read-only mode`);
      const importing = input.id !== undefined && input.id >= 0;
      if (importing && mode !== 'IMPORT') throw Errors.operationNotPermitted(`Subject ${subject} in context ${context} is not in import mode`);
      if (!importing && mode !== 'READWRITE') throw Errors.operationNotPermitted(`Subject ${subject} in context ${context} is not in read-write mode`);
      const normalize = options.normalize === true || this.effectiveConfig(subject).normalize === true;
      const candidate = this.prepare(input, normalize, false);
      const all = this.state.versions(subject, true);
      const live = all.filter((v) => !v.deleted);
      const key = identityKey(candidate);
      const existingId = this.state.idByIdentity.get(key);

      if (input.version === undefined || input.version <= 0) {
        const same = [...live].reverse().find((v) => identityKey(v) === key && (!importing || v.id === input.id));
        if (same !== undefined) return { id: same.id, version: same.version };
      }
      if (!importing && mode !== 'IMPORT' && options.force !== true) {
        const previous: PreviousVersion[] = live.map((v) => ({ version: v.version, parsed: this.parsedOf(v) }));
        const messages = checkCompatibility(this.effectiveLevel(subject), candidate.parsed, previous);
        if (messages.length > 0) throw Errors.incompatibleSchema(subject, messages);
      }
      const nextVersion = all.length === 0 ? 1 : all[all.length - 1].version + 1;
      let version = nextVersion;
      if (input.version !== undefined && input.version > 0) {
        if (!importing && input.version !== nextVersion) throw Errors.invalidSchema('Version is not one more than previous version');
        version = input.version;
        const taken = all.find((v) => v.version === version);
        if (taken !== undefined) {
          if (identityKey(taken) === key && (!importing || taken.id === input.id)) return { id: taken.id, version };
          throw Errors.operationNotPermitted(`Overwrite of version ${version} of subject ${subject} is not permitted.`);
        }
      }
      let id: number;
      if (importing) {
        id = input.id as number;
        if (existingId !== undefined && existingId !== id) throw Errors.idDoesNotMatch(existingId, id);
        const holder = this.state.byId(id);
        if (holder !== undefined && identityKey(holder) !== key) throw Errors.operationNotPermitted(`Overwrite new schema with id ${id} in context ${context} is not permitted.`);
      } else id = existingId ?? this.state.maxId + 1;
      const record: VersionRecord = { ...candidate.record, subject, version, id, deleted: false };
      await this.write([{ key: { keytype: 'SCHEMA', subject, version, magic: 1 }, value: valueOf(record) }]);
      this.parsedById.set(id, candidate.parsed);
      this.logger?.info({ subject, version, id, schemaType: record.schemaType }, 'schema registered');
      return { id, version };
    });
  }

  /** Deletes one version: soft first, then `permanent` (which needs the soft delete before it). */
  async deleteVersion(subject: string, version: VersionSpec, options: { permanent?: boolean } = {}): Promise<number> {
    return this.serialized(async () => {
      const permanent = options.permanent === true;
      const record = this.deletableVersion(subject, version, permanent);
      const mode = this.effectiveMode(subject);
      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw Errors.operationNotPermitted(`Subject ${subject} in context ${contextOf(subject)} is in read-only mode`);
      if (this.referrers(subject, record.version, permanent).length > 0) throw Errors.referenceExists(subject, record.version);
      if (permanent) {
        if (!record.deleted) throw Errors.versionNotSoftDeleted(subject, record.version);
        const entries: LogEntry[] = [{ key: { keytype: 'SCHEMA', subject, version: record.version, magic: 1 }, value: null }];
        entries.push(...this.cleanupIfEmpty(subject, [record.version]));
        await this.write(entries);
      } else {
        await this.write([{ key: { keytype: 'SCHEMA', subject, version: record.version, magic: 1 }, value: valueOf({ ...record, deleted: true }) }]);
      }
      return record.version;
    });
  }

  /** Deletes a subject: soft (every live version) first, then `permanent` (every version). */
  async deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    return this.serialized(async () => {
      const permanent = options.permanent === true;
      const all = this.state.versions(subject, true);
      if (all.length === 0) throw Errors.subjectNotFound(subject);
      const live = all.filter((v) => !v.deleted);
      if (!permanent && live.length === 0) throw Errors.subjectSoftDeleted(subject);
      const mode = this.effectiveMode(subject);
      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw Errors.operationNotPermitted(`Subject ${subject} in context ${contextOf(subject)} is in read-only mode`);
      const targets = permanent ? all : live;
      for (const v of targets) {
        if (this.referrers(subject, v.version, permanent).some((r) => r.subject !== subject)) throw Errors.referenceExists(subject, v.version);
        if (permanent && !v.deleted) throw Errors.subjectNotSoftDeleted(subject);
      }
      const entries: LogEntry[] = targets.map((v) => ({
        key: { keytype: 'SCHEMA', subject, version: v.version, magic: 1 },
        value: permanent ? null : valueOf({ ...v, deleted: true }),
      }));
      if (permanent) entries.push(...this.cleanupIfEmpty(subject, targets.map((v) => v.version)));
      await this.write(entries);
      return targets.map((v) => v.version);
    });
  }

  // ---- internals -----------------------------------------------------------------------------

  private sortedSubjects(): string[] {
    return [...this.state.subjects.keys()].sort();
  }

  private effectiveConfig(subject: string): RegistryConfig {
    const own = this.state.configs.get(subject);
    const context = contextOf(subject);
    const contextConfig = context === defaultContext ? undefined : this.state.configs.get(`:${context}:`);
    const global = this.state.configs.get('');
    return { compatibilityLevel: own?.compatibilityLevel ?? contextConfig?.compatibilityLevel ?? global?.compatibilityLevel ?? defaultCompatibility, normalize: own?.normalize ?? contextConfig?.normalize ?? global?.normalize };
  }

  private effectiveMode(subject: string): Mode {
    const context = contextOf(subject);
    return this.state.modes.get(subject) ?? (context === defaultContext ? undefined : this.state.modes.get(`:${context}:`)) ?? this.state.modes.get('') ?? 'READWRITE';
  }

  private validateSubject(subject: string): void {
    // eslint-disable-next-line no-control-regex
    if (subject.length === 0 || subject.length > 255 || /[\u0000-\u001f]/.test(subject)) throw Errors.invalidSubject(subject);
  }

  private versionRecord(subject: string, version: VersionSpec, includeDeleted: boolean): VersionRecord {
    const versions = this.state.versions(subject, includeDeleted);
    if (version === 'latest' || version === -1) {
      const latest = versions[versions.length - 1];
      if (latest === undefined) throw Errors.subjectNotFound(subject);
      return latest;
    }
    checkVersion(version);
    const found = versions.find((v) => v.version === version);
    if (found !== undefined) return found;
    if (versions.length === 0) throw Errors.subjectNotFound(subject);
    throw Errors.versionNotFound(version);
  }

  private deletableVersion(subject: string, version: VersionSpec, permanent: boolean): VersionRecord {
    const all = this.state.versions(subject, true);
    if (all.length === 0) throw Errors.subjectNotFound(subject);
    let record: VersionRecord | undefined;
    if (version === 'latest' || version === -1) {
      const live = all.filter((v) => !v.deleted);
      record = permanent ? all[all.length - 1] : live[live.length - 1];
      if (record === undefined) throw Errors.subjectNotFound(subject);
    } else {
      checkVersion(version);
      record = all.find((v) => v.version === version);
      if (record === undefined) throw Errors.versionNotFound(version);
    }
    if (!permanent && record.deleted) throw Errors.versionSoftDeleted(subject, record.version);
    return record;
  }

  /** Versions whose references point at `subject`/`version` (soft-deleted ones when asked). */
  private referrers(subject: string, version: number, includeDeleted: boolean): VersionRecord[] {
    const out: VersionRecord[] = [];
    for (const versions of this.state.subjects.values()) {
      for (const v of versions.values()) {
        if (!includeDeleted && v.deleted) continue;
        if (v.references.some((r) => r.subject === subject && r.version === version)) out.push(v);
      }
    }
    return out;
  }

  /** After a permanent delete that empties a subject, its config and mode go too; the id high mark is kept. */
  private cleanupIfEmpty(subject: string, removing: number[]): LogEntry[] {
    const remaining = this.state.versions(subject, true).filter((v) => !removing.includes(v.version));
    if (remaining.length > 0) return [{ key: { keytype: 'NOOP', magic: 0 }, value: { maxId: this.state.maxId } }];
    const entries: LogEntry[] = [{ key: { keytype: 'NOOP', magic: 0 }, value: { maxId: this.state.maxId } }];
    if (this.state.configs.has(subject)) entries.push({ key: { keytype: 'CONFIG', subject, magic: 0 }, value: null });
    if (this.state.modes.has(subject)) entries.push({ key: { keytype: 'MODE', subject, magic: 0 }, value: null });
    return entries;
  }

  /** Validates the input, resolves its references and parses it: a 42201 when anything is wrong. */
  private prepare(input: SchemaInput, normalize: boolean, lookupDeleted: boolean): PreparedSchema {
    if (typeof input.schema !== 'string' || input.schema.trim() === '') throw Errors.invalidSchema('Empty schema');
    if (input.schema.length > schemaLengthMax) throw Errors.schemaTooLarge();
    const schemaType = input.schemaType ?? 'AVRO';
    if (!isSchemaType(schemaType)) throw Errors.invalidSchema(`Invalid schema type ${String(schemaType)}; expected one of ${SchemaTypes.join(', ')}`);
    const references: SchemaReference[] = [];
    for (const ref of input.references ?? []) {
      if (ref === null || typeof ref !== 'object' || typeof ref.name !== 'string' || typeof ref.subject !== 'string' || typeof ref.version !== 'number') {
        throw Errors.invalidSchema(`Invalid schema: a reference needs a string name, a string subject and a number version, got ${JSON.stringify(ref)}`);
      }
      const version = ref.version === -1 ? this.latestVersionOf(ref) : ref.version;
      references.push({ name: ref.name, subject: ref.subject, version });
    }
    const resolved = this.resolveReferences(references, lookupDeleted, 0, new Set());
    const parsed = providerFor(schemaType).parse(input.schema, resolved);
    const schema = normalize ? parsed.normalized : parsed.canonical;
    const record: SchemaContent = { schemaType, schema, references };
    if (input.metadata !== undefined && input.metadata !== null) record.metadata = input.metadata;
    if (input.ruleSet !== undefined && input.ruleSet !== null) record.ruleSet = input.ruleSet;
    return { ...record, record, parsed };
  }

  private latestVersionOf(ref: SchemaReference): number {
    const live = this.state.versions(ref.subject, false);
    const latest = live[live.length - 1];
    if (latest === undefined) throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' names subject '${ref.subject}', which has no versions`);
    return latest.version;
  }

  /** References and their own references, dependencies first, each once. */
  private resolveReferences(references: readonly SchemaReference[], includeDeleted: boolean, depth: number, seen: Set<string>): ResolvedReference[] {
    if (depth > referenceDepthMax) throw Errors.invalidSchema(`Invalid schema: references nest deeper than ${referenceDepthMax} levels (a cycle?)`);
    const out: ResolvedReference[] = [];
    for (const ref of references) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (seen.has(key)) continue;
      const record = this.state.subjects.get(ref.subject)?.get(ref.version);
      if (record === undefined || (record.deleted && !includeDeleted)) {
        throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' not found: subject '${ref.subject}' has no version ${ref.version}`);
      }
      seen.add(key);
      out.push(...this.resolveReferences(record.references, true, depth + 1, seen));
      out.push({ name: ref.name, subject: ref.subject, version: ref.version, schemaType: record.schemaType, schema: record.schema });
    }
    return out;
  }

  private parsedOf(record: VersionRecord): ParsedSchema {
    const cached = this.parsedById.get(record.id);
    if (cached !== undefined) return cached;
    const resolved = this.resolveReferences(record.references, true, 0, new Set());
    const parsed = providerFor(record.schemaType).parse(record.schema, resolved);
    if (this.parsedById.size >= parsedCacheMax) {
      const oldest = this.parsedById.keys().next().value;
      if (oldest !== undefined) this.parsedById.delete(oldest);
    }
    this.parsedById.set(record.id, parsed);
    return parsed;
  }

  private async write(entries: LogEntry[]): Promise<void> {
    await this.log.append(entries);
    for (const entry of entries) this.state.apply(entry);
  }

  /** Runs writes one at a time, in call order, so checks and the write they guard do not interleave. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(fn, fn);
    this.writeChain = run.catch(() => undefined);
    return run;
  }
}

/** `:.ctx:subject` → `.ctx`; unqualified subjects are in the default context `.`. */
export function contextOf(subject: string): string {
  if (!subject.startsWith(':.')) return defaultContext;
  const end = subject.indexOf(':', 2);
  return end < 0 ? subject.slice(1) : subject.slice(1, end);
}

function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > versionMax) throw Errors.invalidVersion(String(version));
}

function sameRefs(a: readonly SchemaReference[], b: readonly SchemaReference[]): boolean {
  return a.length === b.length && a.every((r, i) => r.name === b[i].name && r.subject === b[i].subject && r.version === b[i].version);
}

function byIdView(record: VersionRecord): SchemaById {
  const view: SchemaById = { id: record.id, schemaType: record.schemaType, schema: record.schema, references: record.references };
  if (record.metadata !== undefined) view.metadata = record.metadata;
  if (record.ruleSet !== undefined) view.ruleSet = record.ruleSet;
  return view;
}

function versionView(record: VersionRecord): SubjectVersion {
  return { ...byIdView(record), subject: record.subject, version: record.version, deleted: record.deleted };
}

/** Parses a version path segment: an integer in [1, 2^31-1], `latest` or `-1`. */
export function parseVersionSpec(text: string): VersionSpec {
  if (text === 'latest' || text === '-1') return 'latest';
  if (!/^\d+$/.test(text)) throw Errors.invalidVersion(text);
  const n = Number(text);
  if (n < 1 || n > versionMax) throw Errors.invalidVersion(text);
  return n;
}

export { RegistryError };
