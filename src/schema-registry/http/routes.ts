/**
 * Route handlers for the Confluent REST API: each parses its path and query, calls the
 * `SchemaRegistry`, and shapes the answer as Confluent's entities serialize (optional fields
 * left out when empty: `schemaType` for AVRO, `references` when none).
 */
import type { FastifyInstance } from 'fastify';
import { Errors } from '../errors.ts';
import type { RegisterRequest, SchemaRegistry } from '../registry.ts';
import { parseVersionSpec } from '../registry.ts';
import type { SchemaById, SchemaInput, SubjectVersion } from '../types.ts';
import { responseContentType } from './server.ts';

type Query = Record<string, string | undefined>;
type Params = Record<string, string>;

function flag(query: Query, name: string): boolean {
  return query[name] === 'true';
}

/** `offset`/`limit` pagination as Confluent applies it (a negative limit means no limit). */
function page<T>(items: T[], query: Query): T[] {
  const offset = Math.max(0, Number(query.offset ?? 0) || 0);
  const limit = Number(query.limit ?? -1);
  return items.slice(offset, Number.isFinite(limit) && limit >= 0 ? offset + limit : undefined);
}

function parseId(text: string): number {
  if (!/^-?\d+$/.test(text)) throw Errors.schemaNotFound();
  return Number(text);
}

/** The body of a register, lookup or compatibility request; unknown fields are ignored. */
function schemaBody(body: unknown): RegisterRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Errors.invalidSchema('Invalid schema: the request body must be a JSON object with a "schema" field');
  const b = body as Record<string, unknown>;
  if (b.schema !== undefined && typeof b.schema !== 'string') throw Errors.invalidSchema('Invalid schema: the "schema" field must be a string');
  const request: RegisterRequest = { schema: (b.schema as string | undefined) ?? '' };
  if (b.schemaType !== undefined && b.schemaType !== null) request.schemaType = String(b.schemaType).toUpperCase() as SchemaInput['schemaType'];
  if (b.references !== undefined && b.references !== null) {
    if (!Array.isArray(b.references)) throw Errors.invalidSchema('Invalid schema: "references" must be an array');
    request.references = b.references as RegisterRequest['references'];
  }
  if (b.metadata !== undefined && b.metadata !== null) request.metadata = b.metadata;
  if (b.ruleSet !== undefined && b.ruleSet !== null) request.ruleSet = b.ruleSet;
  if (typeof b.id === 'number') request.id = b.id;
  if (typeof b.version === 'number') request.version = b.version;
  return request;
}

function schemaView(s: SchemaById): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.schemaType !== 'AVRO') out.schemaType = s.schemaType;
  if (s.references.length > 0) out.references = s.references;
  if (s.metadata !== undefined) out.metadata = s.metadata;
  if (s.ruleSet !== undefined) out.ruleSet = s.ruleSet;
  out.schema = s.schema;
  return out;
}

export function versionJson(v: SubjectVersion): Record<string, unknown> {
  return { subject: v.subject, version: v.version, id: v.id, ...schemaView(v) };
}

