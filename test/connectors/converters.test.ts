import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { findConverter, Schemas } from '../../src/connectors/index.ts';
import '../../src/connectors/builtin.ts';
import { InProcessRegistryClient, SchemaRegistry } from '../../src/schema-registry/index.ts';
import { startTestBroker, type TestBroker } from '../helpers/broker.ts';

const address = Schemas.struct('shop.Address', [Schemas.field('city', Schemas.string()), Schemas.field('zip', Schemas.int64({ optional: true }))]);
const order = Schemas.struct('shop.Order', [
  Schemas.field('id', Schemas.int32()),
  Schemas.field('total', Schemas.decimal(2)),
  Schemas.field('placed', Schemas.timestamp()),
  Schemas.field('note', Schemas.string({ optional: true })),
  Schemas.field('tags', Schemas.array(Schemas.string())),
  Schemas.field('address', address),
  Schemas.field('raw', Schemas.bytes({ optional: true })),
]);
const value = { id: 7, total: '-12.50', placed: 1_700_000_000_123, note: null, tags: ['a', 'b'], address: { city: 'Oslo', zip: 150 }, raw: Buffer.from([1, 2, 3]) };

describe('converters', () => {
  let b: TestBroker;
  let registry: SchemaRegistry;
  beforeAll(async () => {
    b = await startTestBroker();
    registry = await SchemaRegistry.open(new InProcessTopicClient(b.broker));
  });
  afterAll(async () => {
    await b?.stop();
  });
  const converter = (name: string, config: Record<string, string> = {}) => {
    const c = findConverter(name)!.create({ registry: new InProcessRegistryClient(registry) });
    c.configure(config, false);
    return c;
  };

  for (const name of ['io.confluent.connect.avro.AvroConverter', 'io.confluent.connect.json.JsonSchemaConverter', 'org.apache.kafka.connect.json.JsonConverter']) {
    it(`${name} round-trips structs, decimals, timestamps, arrays, optional fields and bytes`, async () => {
      const c = converter(name);
      const topic = `orders-${name.split('.').pop()}`;
      const bytes = await c.fromConnectData(topic, order, value);
      const back = await c.toConnectData(topic, bytes);
      expect(back.value).toEqual(value);
      expect(back.schema?.fields?.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual(order.fields?.map((f) => [f.name, f.schema.type, f.schema.optional]));
      expect(back.schema?.fields?.find((f) => f.name === 'total')?.schema.name).toBe('org.apache.kafka.connect.data.Decimal');
      expect(back.schema?.fields?.find((f) => f.name === 'placed')?.schema.name).toBe('org.apache.kafka.connect.data.Timestamp');
      expect(await c.fromConnectData(topic, order, null)).toSatisfy((x: Buffer | null) => x === null || JSON.parse(x.toString()).payload === null);
    });
  }

  it('AvroConverter registers under <topic>-value in the Confluent wire format', async () => {
    const bytes = await converter('AvroConverter').fromConnectData('avro-orders', order, value);
    expect(bytes?.[0]).toBe(0);
    const latest = await registry.getVersion('avro-orders-value', 'latest');
    expect(JSON.parse(latest.schema)).toMatchObject({ type: 'record', name: 'Order', namespace: 'shop' });
    expect(bytes?.readInt32BE(1)).toBe(latest.id);
  });

  it('AvroConverter carries int64 exactly beyond 2^53, and its bytes are what avsc reads', async () => {
    const s = Schemas.struct('t.Longs', [
      Schemas.field('ns', Schemas.int64()),
      Schemas.field('neg', Schemas.int64()),
      Schemas.field('small', Schemas.int64({ optional: true })),
      Schemas.field('mid', Schemas.int64()),
      Schemas.field('list', Schemas.array(Schemas.int64())),
      Schemas.field('names', Schemas.map(Schemas.string(), Schemas.string({ optional: true }))),
    ]);
    const v = { ns: 1_795_326_840_520_123_456n, neg: -(2n ** 63n), small: 5, mid: 2 ** 40 + 3, list: [2n ** 63n - 1n, 0, -1], names: { a: 'é'.repeat(70), b: null } };
    const c = converter('AvroConverter');
    const bytes = (await c.fromConnectData('longs', s, v)) as Buffer;
    const back = await c.toConnectData('longs', bytes);
    expect(back.value).toEqual({ ...v, list: [2n ** 63n - 1n, 0, -1] });
    // The same bytes through avsc (its own long type refuses values beyond 2^53, so only the safe part is compared).
    const safe = Schemas.struct('t.Safe', [Schemas.field('small', Schemas.int64({ optional: true })), Schemas.field('mid', Schemas.int64()), Schemas.field('names', Schemas.map(Schemas.string(), Schemas.string({ optional: true })))]);
    const safeBytes = (await c.fromConnectData('safe', safe, { small: 5, mid: 2 ** 40 + 3, names: { a: 'é'.repeat(70), b: null } })) as Buffer;
    const parsed = await new InProcessRegistryClient(registry).parsedById(safeBytes.readInt32BE(1));
    expect((parsed as unknown as { type: { fromBuffer(b: Buffer): unknown } }).type.fromBuffer(safeBytes.subarray(5))).toEqual({ small: 5, mid: 2 ** 40 + 3, names: { a: 'é'.repeat(70), b: null } });
    await expect(c.fromConnectData('longs', s, { ...v, ns: 2 ** 60 })).rejects.toThrow(/ns: expected an exact int64/);
    await expect(c.fromConnectData('longs', s, { ...v, mid: 'x' })).rejects.toThrow(/mid: expected int64, got string/);
  });

  it('AvroConverter reads a record referenced by name (Debezium envelopes: `after` names the record `before` defines) with its fields', async () => {
    const row = Schemas.struct('srv.public.t.Value', [Schemas.field('id', Schemas.int32()), Schemas.field('name', Schemas.string({ optional: true }))]);
    const env = Schemas.struct('srv.public.t.Envelope', [Schemas.field('before', Schemas.optional(row)), Schemas.field('after', Schemas.optional(row)), Schemas.field('op', Schemas.string())]);
    const c = converter('AvroConverter');
    const back = await c.toConnectData('srv.public.t', await c.fromConnectData('srv.public.t', env, { before: null, after: { id: 1, name: 'a' }, op: 'c' }));
    expect(back.value).toEqual({ before: null, after: { id: 1, name: 'a' }, op: 'c' });
    for (const f of ['before', 'after']) expect(back.schema?.fields?.find((x) => x.name === f)?.schema.fields?.map((x) => x.name)).toEqual(['id', 'name']);
  });

  it('AvroConverter reads records other producers wrote with avsc, general unions included', async () => {
    const schema = { type: 'record', name: 'Ext', namespace: 'ext', fields: [
      { name: 'id', type: 'long' },
      { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'attrs', type: { type: 'map', values: ['null', 'double'] } },
      { name: 'sig', type: { type: 'fixed', name: 'Sig', size: 2 } },
      { name: 'maybe', type: ['null', { type: 'record', name: 'Inner', fields: [{ name: 'n', type: 'long' }, { name: 'k', type: 'Kind' }] }], default: null },
    ] };
    const { id } = await registry.register('ext-value', { schema: JSON.stringify(schema), schemaType: 'AVRO' });
    const parsed = await new InProcessRegistryClient(registry).parsedById(id);
    const avscType = (parsed as unknown as { type: { toBuffer(v: unknown): Buffer } }).type;
    const frame = (schemaId: number, body: Buffer) => Buffer.concat([Buffer.from([0, (schemaId >>> 24) & 255, (schemaId >>> 16) & 255, (schemaId >>> 8) & 255, schemaId & 255]), body]);
    const v = { id: -3, kind: 'B', tags: ['x', 'y'], attrs: { a: 1.5, b: null }, sig: Buffer.from([7, 8]), maybe: { n: 2 ** 50, k: 'A' } };
    const c = converter('AvroConverter');
    expect((await c.toConnectData('ext', frame(id, avscType.toBuffer(v)))).value).toEqual(v);
    // A general union is read through avsc (with the exact long).
    const u = { type: 'record', name: 'U', namespace: 'ext', fields: [{ name: 'x', type: ['null', 'int', 'string'] }, { name: 'n', type: 'long' }] };
    const { id: uid } = await registry.register('u-value', { schema: JSON.stringify(u), schemaType: 'AVRO' });
    const ubody = Buffer.from([4, 2, 0x61, 2]); // branch 2 (string) "a", then long 1
    expect((await c.toConnectData('u', frame(uid, ubody))).value).toEqual({ x: { int: null, string: 'a' }, n: 1 });
  });

  it('ProtobufConverter round-trips a flat struct', async () => {
    const flat = Schemas.struct('shop.Line', [Schemas.field('sku', Schemas.string()), Schemas.field('qty', Schemas.int32()), Schemas.field('price', Schemas.float64()), Schemas.field('n', Schemas.int64())]);
    const c = converter('ProtobufConverter');
    const back = await c.toConnectData('lines', await c.fromConnectData('lines', flat, { sku: 'x', qty: 3, price: 1.5, n: 42 }));
    expect(back.value).toEqual({ sku: 'x', qty: 3, price: 1.5, n: 42 });
  });

  it('JsonConverter without schemas, StringConverter, and a clear error for plain JSON under schemas.enable=true', async () => {
    const plain = converter('JsonConverter', { 'schemas.enable': 'false' });
    expect((await plain.fromConnectData('t', null, { a: 1 }))?.toString()).toBe('{"a":1}');
    expect(await plain.toConnectData('t', Buffer.from('{"a":1}'))).toEqual({ schema: null, value: { a: 1 } });
    await expect(converter('JsonConverter').toConnectData('t', Buffer.from('{"a":1}'))).rejects.toThrow(/requires "schema" and "payload" fields.*schemas.enable=false/);
    const s = converter('org.apache.kafka.connect.storage.StringConverter');
    expect((await s.toConnectData('t', Buffer.from('hi'))).value).toBe('hi');
  });
});
