import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianPython, run } from '../helpers/broker.ts';
import { startPlatformProcess, type PlatformProcess } from '../helpers/platform-process.ts';
import { lines, randomName, runCli } from './run-cli.ts';

const USER_V1 = {
  type: 'record',
  name: 'User',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'email', type: ['null', 'string'], default: null },
  ],
};
/** Adds a field with a default: backward compatible with v1. */
const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'age', type: 'int', default: 0 }] };
/** Adds a field without a default: not backward compatible. */
const USER_BAD = { ...USER_V1, fields: [...USER_V1.fields, { name: 'country', type: 'string' }] };

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Each test has its own subjects and topics; running them side by side overlaps the CLI processes' waits.
describe.concurrent('runnel schema, and produce/consume with schemas, against runnel start', () => {
  let platform: PlatformProcess;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) => runCli(args, { input, env });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runnel-schema-cli-'));
    platform = await startPlatformProcess(['--data-dir', join(dir, 'data'), '--kafka-port', '0', '--registry-port', '0', '--connect-port', '0', '--http-port', '0']);
    env = { RUNNEL_BROKERS: platform.endpoints.kafka, RUNNEL_REGISTRY: platform.endpoints.registry };
    await writeFile(join(dir, 'user-v1.avsc'), JSON.stringify(USER_V1, null, 2));
  });
  afterAll(async () => {
    await platform?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('registers, gets, lists, checks, configures and deletes schemas', async () => {
    const subject = randomName('users-value');
    const registered = await cli(['schema', 'register', '--subject', subject, '--schema', join(dir, 'user-v1.avsc')]);
    expect(registered.code, registered.stderr).toBe(0);
    const id = Number(/Successfully registered schema with ID: (\d+)/.exec(registered.stdout)?.[1]);
    expect(id).toBeGreaterThan(0);
    // The same schema again (as text this time) gets the same id.
    const again = await cli(['schema', 'register', '--subject', subject, '--schema', JSON.stringify(USER_V1), '--format', 'json']);
    expect(JSON.parse(again.stdout)).toEqual({ id });

    const byId = await cli(['schema', 'get', String(id)]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(new RegExp(`^Schema ID: ${id}\nType: AVRO\nSchema:\n\\{\n  "type": "record"`));
    const bySubject = JSON.parse((await cli(['schema', 'get', '--subject', subject, '--version', 'latest', '--format', 'json'])).stdout) as { id: number; version: number; schemaType: string; schema: string };
    expect(bySubject).toMatchObject({ id, version: 1, schemaType: 'AVRO' });
    expect(JSON.parse(bySubject.schema)).toEqual(USER_V1);

    const compatible = await cli(['schema', 'check', '--subject', subject, '--schema', JSON.stringify(USER_V2)]);
    expect(compatible.code, compatible.stderr).toBe(0);
    expect(compatible.stdout).toBe('Schema is compatible.\n');
    const incompatible = await cli(['schema', 'check', '--subject', subject, '--schema', JSON.stringify(USER_BAD)]);
    expect(incompatible.code).toBe(1);
    expect(incompatible.stdout).toMatch(/^Schema is incompatible\.\n/);
    expect(incompatible.stdout).toMatch(/READER_FIELD_MISSING_DEFAULT_VALUE.*'country'/);
    const rejected = await cli(['schema', 'register', '--subject', subject, '--schema', JSON.stringify(USER_BAD)]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^runnel: .*incompatible.*\(error 409\)\n$/i);

    const v2 = await cli(['schema', 'register', '--subject', subject, '--schema', JSON.stringify(USER_V2)]);
    expect(v2.code, v2.stderr).toBe(0);
    const listed = await cli(['schema', 'list', '--subject-prefix', subject]);
    expect(lines(listed.stdout)[0]).toMatch(/^Schema ID\s+Subject\s+Version\s+Type$/);
    expect(lines(listed.stdout).slice(1).map((l) => l.split(/\s+/).slice(1))).toEqual([
      [subject, '1', 'AVRO'],
      [subject, '2', 'AVRO'],
    ]);

    expect((await cli(['schema', 'config'])).stdout).toMatch(/^Compatibility level: [A-Z_]+\n$/);
    const set = await cli(['schema', 'config', '--subject', subject, '--compatibility', 'full']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe(`Compatibility of subject "${subject}" set to FULL\n`);
    expect(JSON.parse((await cli(['schema', 'config', '--subject', subject, '--format', 'json'])).stdout)).toMatchObject({ compatibilityLevel: 'FULL' });
    const badLevel = await cli(['schema', 'config', '--compatibility', 'sideways']);
    expect(badLevel.code).toBe(1);
    expect(badLevel.stderr).toMatch(/'sideways' is not a compatibility level: use one of NONE, BACKWARD/);

    // Soft delete of a version, then permanent; a permanent delete must follow a soft one.
    const notSoft = await cli(['schema', 'delete', '--subject', subject, '--version', '2', '--permanent']);
    expect(notSoft.code).toBe(1);
    expect(notSoft.stderr).toMatch(/must be soft-deleted first|not.*soft.deleted|40407/i);
    const soft = await cli(['schema', 'delete', '--subject', subject, '--version', '2']);
    expect(soft.code, soft.stderr).toBe(0);
    expect(soft.stdout).toBe(`Deleted version 2 of subject "${subject}"\n`);
    expect(lines((await cli(['schema', 'list', '--subject-prefix', subject])).stdout).slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['1']);
    expect(lines((await cli(['schema', 'list', '--subject-prefix', subject, '--all'])).stdout).slice(1).map((l) => l.split(/\s+/)[2]).sort()).toEqual(['1', '2']);
    const hard = await cli(['schema', 'delete', '--subject', subject, '--version', '2', '--permanent']);
    expect(hard.code, hard.stderr).toBe(0);
    expect(hard.stdout).toBe(`Permanently deleted version 2 of subject "${subject}"\n`);
    expect(lines((await cli(['schema', 'list', '--subject-prefix', subject, '--all'])).stdout).slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['1']);
    const whole = await cli(['schema', 'delete', '--subject', subject, '--format', 'json']);
    expect(JSON.parse(whole.stdout)).toEqual([1]);
    const gone = await cli(['schema', 'get', '--subject', subject]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/Subject '.*' not found\. \(error 40401\)/);
  }, 240_000);

  it('explains bad schemas, bad flags and an unreachable registry', async () => {
    const bad = await cli(['schema', 'register', '--subject', randomName('bad'), '--schema', '{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^runnel: Invalid schema: .*nope.*\(error 42201\)\n$/);
    const notJson = await cli(['schema', 'register', '--subject', randomName('bad'), '--schema', '{"type": "record",']);
    expect(notJson.stderr).toMatch(/Invalid schema.*not valid JSON.*42201/);
    const noSubject = await cli(['schema', 'get']);
    expect(noSubject.code).toBe(1);
    expect(noSubject.stderr).toMatch(/say which schema: runnel schema get ID, or runnel schema get --subject SUBJECT/);
    const closed = await closedPort();
    const unreachable = await runCli(['schema', 'list', '--registry', `http://127.0.0.1:${closed}`]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`runnel: cannot reach the schema registry at http://127.0.0.1:${closed} (ECONNREFUSED); start one with 'runnel start', or point --registry / RUNNEL_REGISTRY at yours\n`);
  });

  it('produces JSON lines as Avro and consumes them back decoded; python reads them too', async () => {
    const topic = randomName('users');
    expect((await cli(['topic', 'create', topic])).code).toBe(0);
    // Plain JSON and Avro's JSON encoding (wrapped union) are both accepted.
    const input = '{"id": 1, "name": "ada"}\n{"id": 2, "name": "bob", "email": "bob@example.com"}\n{"id": 3, "name": "cy", "email": {"string": "cy@example.com"}}\n';
    const produced = await cli(['produce', topic, '--value-schema', join(dir, 'user-v1.avsc'), '-K', '|'], input.split('\n').map((l, i) => (l === '' ? l : `k${i}|${l}`)).join('\n'));
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).toBe(`runnel: produced 3 records to '${topic}'\n`);
    // Registered under <topic>-value.
    expect(JSON.parse((await cli(['schema', 'get', '--subject', `${topic}-value`, '--format', 'json'])).stdout)).toMatchObject({ version: 1, schemaType: 'AVRO' });
    // Against the subject's latest version, without a file.
    const more = await cli(['produce', topic, '--value-format', 'avro'], '{"id": 4, "name": "dee"}\n');
    expect(more.code, more.stderr).toBe(0);

    const expected = [
      { id: 1, name: 'ada', email: null },
      { id: 2, name: 'bob', email: 'bob@example.com' },
      { id: 3, name: 'cy', email: 'cy@example.com' },
      { id: 4, name: 'dee', email: null },
    ];
    const decoded = await cli(['consume', topic, '-e', '--value-format', 'avro', '-f', '%k %s\\n']);
    expect(decoded.code, decoded.stderr).toBe(0);
    expect(lines(decoded.stdout)).toEqual([...expected.slice(0, 3).map((v, i) => `k${i} ${JSON.stringify(v)}`), ` ${JSON.stringify(expected[3])}`]);
    const json = await cli(['consume', topic, '-e', '--decode', '-J']);
    expect(json.code, json.stderr).toBe(0);
    expect(lines(json.stdout).map((l) => (JSON.parse(l) as { value: unknown }).value)).toEqual(expected);
    // Without a decoding flag the bytes are the wire format: magic byte 0, then the schema id.
    const raw = await cli(['consume', topic, '-e', '-c', '1', '-f', '%S %s']);
    expect(raw.stdout.charCodeAt(raw.stdout.indexOf(' ') + 1)).toBe(0);

    const script = `
import json, sys
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
serializer = MessageSerializer(CachedSchemaRegistryClient({'url': sys.argv[2]}))
c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'py-avro', 'enable.auto.commit': False})
c.assign([TopicPartition(sys.argv[3], 0, 0)])
out = []
for _ in range(200):
    m = c.poll(0.2)
    if m is None or m.error():
        continue
    out.append(serializer.decode_message(m.value()))
    if len(out) == 4:
        break
c.close()
print(json.dumps(out))
`;
    const py = await run(debianPython, ['-c', script, platform.endpoints.kafka, platform.endpoints.registry, topic], { timeoutMs: 60_000 });
    expect(py.code, py.stderr).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual(expected);
  }, 240_000);

  it('names the line, field and problem when a line does not match, and exits 1', async () => {
    const topic = randomName('users');
    expect((await cli(['topic', 'create', topic])).code).toBe(0);
    const input = '{"id": 1, "name": "ok"}\n\n{"id": "two", "name": "x"}\n{"id": 3, "name": "never sent"}\n';
    const r = await cli(['produce', topic, '--value-schema', join(dir, 'user-v1.avsc')], input);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`runnel: line 3: value field 'id': expected long, got "two"\n(1 record before it was produced; nothing after it)\n`);
    expect(lines((await cli(['consume', topic, '-e', '--value-format', 'avro'])).stdout)).toEqual(['{"id":1,"name":"ok","email":null}']);

    const missing = await cli(['produce', topic, '--value-format', 'avro', '-q'], '{"id": 5, "nmae": "typo"}\n');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^runnel: line 1: value field 'name' is missing \(string, no default\)/);
    const extra = await cli(['produce', topic, '--value-format', 'avro', '-q'], '{"id": 5, "name": "a", "nmae": "typo"}\n');
    expect(extra.stderr).toMatch(/^runnel: line 1: value field 'nmae' is not in record com\.acme\.User \(fields: id, name, email\)/);
    const notJson = await cli(['produce', topic, '--value-format', 'avro', '-q'], '{"id": 5,\n');
    expect(notJson.stderr).toMatch(/^runnel: line 1: value not valid JSON \(/);
    const wrongType = await cli(['produce', topic, '--value-format', 'json', '-q'], '{"id": 5}\n');
    expect(wrongType.stderr).toMatch(new RegExp(`subject '${topic}-value' holds a schema of type avro, not json`));
    const noSubject = await cli(['produce', randomName('nothing'), '--value-format', 'avro', '-q'], '{}\n');
    expect(noSubject.stderr).toMatch(/subject '.*-value' has no schema; register one \(runnel schema register --subject .*-value --schema FILE\) or pass --value-schema FILE/);
  }, 240_000);

  it('encodes with JSON Schema by subject and reports schema violations', async () => {
    const topic = randomName('events');
    const subject = randomName('event-schema');
    const schema = { type: 'object', properties: { kind: { type: 'string' }, n: { type: 'integer' } }, required: ['kind'], additionalProperties: false };
    expect((await cli(['schema', 'register', '--subject', subject, '--type', 'json', '--schema', JSON.stringify(schema)])).code).toBe(0);
    expect((await cli(['topic', 'create', topic])).code).toBe(0);
    const ok = await cli(['produce', topic, '--value-schema', subject], '{"kind": "click", "n": 1}\n');
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await cli(['produce', topic, '--value-schema', subject], '{"kind": "click", "n": "one"}\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^runnel: line 1: value does not match .* \(schema ID \d+\): .*\/n must be integer/);
    const out = await cli(['consume', topic, '-e', '--value-format', 'json']);
    expect(lines(out.stdout)).toEqual(['{"kind":"click","n":1}']);
  }, 240_000);
});
