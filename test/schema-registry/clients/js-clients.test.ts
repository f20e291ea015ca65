/**
 * Real JavaScript clients against a registry on 127.0.0.1: @kafkajs/confluent-schema-registry
 * (register, encode, decode, compatibility) and @confluentinc/schemaregistry (client calls and its
 * Avro and JSON serializers). Bytes from their serializers decode with ours and the reverse.
 */
import { SchemaRegistry as KafkajsRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AvroDeserializer, AvroSerializer, JsonDeserializer, JsonSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deserializer, HttpRegistryClient, Serializer } from '../../../src/schema-registry/index.ts';
import { startRegistry, type RegistryFixture } from '../helpers/registry-fixture.ts';

let f: RegistryFixture;
let n = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;
const avro = (name: string, extra: object[] = []) => JSON.stringify({ type: 'record', name, namespace: 'test', fields: [{ name: 'id', type: 'int' }, { name: 'name', type: 'string' }, ...extra] });

beforeAll(async () => {
  f = await startRegistry();
});
afterAll(async () => {
  await f.close();
});

describe('@kafkajs/confluent-schema-registry', () => {
  it('registers, encodes and decodes Avro; ids agree with ours', async () => {
    const registry = new KafkajsRegistry({ host: f.url });
    const subject = unique('kjs-avro');
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: avro('User') }, { subject });
    expect(id).toBe(f.server.registry.getLatest(subject).id);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
    expect(await registry.getRegistryId(subject, 1)).toBe(id);
    const bytes = await registry.encode(id, { id: 1, name: 'ada' });
    expect(await registry.decode(bytes)).toEqual({ id: 1, name: 'ada' });
    expect(await new Deserializer(new HttpRegistryClient(f.url)).deserialize(bytes)).toEqual({ id: 1, name: 'ada' });
    const ours = await new Serializer(new HttpRegistryClient(f.url), { schemaType: 'AVRO', schema: avro('User') }).serialize(subject.replace(/-value$/, ''), { id: 2, name: 'bob' });
    expect(await registry.decode(ours)).toEqual({ id: 2, name: 'bob' });
  });

  it('is refused an incompatible schema and accepts a compatible one', async () => {
    const registry = new KafkajsRegistry({ host: f.url });
    const subject = unique('kjs-compat');
    await registry.register({ type: SchemaType.AVRO, schema: avro('User') }, { subject });
    await expect(registry.register({ type: SchemaType.AVRO, schema: avro('User', [{ name: 'age', type: 'int' }]) }, { subject })).rejects.toThrow(/incompatible/i);
    const ok = await registry.register({ type: SchemaType.AVRO, schema: avro('User', [{ name: 'age', type: 'int', default: 0 }]) }, { subject });
    expect(await registry.getLatestSchemaId(subject)).toBe(ok.id);
  });

  it('registers, encodes and decodes JSON Schema and Protobuf', async () => {
    const registry = new KafkajsRegistry({ host: f.url });
    const json = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify({ type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] }) }, { subject: unique('kjs-json') });
    const jsonBytes = await registry.encode(json.id, { sku: 'a1' });
    expect(await registry.decode(jsonBytes)).toEqual({ sku: 'a1' });
    expect(await new Deserializer(new HttpRegistryClient(f.url)).deserialize(jsonBytes)).toEqual({ sku: 'a1' });
    const proto = await registry.register({ type: SchemaType.PROTOBUF, schema: 'syntax = "proto3";\npackage shop;\nmessage Item { string sku = 1; int32 qty = 2; }\n' }, { subject: unique('kjs-proto') });
    const protoBytes = await registry.encode(proto.id, { sku: 'b2', qty: 3 });
    expect(await registry.decode(protoBytes)).toMatchObject({ sku: 'b2', qty: 3 });
    // kafkajs 3.x writes Protobuf payloads without Confluent's message indexes, so its bytes are
    // not checked against our decoder; the schema it registered is ours to serve and check.
    expect(f.server.registry.getById(proto.id).schemaType).toBe('PROTOBUF');
  });
});

describe('@confluentinc/schemaregistry', () => {
  it('drives the REST API through its client', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [f.url] });
    const subject = unique('cflt');
    const id = await client.register(subject, { schemaType: 'AVRO', schema: avro('Thing') });
    expect(await client.getId(subject, { schemaType: 'AVRO', schema: avro('Thing') })).toBe(id);
    const latest = await client.getLatestSchemaMetadata(subject);
    expect(latest).toMatchObject({ id, version: 1, subject });
    expect(await client.getAllSubjects()).toContain(subject);
    expect(await client.getAllVersions(subject)).toEqual([1]);
    expect(await client.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: avro('Thing', [{ name: 'x', type: 'int' }]) })).toBe(false);
    expect(await client.testCompatibility(subject, 1, { schemaType: 'AVRO', schema: avro('Thing', [{ name: 'x', type: 'int', default: 1 }]) })).toBe(true);
    expect(await client.updateConfig(subject, { compatibility: 'FULL' as never })).toMatchObject({ compatibility: 'FULL' });
    expect(await client.getConfig(subject)).toMatchObject({ compatibilityLevel: 'FULL' });
    expect(await client.deleteSubject(subject)).toEqual([1]);
    expect(await client.deleteSubject(subject, true)).toEqual([1]);
    await expect(client.getLatestSchemaMetadata(`${subject}-gone`)).rejects.toThrow(/not found/);
  });

  it('serializes and deserializes Avro and JSON with its serdes', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [f.url] });
    const topic = unique('cflt-serde');
    const avroSchema = avro('Event');
    await client.register(`${topic}-value`, { schemaType: 'AVRO', schema: avroSchema });
    const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const bytes = await ser.serialize(topic, { id: 3, name: 'c' });
    expect(bytes.readInt32BE(1)).toBe(f.server.registry.getLatest(`${topic}-value`).id);
    expect(await new AvroDeserializer(client, SerdeType.VALUE, {}).deserialize(topic, bytes)).toEqual({ id: 3, name: 'c' });
    expect(await new Deserializer(new HttpRegistryClient(f.url)).deserialize(bytes)).toEqual({ id: 3, name: 'c' });

    const jsonTopic = unique('cflt-json');
    const jsonSchema = JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
    await client.register(`${jsonTopic}-value`, { schemaType: 'JSON', schema: jsonSchema });
    const jsonBytes = await new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true }).serialize(jsonTopic, { n: 4 });
    expect(await new JsonDeserializer(client, SerdeType.VALUE, {}).deserialize(jsonTopic, jsonBytes)).toEqual({ n: 4 });
    const ours = await new Serializer(new HttpRegistryClient(f.url), { schemaType: 'JSON', schema: jsonSchema }).serialize(jsonTopic, { n: 5 });
    expect(await new JsonDeserializer(client, SerdeType.VALUE, {}).deserialize(jsonTopic, ours)).toEqual({ n: 5 });
  });
});
