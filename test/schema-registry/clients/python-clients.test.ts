/**
 * python3-confluent-kafka (Debian) against a registry on 127.0.0.1, run as a subprocess with
 * /usr/bin/python3: its SchemaRegistryClient, its JSON Schema serializer (python3-jsonschema),
 * and its legacy Avro module (python3-avro). Bytes cross over to our deserializer and back.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deserializer, HttpRegistryClient } from '../../../src/schema-registry/index.ts';
import { startRegistry, type RegistryFixture } from '../helpers/registry-fixture.ts';

const run = promisify(execFile);
const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('./python/confluent_clients.py', import.meta.url));
const modulesNeeded = 'import confluent_kafka, confluent_kafka.schema_registry, jsonschema, avro, requests';

async function pythonReady(): Promise<string | null> {
  try {
    await run(python, ['-c', modulesNeeded]);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

let f: RegistryFixture;
beforeAll(async () => {
  f = await startRegistry();
});
afterAll(async () => {
  await f.close();
});

describe('python3-confluent-kafka', () => {
  it('registers, looks up, checks, serializes JSON and legacy Avro', async () => {
    const missing = await pythonReady();
    // The Debian packages are part of the project's test setup (python3-confluent-kafka,
    // python3-avro, python3-jsonschema, python3-requests): fail loudly when they are absent.
    expect(missing, `install python3-confluent-kafka python3-avro python3-jsonschema python3-requests: ${missing}`).toBeNull();
    const suffix = `${Date.now().toString(36)}`;
    const { stdout } = await run(python, [script, f.url, suffix], { timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    const jsonSubject = `py-json-${suffix}`;
    const jsonId = f.server.registry.getLatest(jsonSubject).id;
    expect(out.registered_id).toBe(jsonId);
    expect(out.latest).toEqual({ id: jsonId, version: 1, subject: jsonSubject, type: 'JSON' });
    expect(out.lookup_version).toBe(1);
    expect(out.subjects_has).toBe(true);
    expect(out.compatible_narrower).toBe(false);
    expect(out.set_compat).toEqual({ compatibility: 'NONE' });
    expect(out.get_compat).toBe('NONE');
    expect(out.missing_version).toEqual({ http: 404, code: 40402, message: 'Version 42 not found.' });
    expect(out.json_roundtrip).toEqual({ id: 7, item: 'pen' });
    expect(out.json_invalid).toBeDefined();
    const deserializer = new Deserializer(new HttpRegistryClient(f.url));
    const jsonBytes = Buffer.from(out.json_bytes_hex as string, 'hex');
    expect(jsonBytes.readInt32BE(1)).toBe(jsonId);
    expect(await deserializer.deserialize(jsonBytes)).toEqual({ id: 7, item: 'pen' });
    const avroBytes = Buffer.from(out.avro_bytes_hex as string, 'hex');
    expect(avroBytes.readInt32BE(1)).toBe(out.avro_id);
    expect(out.avro_decoded).toEqual({ id: 5, name: 'eve' });
    expect(out.avro_latest).toBe(out.avro_id);
    expect(await deserializer.deserialize(avroBytes)).toEqual({ id: 5, name: 'eve' });
  });
});
