import { describe, expect, it } from 'vitest';
import { Schemas, buildTransformChain, type SinkRecord } from '../../src/connectors/index.ts';
import '../../src/connectors/builtin.ts';

const row = Schemas.struct('db.public.t.Value', [Schemas.field('id', Schemas.int32()), Schemas.field('name', Schemas.string({ optional: true })), Schemas.field('at', Schemas.microTimestamp({ optional: true }))]);
const source = Schemas.struct('io.debezium.connector.postgresql.Source', [Schemas.field('table', Schemas.string()), Schemas.field('lsn', Schemas.int64({ optional: true })), Schemas.field('ts_ms', Schemas.int64())]);
const envelope = Schemas.struct('db.public.t.Envelope', [
  Schemas.field('before', Schemas.optional(row)),
  Schemas.field('after', Schemas.optional(row)),
  Schemas.field('source', source),
  Schemas.field('op', Schemas.string()),
  Schemas.field('ts_ms', Schemas.int64({ optional: true })),
]);
const key = Schemas.struct('db.public.t.Key', [Schemas.field('id', Schemas.int32())]);

function record(value: unknown, valueSchema = envelope as typeof envelope | null, topic = 'db.public.t'): SinkRecord {
  return { topic, kafkaPartition: 2, kafkaOffset: 41n, timestamp: 1_700_000_000_000, timestampType: 'CreateTime', keySchema: key, key: { id: 1 }, valueSchema, value };
}
const change = (op: string, before: unknown, after: unknown) => record({ before, after, source: { table: 't', lsn: 123, ts_ms: 5 }, op, ts_ms: 6 });
const chain = (config: Record<string, string>) => buildTransformChain({ transforms: 'x', ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`transforms.x.${k}`, v])) });

describe('ExtractNewRecordState', () => {
  const unwrap = (extra: Record<string, string> = {}) => chain({ type: 'io.debezium.transforms.ExtractNewRecordState', ...extra });

  it('replaces the envelope by the after state, with its schema', () => {
    const out = unwrap().apply(change('u', { id: 1, name: 'a', at: null }, { id: 1, name: 'b', at: 7 }));
    expect(out?.value).toEqual({ id: 1, name: 'b', at: 7 });
    expect(out?.valueSchema?.fields?.map((f) => f.name)).toEqual(['id', 'name', 'at']);
    expect(out?.valueSchema?.fields?.[2].schema.name).toBe('io.debezium.time.MicroTimestamp');
  });

  it('drops deletes and tombstones by default; keeps them as tombstones or rewrites them when asked', () => {
    expect(unwrap().apply(change('d', { id: 1, name: 'a', at: null }, null))).toBeNull();
    expect(unwrap().apply(record(null, null))).toBeNull();
    const none = unwrap({ 'delete.handling.mode': 'none', 'drop.tombstones': 'false' });
    expect(none.apply(change('d', { id: 1, name: 'a', at: null }, null))).toMatchObject({ value: null, valueSchema: null });
    expect(none.apply(record(null, null))).toMatchObject({ value: null });
    const rewrite = unwrap({ 'delete.handling.mode': 'rewrite' });
    expect(rewrite.apply(change('d', { id: 1, name: 'a', at: null }, null))?.value).toEqual({ id: 1, name: 'a', at: null, __deleted: 'true' });
    expect(rewrite.apply(change('c', null, { id: 2, name: 'b', at: null }))?.value).toEqual({ id: 2, name: 'b', at: null, __deleted: 'false' });
    expect(unwrap({ 'delete.tombstone.handling.mode': 'tombstone' }).apply(change('d', { id: 1, name: 'a', at: null }, null))?.value).toBeNull();
  });

  it('adds envelope and source fields and headers', () => {
    const out = unwrap({ 'add.fields': 'op,table,source.lsn,ts_ms', 'add.headers': 'op' }).apply(change('c', null, { id: 2, name: 'b', at: null }));
    expect(out?.value).toEqual({ id: 2, name: 'b', at: null, __op: 'c', __table: 't', __source_lsn: 123, __ts_ms: 6 });
    expect(out?.valueSchema?.fields?.map((f) => f.name)).toEqual(['id', 'name', 'at', '__op', '__table', '__source_lsn', '__ts_ms']);
    expect(out?.headers).toEqual([{ key: '__op', value: 'c' }]);
  });

  it('passes records that are not change events through', () => {
    const plain = record({ id: 1 }, Schemas.struct('x', [Schemas.field('id', Schemas.int32())]));
    expect(unwrap().apply(plain)).toBe(plain);
  });
});

