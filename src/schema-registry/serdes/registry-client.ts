/**
 * The registry as serializers, the CLI, SQL and connectors see it: an in-process client over a
 * `SchemaRegistry` (no sockets) and an HTTP client for any Confluent-compatible registry (over
 * `fetch`). Both parse schemas, with their references resolved, into `ParsedSchema`s.
 */
import { RegistryError, type ErrorCode } from '../errors.ts';
import type { ParsedSchema, ResolvedReference } from '../formats/index.ts';
import { providerFor } from '../formats/index.ts';
import type { CompatibilityResult, RegisterRequest, SchemaRegistry, VersionSpec } from '../registry.ts';
import type { RegistryConfig, SchemaById, SchemaInput, SchemaReference, SubjectVersion } from '../types.ts';

export interface RegistryClient {
  register(subject: string, input: RegisterRequest, options?: { normalize?: boolean }): Promise<number>;
  lookup(subject: string, input: SchemaInput, options?: { normalize?: boolean }): Promise<SubjectVersion>;
  getById(id: number): Promise<SchemaById>;
  getVersion(subject: string, version: VersionSpec): Promise<SubjectVersion>;
  /** The schema `id`, parsed with its references; cached by the client. */
  parsedById(id: number): Promise<ParsedSchema>;
  /** Parses a schema that may not be registered, resolving its references through the registry. */
  parse(input: SchemaInput): Promise<ParsedSchema>;
}

export class InProcessRegistryClient implements RegistryClient {
  constructor(readonly registry: SchemaRegistry) {}
  async register(subject: string, input: RegisterRequest, options: { normalize?: boolean } = {}): Promise<number> {
    return (await this.registry.register(subject, input, options)).id;
  }
  async lookup(subject: string, input: SchemaInput, options: { normalize?: boolean } = {}): Promise<SubjectVersion> {
    return this.registry.lookup(subject, input, options);
  }
  async getById(id: number): Promise<SchemaById> {
    return this.registry.getById(id);
  }
  async getVersion(subject: string, version: VersionSpec): Promise<SubjectVersion> {
    return this.registry.getVersion(subject, version);
  }
  async parsedById(id: number): Promise<ParsedSchema> {
    return this.registry.getParsedById(id);
  }
  async parse(input: SchemaInput): Promise<ParsedSchema> {
    return parseWith(input, async (ref) => this.registry.getVersion(ref.subject, ref.version === -1 ? 'latest' : ref.version, { deleted: true }));
  }
}

/** Largest number of parsed schemas an HTTP client keeps. */
const httpParsedCacheMax = 10_000;

/** A client for a remote Confluent-compatible registry. Schemas by id are cached (ids never change). */
export class HttpRegistryClient implements RegistryClient {
  private readonly baseUrl: string;
  private readonly parsed = new Map<number, Promise<ParsedSchema>>();

  constructor(url: string) {
    this.baseUrl = url.replace(/\/+$/, '');
  }