export function registerRoutes(app: FastifyInstance, registry: SchemaRegistry): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(responseContentType);
    return payload;
  });

  app.get('/', async () => ({}));

  // ---- schemas -------------------------------------------------------------------------------
  app.get('/schemas', async (req) => {
    const q = req.query as Query;
    const list = registry.listSchemas({ subjectPrefix: q.subjectPrefix, deleted: flag(q, 'deleted'), latestOnly: flag(q, 'latestOnly') });
    return page(list, q).map(versionJson);
  });
  app.get('/schemas/types', async () => registry.schemaTypes());
  app.get('/schemas/ids/:id', async (req) => {
    const q = req.query as Query;
    const id = parseId((req.params as Params).id);
    const view = schemaView(registry.getById(id));
    if (flag(q, 'fetchMaxId')) view.maxId = registry.maxId();
    return view;
  });
  app.get('/schemas/ids/:id/schema', async (req, reply) => {
    const id = parseId((req.params as Params).id);
    return reply.type(responseContentType).send(registry.getById(id).schema);
  });
  app.get('/schemas/ids/:id/subjects', async (req) => {
    const q = req.query as Query;
    const id = parseId((req.params as Params).id);
    return page(registry.subjectsForId(id, { deleted: flag(q, 'deleted') }).filter((s) => q.subject === undefined || s === q.subject), q);
  });
  app.get('/schemas/ids/:id/versions', async (req) => {
    const q = req.query as Query;
    const id = parseId((req.params as Params).id);
    return page(registry.versionsForId(id, { deleted: flag(q, 'deleted') }).filter((v) => q.subject === undefined || v.subject === q.subject), q);
  });

  // ---- subjects ------------------------------------------------------------------------------
  app.get('/subjects', async (req) => {
    const q = req.query as Query;
    return page(registry.listSubjects({ deleted: flag(q, 'deleted'), deletedOnly: flag(q, 'deletedOnly'), subjectPrefix: q.subjectPrefix }), q);
  });
  app.post('/subjects/:subject', async (req) => {
    const q = req.query as Query;
    const { subject } = req.params as Params;
    const found = registry.lookup(subject, schemaBody(req.body), { normalize: flag(q, 'normalize'), deleted: flag(q, 'deleted') });
    return versionJson(found);
  });
  app.delete('/subjects/:subject', async (req) => {
    const q = req.query as Query;
    return registry.deleteSubject((req.params as Params).subject, { permanent: flag(q, 'permanent') });
  });
  app.get('/subjects/:subject/versions', async (req) => {
    const q = req.query as Query;
    const versions = registry.listVersions((req.params as Params).subject, { deleted: flag(q, 'deleted') || flag(q, 'deletedAsNegative'), deletedOnly: flag(q, 'deletedOnly') });
    if (flag(q, 'deletedAsNegative')) {
      const subject = (req.params as Params).subject;
      const deleted = new Set(registry.listVersions(subject, { deletedOnly: true }));
      return page(versions.map((v) => (deleted.has(v) ? -v : v)), q);
    }
    return page(versions, q);
  });
  app.post('/subjects/:subject/versions', async (req) => {
    const q = req.query as Query;
    const { subject } = req.params as Params;
    const result = await registry.register(subject, schemaBody(req.body), { normalize: flag(q, 'normalize'), force: flag(q, 'force') });
    return { id: result.id };
  });
  app.get('/subjects/:subject/versions/:version', async (req) => {
    const q = req.query as Query;
    const { subject, version } = req.params as Params;
    return versionJson(registry.getVersion(subject, parseVersionSpec(version), { deleted: flag(q, 'deleted') }));
  });
  app.get('/subjects/:subject/versions/:version/schema', async (req, reply) => {
    const q = req.query as Query;
    const { subject, version } = req.params as Params;
    return reply.type(responseContentType).send(registry.getVersion(subject, parseVersionSpec(version), { deleted: flag(q, 'deleted') }).schema);
  });
  for (const path of ['/subjects/:subject/versions/:version/referencedby', '/subjects/:subject/versions/:version/referencedBy']) {
    app.get(path, async (req) => {
      const q = req.query as Query;
      const { subject, version } = req.params as Params;
      return page(registry.referencedBy(subject, parseVersionSpec(version), { deleted: flag(q, 'deleted') }), q);
    });
  }
  app.delete('/subjects/:subject/versions/:version', async (req) => {
    const q = req.query as Query;
    const { subject, version } = req.params as Params;
    return registry.deleteVersion(subject, parseVersionSpec(version), { permanent: flag(q, 'permanent') });
  });

  // ---- compatibility -------------------------------------------------------------------------
  const compatibility = (subject: string, version: string | undefined, body: unknown, q: Query): Record<string, unknown> => {
    const verbose = flag(q, 'verbose');
    const spec = version === undefined ? undefined : parseVersionSpec(version);
    let result: { is_compatible: boolean; messages: string[] };
    try {
      result = registry.checkCompatibility(subject, schemaBody(body), { version: spec, normalize: flag(q, 'normalize') });
    } catch (err) {
      if (verbose && err instanceof Error && (err as { errorCode?: number }).errorCode === 42201) result = { is_compatible: false, messages: [err.message] };
      else throw err;
    }
    return verbose ? { is_compatible: result.is_compatible, messages: result.messages } : { is_compatible: result.is_compatible };
  };
  app.post('/compatibility/subjects/:subject/versions/:version', async (req) => {
    const { subject, version } = req.params as Params;
    return compatibility(subject, version, req.body, req.query as Query);
  });
  app.post('/compatibility/subjects/:subject/versions', async (req) => {
    return compatibility((req.params as Params).subject, undefined, req.body, req.query as Query);
  });

  // ---- config --------------------------------------------------------------------------------
  const configJson = (c: ReturnType<SchemaRegistry['getConfig']>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...(c.extra ?? {}) };
    if (c.compatibilityLevel !== undefined) out.compatibilityLevel = c.compatibilityLevel;
    if (c.normalize !== undefined) out.normalize = c.normalize;
    return out;
  };
  const configUpdate = async (subject: string | undefined, body: unknown): Promise<Record<string, unknown>> => {
    if (body === null || typeof body !== 'object') throw Errors.invalidCompatibilityLevel();
    const { compatibility, compatibilityLevel, normalize, ...extra } = body as Record<string, unknown>;
    const level = compatibility ?? compatibilityLevel;
    if (level !== undefined && typeof level !== 'string') throw Errors.invalidCompatibilityLevel();
    const updated = await registry.setConfig(subject, { compatibility: level, normalize: typeof normalize === 'boolean' ? normalize : undefined, extra });
    const out: Record<string, unknown> = { ...extra };
    if (level !== undefined) out.compatibility = updated.compatibilityLevel;
    if (typeof normalize === 'boolean') out.normalize = normalize;
    return out;
  };
  app.get('/config', async () => configJson(registry.getConfig()));
  app.put('/config', async (req) => configUpdate(undefined, req.body));
  app.delete('/config', async () => configJson(await registry.deleteConfig()));
  app.get('/config/:subject', async (req) => {
    const q = req.query as Query;
    return configJson(registry.getConfig((req.params as Params).subject, { defaultToGlobal: flag(q, 'defaultToGlobal') }));
  });
  app.put('/config/:subject', async (req) => configUpdate((req.params as Params).subject, req.body));
  app.delete('/config/:subject', async (req) => configJson(await registry.deleteConfig((req.params as Params).subject)));

  // ---- mode ----------------------------------------------------------------------------------
  const modeOf = (body: unknown): string => {
    const mode = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).mode : undefined;
    if (typeof mode !== 'string') throw Errors.invalidMode();
    return mode;
  };
  app.get('/mode', async () => ({ mode: registry.getMode() }));
  app.put('/mode', async (req) => ({ mode: await registry.setMode(undefined, modeOf(req.body), { force: flag(req.query as Query, 'force') }) }));
  app.get('/mode/:subject', async (req) => {
    const q = req.query as Query;
    return { mode: registry.getMode((req.params as Params).subject, { defaultToGlobal: flag(q, 'defaultToGlobal') }) };
  });
  app.put('/mode/:subject', async (req) => ({ mode: await registry.setMode((req.params as Params).subject, modeOf(req.body), { force: flag(req.query as Query, 'force') }) }));
  app.delete('/mode/:subject', async (req) => ({ mode: await registry.deleteMode((req.params as Params).subject) }));

  // ---- contexts ------------------------------------------------------------------------------
  app.get('/contexts', async (req) => page(registry.listContexts(), req.query as Query));
}