describe('Kafka transforms', () => {
  const plainSchema = Schemas.struct('v', [Schemas.field('id', Schemas.int32()), Schemas.field('secret', Schemas.string()), Schemas.field('ts', Schemas.int64())]);
  const plain = record({ id: 1, secret: 's', ts: 1_700_000_000_123 }, plainSchema, 'orders');

  it('InsertField$Value adds topic, partition, offset, timestamp and a static field', () => {
    const out = chain({ type: 'org.apache.kafka.connect.transforms.InsertField$Value', 'topic.field': 'src_topic', 'partition.field': 'p', 'offset.field': 'o!', 'timestamp.field': 'ts_rec', 'static.field': 'dc', 'static.value': 'eu' }).apply(plain);
    expect(out?.value).toEqual({ id: 1, secret: 's', ts: 1_700_000_000_123, src_topic: 'orders', p: 2, o: 41, ts_rec: 1_700_000_000_000, dc: 'eu' });
    expect(out?.valueSchema?.fields?.find((f) => f.name === 'o')?.schema.optional).toBe(false);
    expect(out?.valueSchema?.fields?.find((f) => f.name === 'ts_rec')?.schema.name).toBe('org.apache.kafka.connect.data.Timestamp');
  });

  it('ReplaceField$Value excludes and renames; include keeps only the listed fields', () => {
    const out = chain({ type: 'org.apache.kafka.connect.transforms.ReplaceField$Value', exclude: 'secret', renames: 'id:order_id' }).apply(plain);
    expect(out?.value).toEqual({ order_id: 1, ts: 1_700_000_000_123 });
    expect(out?.valueSchema?.fields?.map((f) => f.name)).toEqual(['order_id', 'ts']);
    expect(chain({ type: 'org.apache.kafka.connect.transforms.ReplaceField$Value', include: 'id' }).apply(plain)?.value).toEqual({ id: 1 });
    expect(chain({ type: 'org.apache.kafka.connect.transforms.ReplaceField$Key', renames: 'id:key_id' }).apply(plain)?.key).toEqual({ key_id: 1 });
  });

  it('RegexRouter rewrites whole-topic matches only', () => {
    const router = chain({ type: 'org.apache.kafka.connect.transforms.RegexRouter', regex: '([^.]+)\\.([^.]+)\\.([^.]+)', replacement: '$3' });
    expect(router.apply(record(null, null, 'db.public.t'))?.topic).toBe('t');
    expect(router.apply(record(null, null, 'orders'))?.topic).toBe('orders');
  });

  it('TimestampConverter$Value converts between unix, string, Timestamp and Date', () => {
    const toString = chain({ type: 'org.apache.kafka.connect.transforms.TimestampConverter$Value', field: 'ts', 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX" });
    const out = toString.apply(plain);
    expect((out?.value as { ts: string }).ts).toBe('2023-11-14T22:13:20.123Z');
    expect(out?.valueSchema?.fields?.find((f) => f.name === 'ts')?.schema.type).toBe('string');
    const back = chain({ type: 'org.apache.kafka.connect.transforms.TimestampConverter$Value', field: 'ts', 'target.type': 'unix', format: "yyyy-MM-dd'T'HH:mm:ss.SSSX", 'unix.precision': 'seconds' }).apply(out as SinkRecord);
    expect((back?.value as { ts: number }).ts).toBe(1_700_000_000);
    const date = chain({ type: 'org.apache.kafka.connect.transforms.TimestampConverter$Value', field: 'ts', 'target.type': 'Date' }).apply(plain);
    expect((date?.value as { ts: number }).ts).toBe(19675);
    expect(date?.valueSchema?.fields?.find((f) => f.name === 'ts')?.schema.name).toBe('org.apache.kafka.connect.data.Date');
  });

  it('rejects unknown transform classes and bad options with Connect messages', () => {
    expect(() => chain({ type: 'com.example.Nope' })).toThrow(/Class com.example.Nope could not be found/);
    expect(() => chain({ type: 'org.apache.kafka.connect.transforms.TimestampConverter$Value', 'target.type': 'string' })).toThrow(/requires format/);
    expect(() => chain({ type: 'org.apache.kafka.connect.transforms.RegexRouter' })).toThrow(/Missing required configuration "regex"/);
  });
});