  /** One REST call; a Confluent error body becomes a `RegistryError` with its code and message. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...(body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // a raw schema string
    }
    if (!response.ok) {
      const err = parsed as { error_code?: number; message?: string } | undefined;
      const code = typeof err?.error_code === 'number' ? err.error_code : response.status * 100 + 1;
      throw new RegistryError(code as ErrorCode, err?.message ?? `HTTP ${response.status} from ${method} ${path}`);
    }
    return parsed as T;
  }

  async register(subject: string, input: RegisterRequest, options: { normalize?: boolean } = {}): Promise<number> {
    const res = await this.request<{ id: number }>('POST', `/subjects/${encodeURIComponent(subject)}/versions${options.normalize ? '?normalize=true' : ''}`, input);
    return res.id;
  }
  async lookup(subject: string, input: SchemaInput, options: { normalize?: boolean } = {}): Promise<SubjectVersion> {
    return fromWire(await this.request('POST', `/subjects/${encodeURIComponent(subject)}${options.normalize ? '?normalize=true' : ''}`, input));
  }
  async getById(id: number): Promise<SchemaById> {
    const res = await this.request<WireSchema>('GET', `/schemas/ids/${id}`);
    return { id, schemaType: res.schemaType ?? 'AVRO', schema: res.schema, references: res.references ?? [], ...(res.metadata === undefined ? {} : { metadata: res.metadata }), ...(res.ruleSet === undefined ? {} : { ruleSet: res.ruleSet }) };
  }
  async getVersion(subject: string, version: VersionSpec): Promise<SubjectVersion> {
    return fromWire(await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`));
  }
  async listSubjects(options: { prefix?: string; deleted?: boolean } = {}): Promise<string[]> {
    const q = new URLSearchParams();
    if (options.prefix) q.set('subjectPrefix', options.prefix);
    if (options.deleted) q.set('deleted', 'true');
    return this.request('GET', `/subjects${q.size > 0 ? `?${q}` : ''}`);
  }
  async listVersions(subject: string): Promise<number[]> {
    return this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
  }
  async checkCompatibility(subject: string, input: SchemaInput, version?: VersionSpec): Promise<CompatibilityResult> {
    const path = version === undefined ? `/compatibility/subjects/${encodeURIComponent(subject)}/versions?verbose=true` : `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}?verbose=true`;
    const res = await this.request<{ is_compatible: boolean; messages?: string[] }>('POST', path, input);
    return { is_compatible: res.is_compatible, messages: res.messages ?? [] };
  }
  async deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}${permanent ? '?permanent=true' : ''}`);
  }
  async deleteVersion(subject: string, version: VersionSpec, permanent: boolean): Promise<number> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}/versions/${version}${permanent ? '?permanent=true' : ''}`);
  }
  async getConfig(subject?: string): Promise<RegistryConfig> {
    return this.request('GET', subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`);
  }
  async setConfig(subject: string | undefined, compatibility: string): Promise<{ compatibility: string }> {
    return this.request('PUT', subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`, { compatibility });
  }
  async deleteConfig(subject?: string): Promise<RegistryConfig> {
    return this.request('DELETE', subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`);
  }

  parsedById(id: number): Promise<ParsedSchema> {
    let cached = this.parsed.get(id);
    if (cached === undefined) {
      if (this.parsed.size >= httpParsedCacheMax) this.parsed.delete(this.parsed.keys().next().value as number);
      cached = this.getById(id).then((s) => this.parse(s));
      cached.catch(() => this.parsed.delete(id));
      this.parsed.set(id, cached);
    }
    return cached;
  }
  async parse(input: SchemaInput): Promise<ParsedSchema> {
    return parseWith(input, (ref) => this.getVersion(ref.subject, ref.version === -1 ? 'latest' : ref.version));
  }
}

interface WireSchema {
  subject?: string;
  version?: number;
  id?: number;
  schemaType?: SchemaById['schemaType'];
  schema: string;
  references?: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
}

function fromWire(w: WireSchema): SubjectVersion {
  return { subject: w.subject ?? '', version: w.version ?? 0, id: w.id ?? 0, schemaType: w.schemaType ?? 'AVRO', schema: w.schema, references: w.references ?? [], deleted: false };
}

/** Nesting of references followed when parsing on the client side. */
const referenceDepthMax = 32;

async function parseWith(input: SchemaInput, fetchRef: (ref: SchemaReference) => Promise<SubjectVersion>): Promise<ParsedSchema> {
  const resolved: ResolvedReference[] = [];
  const seen = new Set<string>();
  const visit = async (refs: readonly SchemaReference[], depth: number): Promise<void> => {
    if (depth > referenceDepthMax) throw new RegistryError(42201, `references nest deeper than ${referenceDepthMax} levels`);
    for (const ref of refs) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const v = await fetchRef(ref);
      await visit(v.references, depth + 1);
      resolved.push({ name: ref.name, subject: ref.subject, version: v.version, schemaType: v.schemaType, schema: v.schema });
    }
  };
  await visit(input.references ?? [], 0);
  return providerFor(input.schemaType ?? 'AVRO').parse(input.schema, resolved);
}
