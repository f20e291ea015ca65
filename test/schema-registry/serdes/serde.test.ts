/**
 * Serializers over both clients (in-process and HTTP): the wire format bytes, the three formats,
 * subject name strategies, caching and Avro schema resolution; the broker's record validator;
 * the CLI commands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRecordValidator,
  decodeMessageIndexes,
  Deserializer,
  encodeMessageIndexes,
  HttpRegistryClient,
  InProcessRegistryClient,
  type RegistryClient,
  schemaCli,
  Serializer,
} from '../../../src/schema-registry/index.ts';
import { startRegistry, type RegistryFixture } from '../helpers/registry-fixture.ts';

const userSchema = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] });
const jsonSchema = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Order', type: 'object', properties: { id: { type: 'integer' }, item: { type: 'string' } }, required: ['id'] });
const protoSchema = 'syntax = "proto3";\npackage shop;\nmessage Order { int64 id = 1; string item = 2; message Line { int32 qty = 1; } }\nmessage Refund { int64 order_id = 1; }\n';

let f: RegistryFixture;
let n = 0;
const topic = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;

beforeAll(async () => {
  f = await startRegistry();
});
afterAll(async () => {
  await f.close();
});

describe('wire format', () => {
  it('writes message indexes as Confluent does', () => {
    expect([...encodeMessageIndexes([0])]).toEqual([0]);
    expect([...encodeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...encodeMessageIndexes([1, 0])]).toEqual([4, 2, 0]);
    expect(decodeMessageIndexes(Buffer.from([0]), 0)).toEqual({ indexes: [0], offset: 1 });
    expect(decodeMessageIndexes(Buffer.from([4, 2, 0, 99]), 0)).toEqual({ indexes: [1, 0], offset: 3 });
  });
});

const clients: Array<[string, () => RegistryClient]> = [
  ['in-process', () => new InProcessRegistryClient(f.server.registry)],
  ['http', () => new HttpRegistryClient(f.url)],
];

for (const [name, makeClient] of clients) {
  describe(`serializers over the ${name} client`, () => {
    it('round-trips Avro with the 5-byte header and registers under <topic>-value', async () => {
      const client = makeClient();
      const t = topic('avro');
      const serializer = new Serializer(client, { schemaType: 'AVRO', schema: userSchema });
      const bytes = await serializer.serialize(t, { id: 7, name: 'ada' });
      const id = f.server.registry.getLatest(`${t}-value`).id;
      expect(bytes[0]).toBe(0);
      expect(bytes.readInt32BE(1)).toBe(id);
      expect(bytes.subarray(5)).toEqual(Buffer.from([14, 6, 97, 100, 97]));
      expect(await new Deserializer(client).deserialize(bytes)).toEqual({ id: 7, name: 'ada' });
    });

    it('round-trips JSON Schema and validates before writing', async () => {
      const client = makeClient();
      const t = topic('json');
      const serializer = new Serializer(client, { schemaType: 'JSON', schema: jsonSchema });
      const bytes = await serializer.serialize(t, { id: 1, item: 'pen' });
      expect(bytes.subarray(5).toString()).toBe('{"id":1,"item":"pen"}');
      expect(await new Deserializer(client).deserialize(bytes)).toEqual({ id: 1, item: 'pen' });
      await expect(serializer.serialize(t, { item: 'no id' })).rejects.toThrow(/does not match the JSON schema/);
    });

    it('round-trips Protobuf with message indexes', async () => {
      const client = makeClient();
      const t = topic('proto');
      const first = await new Serializer(client, { schemaType: 'PROTOBUF', schema: protoSchema }).serialize(t, { id: 5, item: 'cup' });
      expect(first[5]).toBe(0); // [0] written as one zero byte
      const nested = await new Serializer(client, { schemaType: 'PROTOBUF', schema: protoSchema, messageName: 'Order.Line' }).serialize(topic('proto'), { qty: 3 });
      expect([...nested.subarray(5, 8)]).toEqual([4, 0, 0]); // [0, 0]
      const second = await new Serializer(client, { schemaType: 'PROTOBUF', schema: protoSchema, messageName: 'Refund' }).serialize(topic('proto'), { order_id: 9 });
      expect([...second.subarray(5, 7)]).toEqual([2, 2]); // [1]
      const d = new Deserializer(client);
      expect(await d.deserialize(first)).toEqual({ id: '5', item: 'cup' });
      expect(await d.deserialize(nested)).toEqual({ qty: 3 });
      expect(await d.deserialize(second)).toEqual({ order_id: '9' });
    });

    it('names subjects by RecordName and TopicRecordName', async () => {
      const client = makeClient();
      const t = topic('strategy');
      const recordName = `R${n}`;
      const record = JSON.stringify({ type: 'record', name: recordName, namespace: 'strat', fields: [{ name: 'x', type: 'int' }] });
      await new Serializer(client, { schemaType: 'AVRO', schema: record, subjectNameStrategy: 'RecordName' }).serialize(t, { x: 1 });
      await new Serializer(client, { schemaType: 'AVRO', schema: record, subjectNameStrategy: 'TopicRecordName' }).serialize(t, { x: 1 });
      await new Serializer(client, { schemaType: 'AVRO', schema: record, isKey: true }).serialize(t, { x: 1 });
      const subjects = f.server.registry.listSubjects();
      expect(subjects).toContain(`strat.${recordName}`);
      expect(subjects).toContain(`${t}-strat.${recordName}`);
      expect(subjects).toContain(`${t}-key`);
    });

    it('uses the latest version, refuses to auto-register when told, and resolves Avro reader schemas', async () => {
      const client = makeClient();
      const t = topic('latest');
      await f.server.registry.register(`${t}-value`, { schema: userSchema });
      const bytes = await new Serializer(client, { schemaType: 'AVRO', useLatestVersion: true }).serialize(t, { id: 1, name: 'x' });
      const reader = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'id', type: 'double' }, { name: 'tag', type: 'string', default: 'none' }] });
      expect(await new Deserializer(client, { readerSchema: reader }).deserialize(bytes)).toEqual({ id: 1, tag: 'none' });
      await expect(new Serializer(client, { schemaType: 'AVRO', schema: '"string"', autoRegister: false }).serialize(topic('none'), 'a')).rejects.toThrow(/not found/);
      const d = new Deserializer(client);
      expect(() => d.decodeCached(bytes)).toThrow(/not cached/);
      await d.prepare(bytes.readInt32BE(1));
      expect(d.decodeCached(bytes)).toEqual({ id: 1, name: 'x' });
    });
  });
}

describe('broker-side record validation', () => {
  it('accepts framed records registered under the subject and rejects the rest', async () => {
    const registry = f.server.registry;
    const validate = createRecordValidator(registry);
    const t = topic('validated');
    const other = topic('other');
    const bytes = await new Serializer(new InProcessRegistryClient(registry), { schemaType: 'AVRO', schema: userSchema }).serialize(t, { id: 1, name: 'a' });
    const stranger = await new Serializer(new InProcessRegistryClient(registry), { schemaType: 'AVRO', schema: '{"type":"enum","name":"Stranger","symbols":["A"]}' }).serialize(other, 'A');
    expect(await validate(t, false, bytes)).toBeNull();
    expect(await validate(t, false, null)).toBeNull();
    expect(await validate(t, false, Buffer.from('hello'))).toMatch(/magic byte 0/);
    expect(await validate(t, false, Buffer.from([0, 0]))).toMatch(/carries no schema id/);
    expect(await validate(t, false, Buffer.from([0, 0x7f, 0, 0, 0, 1]))).toMatch(/not registered$/);
    expect(await validate(t, false, stranger)).toMatch(/not registered under subject '.*-value'/);
    expect(await validate(t, true, bytes)).toMatch(/under subject '.*-key'/);
    expect(await validate(t, false, Buffer.concat([bytes.subarray(0, 6)]))).toMatch(/does not decode/);
  });
});

describe('CLI commands', () => {
  it('register, get, list, check, config, delete', async () => {
    const registry = f.url;
    const s = topic('cli');
    expect((await schemaCli.schemaRegister({ registry, subject: s, schema: userSchema })).text).toMatch(/^Successfully registered schema with ID: \d+$/);
    const got = await schemaCli.schemaGet({ registry, subject: s });
    expect(got.text).toContain(`Subject: ${s}`);
    expect(got.text).toContain('"name": "User"');
    expect((await schemaCli.schemaList({ registry, subjectPrefix: s })).text.split('\n')).toHaveLength(2);
    const bad = JSON.stringify({ type: 'record', name: 'User', namespace: 'com.example', fields: [{ name: 'zip', type: 'int' }] });
    const check = await schemaCli.schemaCheck({ registry, subject: s, schema: bad });
    expect(check.text).toMatch(/^Schema is incompatible\.\n.*READER_FIELD_MISSING_DEFAULT_VALUE/);
    expect((await schemaCli.schemaConfig({ registry, subject: s, compatibility: 'none' })).text).toMatch(/set to NONE/);
    expect((await schemaCli.schemaCheck({ registry, subject: s, schema: bad })).text).toBe('Schema is compatible.');
    expect((await schemaCli.schemaConfig({ registry, subject: s })).text).toBe('Compatibility level: NONE');
    expect((await schemaCli.schemaDelete({ registry, subject: s })).text).toMatch(/Deleted subject ".*" versions: 1/);
    expect((await schemaCli.schemaDelete({ registry, subject: s, permanent: true })).text).toMatch(/Permanently deleted/);
    await expect(schemaCli.schemaGet({ registry, subject: s })).rejects.toThrow(/not found/);
    const encode = await schemaCli.createValueEncoder({ registry, topic: s, valueFormat: 'json', valueSchema: jsonSchema });
    const decode = schemaCli.createValueDecoder({ registry });
    expect(await decode(await encode('{"id":3}'))).toBe('{"id":3}');
  });
});
