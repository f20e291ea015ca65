/**
 * The REST surface against a registry on the embedded broker: status codes, Confluent's exact
 * error bodies (two fields, nothing else), soft and permanent deletes, config, mode, import,
 * contexts, references, unknown fields and restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RegistryFixture } from '../helpers/registry-fixture.ts';

const userV1 = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'id', type: 'long' }] });
const userV2 = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'id', type: 'long' }, { name: 'email', type: ['null', 'string'], default: null }] });
const userBad = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'id', type: 'long' }, { name: 'age', type: 'int' }] });

let f: RegistryFixture;
let n = 0;
const subject = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;

function expectError(res: { status: number; body: unknown }, status: number, code: number, message?: RegExp): void {
  expect(res.status).toBe(status);
  expect(Object.keys(res.body as object).sort()).toEqual(['error_code', 'message']);
  expect((res.body as { error_code: number }).error_code).toBe(code);
  if (message) expect((res.body as { message: string }).message).toMatch(message);
}

beforeAll(async () => {
  f = await startRegistry();
});
afterAll(async () => {
  await f.close();
});

describe('schemas and subjects', () => {
  it('registers, answers the same id again, and serves the schema in every shape', async () => {
    const s = subject('users');
    const first = await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body as object)).toEqual(['id']);
    const id = (first.body as { id: number }).id;
    const again = await f.call('POST', `/subjects/${s}/versions`, { schema: JSON.stringify(JSON.parse(userV1), null, 2) });
    expect(again.body).toEqual({ id });

    expect((await f.call('GET', `/schemas/ids/${id}`)).body).toEqual({ schema: userV1 });
    expect((await f.call('GET', `/schemas/ids/${id}/schema`)).text).toBe(userV1);
    expect((await f.call('GET', `/schemas/ids/${id}/subjects`)).body).toEqual([s]);
    expect((await f.call('GET', `/schemas/ids/${id}/versions`)).body).toEqual([{ subject: s, version: 1 }]);
    expect((await f.call('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
    for (const v of ['1', 'latest', '-1']) {
      expect((await f.call('GET', `/subjects/${s}/versions/${v}`)).body).toEqual({ subject: s, version: 1, id, schema: userV1 });
    }
    expect((await f.call('GET', `/subjects/${s}/versions/latest/schema`)).text).toBe(userV1);
    expect((await f.call('GET', '/subjects')).body).toContain(s);
    expect((await f.call('GET', `/subjects?subjectPrefix=${s}`)).body).toEqual([s]);
    const schemas = (await f.call('GET', `/schemas?subjectPrefix=${s}`)).body as unknown[];
    expect(schemas).toEqual([{ subject: s, version: 1, id, schema: userV1 }]);
    expect((await f.call('GET', '/schemas/types')).body).toEqual(['JSON', 'PROTOBUF', 'AVRO']);
    expect((await f.call('GET', '/')).body).toEqual({});
  });

  it('the same schema under another subject keeps its id', async () => {
    const a = subject('a');
    const b = subject('b');
    const idA = ((await f.call('POST', `/subjects/${a}/versions`, { schema: '{"type":"fixed","name":"F","size":4}' })).body as { id: number }).id;
    const idB = ((await f.call('POST', `/subjects/${b}/versions`, { schema: '{"type":"fixed","name":"F","size":4}' })).body as { id: number }).id;
    expect(idB).toBe(idA);
    expect(((await f.call('GET', `/schemas/ids/${idA}/subjects`)).body as string[]).sort()).toEqual([a, b].sort());
  });

  it('looks a schema up under a subject', async () => {
    const s = subject('lookup');
    const { id } = (await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 })).body as { id: number };
    const found = await f.call('POST', `/subjects/${s}`, { schema: userV1 });
    expect(found.body).toEqual({ subject: s, version: 1, id, schema: userV1 });
    expectError(await f.call('POST', `/subjects/${s}`, { schema: userV2 }), 404, 40403, /^Schema not found$/);
    expectError(await f.call('POST', `/subjects/${subject('none')}`, { schema: userV1 }), 404, 40401, /^Subject '.*' not found\.$/);
  });

  it('rejects an incompatible schema with 409 and passes a compatible one', async () => {
    const s = subject('compat');
    await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    const bad = await f.call('POST', `/subjects/${s}/versions`, { schema: userBad });
    expectError(bad, 409, 409, /incompatible with an earlier schema for subject ".*", details: \[.*READER_FIELD_MISSING_DEFAULT_VALUE/);
    expect((await f.call('POST', `/subjects/${s}/versions`, { schema: userV2 })).status).toBe(200);
    expect((await f.call('GET', `/subjects/${s}/versions`)).body).toEqual([1, 2]);
  });

  it('checks compatibility, with reasons when verbose', async () => {
    const s = subject('check');
    await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    expect((await f.call('POST', `/compatibility/subjects/${s}/versions/latest`, { schema: userV2 })).body).toEqual({ is_compatible: true });
    expect((await f.call('POST', `/compatibility/subjects/${s}/versions/1`, { schema: userBad })).body).toEqual({ is_compatible: false });
    const verbose = (await f.call('POST', `/compatibility/subjects/${s}/versions?verbose=true`, { schema: userBad })).body as { is_compatible: boolean; messages: string[] };
    expect(verbose.is_compatible).toBe(false);
    expect(verbose.messages.join(' ')).toMatch(/READER_FIELD_MISSING_DEFAULT_VALUE.*'age'/);
    expect(verbose.messages.at(-1)).toBe("{validateFields: 'false', compatibility: 'BACKWARD'}");
    expectError(await f.call('POST', `/compatibility/subjects/${s}/versions/7`, { schema: userV2 }), 404, 40402, /^Version 7 not found\.$/);
    expectError(await f.call('POST', `/compatibility/subjects/${s}/versions/zero`, { schema: userV2 }), 422, 42202);
    const invalid = (await f.call('POST', `/compatibility/subjects/${s}/versions/latest?verbose=true`, { schema: '{"type":"nope"}' })).body as { is_compatible: boolean; messages: string[] };
    expect(invalid.is_compatible).toBe(false);
    expect(invalid.messages[0]).toMatch(/nope/);
  });

  it('answers Confluent errors for bad input', async () => {
    const s = subject('bad');
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"Missing"}]}' }), 422, 42201, /Missing/);
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '{not json' }), 422, 42201, /not valid JSON/);
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '' }), 422, 42201, /Empty schema/);
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '"int"', schemaType: 'XML' }), 422, 42201, /Invalid schema type/);
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '"int"', references: [{ name: 'x', subject: 'nope', version: 1 }] }), 422, 42201, /reference 'x' not found: subject 'nope' has no version 1/);
    expectError(await f.call('GET', `/subjects/${s}/versions/0`), 422, 42202, /^The specified version '0' is not a valid version id/);
    expectError(await f.call('GET', `/subjects/${s}/versions/1`), 404, 40401);
    expectError(await f.call('GET', '/schemas/ids/999999'), 404, 40403, /^Schema 999999 not found$/);
    expectError(await f.call('PUT', '/config', { compatibility: 'SIDEWAYS' }), 422, 42203);
    expectError(await f.call('PUT', '/mode', { mode: 'SOMETIMES' }), 422, 42204);
    expect((await f.call('GET', '/no/such/path')).status).toBe(404);
  });

  it('keeps unknown request fields such as metadata and ruleSet', async () => {
    const s = subject('meta');
    const metadata = { properties: { owner: 'team-a' } };
    const ruleSet = { domainRules: [{ name: 'r', kind: 'CONDITION', mode: 'WRITE', type: 'CEL', expr: 'true' }] };
    const res = await f.call('POST', `/subjects/${s}/versions`, { schema: userV1, metadata, ruleSet, somethingNew: 1 });
    expect(res.status).toBe(200);
    const got = (await f.call('GET', `/subjects/${s}/versions/1`)).body as Record<string, unknown>;
    expect(got.metadata).toEqual(metadata);
    expect(got.ruleSet).toEqual(ruleSet);
    expect(got.somethingNew).toBeUndefined();
  });
});

describe('deletes', () => {
  it('soft deletes a version, hides it, then deletes it permanently', async () => {
    const s = subject('delv');
    // A schema no other test registers, so its id is this subject's alone.
    const own = JSON.stringify({ ...JSON.parse(userV2), doc: s });
    await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    const { id } = (await f.call('POST', `/subjects/${s}/versions`, { schema: own })).body as { id: number };
    expectError(await f.call('DELETE', `/subjects/${s}/versions/2?permanent=true`), 404, 40407, /was not deleted first before being permanently deleted/);
    expect((await f.call('DELETE', `/subjects/${s}/versions/2`)).body).toBe(2);
    expectError(await f.call('DELETE', `/subjects/${s}/versions/2`), 404, 40406, /Version 2 was soft deleted\.Set permanent=true/);
    expect((await f.call('GET', `/subjects/${s}/versions`)).body).toEqual([1]);
    expect((await f.call('GET', `/subjects/${s}/versions?deleted=true`)).body).toEqual([1, 2]);
    expect((await f.call('GET', `/subjects/${s}/versions?deletedOnly=true`)).body).toEqual([2]);
    expect((await f.call('GET', `/subjects/${s}/versions?deletedAsNegative=true`)).body).toEqual([1, -2]);
    expectError(await f.call('GET', `/subjects/${s}/versions/2`), 404, 40402);
    expect(((await f.call('GET', `/subjects/${s}/versions/2?deleted=true`)).body as { id: number }).id).toBe(id);
    expect((await f.call('GET', `/schemas/ids/${id}`)).status).toBe(200); // still served by id
    expect((await f.call('DELETE', `/subjects/${s}/versions/2?permanent=true`)).body).toBe(2);
    expectError(await f.call('GET', `/subjects/${s}/versions/2?deleted=true`), 404, 40402);
    expectError(await f.call('GET', `/schemas/ids/${id}`), 404, 40403);
    // Registering it again gives a new version and a new id (ids are never reused).
    const again = (await f.call('POST', `/subjects/${s}/versions`, { schema: own })).body as { id: number };
    expect(again.id).toBeGreaterThan(id);
    expect((await f.call('GET', `/subjects/${s}/versions`)).body).toEqual([1, 2]); // as Confluent: max version + 1
  });

  it('soft deletes a subject, then permanently, in that order', async () => {
    const s = subject('dels');
    await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 });
    await f.call('POST', `/subjects/${s}/versions`, { schema: userV2 });
    await f.call('PUT', `/config/${s}`, { compatibility: 'NONE' });
    expectError(await f.call('DELETE', `/subjects/${s}?permanent=true`), 404, 40405, /^Subject '.*' was not deleted first before being permanently deleted$/);
    expect((await f.call('DELETE', `/subjects/${s}`)).body).toEqual([1, 2]);
    expectError(await f.call('DELETE', `/subjects/${s}`), 404, 40404, /^Subject '.*' was soft deleted\.Set permanent=true to delete permanently$/);
    expect((await f.call('GET', '/subjects')).body).not.toContain(s);
    expect((await f.call('GET', '/subjects?deleted=true')).body).toContain(s);
    expect((await f.call('GET', '/subjects?deletedOnly=true')).body).toContain(s);
    expectError(await f.call('GET', `/subjects/${s}/versions`), 404, 40401);
    expect((await f.call('POST', `/subjects/${s}`, { schema: userV1 })).status).toBe(404);
    expect(((await f.call('POST', `/subjects/${s}?deleted=true`, { schema: userV1 })).body as { version: number }).version).toBe(1);
    expect((await f.call('DELETE', `/subjects/${s}?permanent=true`)).body).toEqual([1, 2]);
    expect((await f.call('GET', '/subjects?deleted=true')).body).not.toContain(s);
    expectError(await f.call('DELETE', `/subjects/${s}`), 404, 40401);
    expectError(await f.call('GET', `/config/${s}`), 404, 40408); // its config went with it
  });

  it('refuses to delete a schema that others reference (42206)', async () => {
    const base = subject('ref-base');
    const user = subject('ref-user');
    await f.call('POST', `/subjects/${base}/versions`, { schema: '{"type":"record","name":"Address","namespace":"x","fields":[{"name":"city","type":"string"}]}' });
    const res = await f.call('POST', `/subjects/${user}/versions`, {
      schema: '{"type":"record","name":"Person","namespace":"x","fields":[{"name":"home","type":"x.Address"}]}',
      references: [{ name: 'x.Address', subject: base, version: 1 }],
    });
    expect(res.status).toBe(200);
    const id = (res.body as { id: number }).id;
    expect((await f.call('GET', `/subjects/${base}/versions/1/referencedby`)).body).toEqual([id]);
    const got = (await f.call('GET', `/schemas/ids/${id}`)).body as { references: unknown[] };
    expect(got.references).toEqual([{ name: 'x.Address', subject: base, version: 1 }]);
    expectError(await f.call('DELETE', `/subjects/${base}/versions/1`), 422, 42206, /One or more references exist to the schema/);
    expectError(await f.call('DELETE', `/subjects/${base}`), 422, 42206);
    await f.call('DELETE', `/subjects/${user}`);
    expect((await f.call('DELETE', `/subjects/${base}`)).status).toBe(200);
  });
});

describe('config and mode', () => {
  it('reads and writes registry and subject config', async () => {
    const s = subject('cfg');
    expect((await f.call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expectError(await f.call('GET', `/config/${s}`), 404, 40408, /^Subject '.*' does not have subject-level compatibility configured$/);
    expect((await f.call('GET', `/config/${s}?defaultToGlobal=true`)).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await f.call('PUT', `/config/${s}`, { compatibility: 'full_transitive' })).body).toEqual({ compatibility: 'FULL_TRANSITIVE' });
    expect((await f.call('GET', `/config/${s}`)).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
    expect((await f.call('DELETE', `/config/${s}`)).body).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE' });
    expect((await f.call('GET', `/config/${s}`)).status).toBe(404);
    // A subject at NONE accepts anything.
    await f.call('PUT', `/config/${s}`, { compatibility: 'NONE' });
    await f.call('POST', `/subjects/${s}/versions`, { schema: '"string"' });
    expect((await f.call('POST', `/subjects/${s}/versions`, { schema: '"int"' })).status).toBe(200);
  });

  it('read-only mode blocks writes; subject mode overrides global', async () => {
    const s = subject('ro');
    expect((await f.call('GET', '/mode')).body).toEqual({ mode: 'READWRITE' });
    expectError(await f.call('GET', `/mode/${s}`), 404, 40409, /does not have subject-level mode configured/);
    expect((await f.call('GET', `/mode/${s}?defaultToGlobal=true`)).body).toEqual({ mode: 'READWRITE' });
    expect((await f.call('PUT', `/mode/${s}`, { mode: 'READONLY' })).body).toEqual({ mode: 'READONLY' });
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '"string"' }), 422, 42205, /read-only mode/);
    expect((await f.call('DELETE', `/mode/${s}`)).body).toEqual({ mode: 'READONLY' });
    expect((await f.call('POST', `/subjects/${s}/versions`, { schema: '"string"' })).status).toBe(200);
  });

  it('IMPORT mode registers with the given id and version', async () => {
    const s = subject('imp');
    expect((await f.call('PUT', `/mode/${s}`, { mode: 'IMPORT' })).body).toEqual({ mode: 'IMPORT' });
    expect((await f.call('GET', `/mode/${s}`)).body).toEqual({ mode: 'IMPORT' });
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '"string"' }), 422, 42205, /not in read-write mode/);
    const res = await f.call('POST', `/subjects/${s}/versions`, { schema: '"bytes"', id: 900_001, version: 5 });
    expect(res.body).toEqual({ id: 900_001 });
    expect((await f.call('GET', `/subjects/${s}/versions/5`)).body).toEqual({ subject: s, version: 5, id: 900_001, schema: '"bytes"' });
    expectError(await f.call('POST', `/subjects/${s}/versions`, { schema: '"long"', id: 900_001 }), 422, 42205, /Overwrite new schema with id 900001/);
    const other = subject('rw');
    expectError(await f.call('POST', `/subjects/${other}/versions`, { schema: '"string"', id: 5 }), 422, 42205, /not in import mode/);
    await f.call('PUT', `/mode/${s}`, { mode: 'READWRITE' });
    const next = (await f.call('POST', `/subjects/${other}/versions`, { schema: '"double"' })).body as { id: number };
    expect(next.id).toBeGreaterThan(900_001);
    // Global IMPORT needs an empty registry unless forced.
    expectError(await f.call('PUT', '/mode', { mode: 'IMPORT' }), 422, 42205, /Cannot import since found existing subjects/);
    expect((await f.call('PUT', '/mode?force=true', { mode: 'IMPORT' })).body).toEqual({ mode: 'IMPORT' });
    expect((await f.call('PUT', '/mode', { mode: 'READWRITE' })).body).toEqual({ mode: 'READWRITE' });
  });
});

describe('contexts', () => {
  it('keeps qualified subjects in their context and lists contexts', async () => {
    const name = subject('ctx');
    const res = await f.call('POST', `/contexts/.staging/subjects/${name}/versions`, { schema: userV1 });
    expect(res.status).toBe(200);
    expect((await f.call('GET', '/contexts')).body).toEqual(expect.arrayContaining(['.', '.staging']));
    expect((await f.call('GET', '/subjects')).body).toContain(`:.staging:${name}`);
    expect(((await f.call('GET', `/subjects/${encodeURIComponent(`:.staging:${name}`)}/versions/1`)).body as { subject: string }).subject).toBe(`:.staging:${name}`);
    expect((await f.call('GET', `/contexts/.staging/subjects/${name}/versions`)).body).toEqual([1]);
  });
});

describe('restart', () => {
  it('keeps ids, versions, deletes, config and mode', async () => {
    const s = subject('restart');
    const a = (await f.call('POST', `/subjects/${s}/versions`, { schema: userV1 })).body as { id: number };
    const b = (await f.call('POST', `/subjects/${s}/versions`, { schema: userV2 })).body as { id: number };
    await f.call('DELETE', `/subjects/${s}/versions/1`);
    await f.call('PUT', `/config/${s}`, { compatibility: 'FORWARD' });
    await f.call('PUT', `/mode/${s}`, { mode: 'READONLY' });
    const before = (await f.call('GET', '/schemas?deleted=true')).body;
    await f.restart();
    expect((await f.call('GET', '/schemas?deleted=true')).body).toEqual(before);
    expect((await f.call('GET', `/subjects/${s}/versions`)).body).toEqual([2]);
    expect(((await f.call('GET', `/subjects/${s}/versions/2`)).body as { id: number }).id).toBe(b.id);
    expect(((await f.call('GET', `/subjects/${s}/versions/1?deleted=true`)).body as { id: number }).id).toBe(a.id);
    expect((await f.call('GET', `/config/${s}`)).body).toEqual({ compatibilityLevel: 'FORWARD' });
    expect((await f.call('GET', `/mode/${s}`)).body).toEqual({ mode: 'READONLY' });
    await f.call('DELETE', `/mode/${s}`);
    const c = (await f.call('POST', `/subjects/${subject('after')}/versions`, { schema: '{"type":"enum","name":"E","symbols":["A"]}' })).body as { id: number };
    expect(c.id).toBeGreaterThan(b.id);
  });
});
