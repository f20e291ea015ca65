/**
 * The seven compatibility levels through the registry, Protobuf rules as Confluent applies them,
 * and schema references across subjects for all three formats.
 */
import { describe, expect, it } from 'vitest';
import { parseProtobuf } from '../../../src/schema-registry/formats/protobuf.ts';
import { SchemaRegistry } from '../../../src/schema-registry/index.ts';
import { MemoryTopicClient } from '../helpers/memory-topic-client.ts';

const v = (fields: string) => JSON.stringify({ type: 'record', name: 'R', fields: JSON.parse(`[${fields}]`) });
const A = v('{"name":"a","type":"int"}');
const AB = v('{"name":"a","type":"int"},{"name":"b","type":"int","default":0}');
const ABnoDefault = v('{"name":"a","type":"int"},{"name":"b","type":"int"}');
const AC = v('{"name":"a","type":"int"},{"name":"c","type":"int"}');
const B = v('{"name":"b","type":"int","default":0}');

/** Registers `history` at NONE, sets `level`, and tries `candidate`. */
async function accepts(level: string, history: string[], candidate: string): Promise<boolean> {
  const registry = await SchemaRegistry.open(new MemoryTopicClient());
  await registry.setConfig('s', { compatibility: 'NONE' });
  for (const schema of history) await registry.register('s', { schema });
  await registry.setConfig('s', { compatibility: level });
  return registry.checkCompatibility('s', { schema: candidate }).is_compatible;
}

describe('compatibility levels', () => {
  it.each([
    ['NONE', [A], ABnoDefault, true],
    ['BACKWARD', [A], AB, true],
    ['BACKWARD', [A], ABnoDefault, false],
    ['BACKWARD', [ABnoDefault, A], B, true], // only the latest (A) is checked
    ['BACKWARD_TRANSITIVE', [ABnoDefault, A], B, true],
    ['BACKWARD_TRANSITIVE', [B, A], ABnoDefault, false],
    ['FORWARD', [AB], A, true],
    ['FORWARD', [ABnoDefault], A, false],
    ['FORWARD_TRANSITIVE', [ABnoDefault, AB], A, false],
    ['FORWARD', [ABnoDefault, AB], A, true],
    ['FULL', [A], AB, true],
    ['FULL', [A], ABnoDefault, false],
    ['FULL_TRANSITIVE', [AC, AB], v('{"name":"a","type":"int"},{"name":"b","type":"int","default":1}'), false],
    ['FULL', [AC, AB], v('{"name":"a","type":"int"},{"name":"b","type":"int","default":1}'), true],
  ])('%s over %j accepts the candidate: %s', async (level, history, candidate, expected) => {
    expect(await accepts(level as string, history as string[], candidate as string)).toBe(expected);
  });
});

const proto = (body: string, pkg = 'p') => `syntax = "proto3";\npackage ${pkg};\n${body}`;
const protoCases: Array<[string, string, string, boolean]> = [
  ['field added', proto('message M { int32 a = 1; }'), proto('message M { int32 a = 1; string b = 2; }'), true],
  ['field removed', proto('message M { int32 a = 1; string b = 2; }'), proto('message M { int32 a = 1; }'), true],
  ['field renamed (same tag)', proto('message M { int32 a = 1; }'), proto('message M { int32 renamed = 1; }'), true],
  ['scalar kind changed int32→string', proto('message M { int32 a = 1; }'), proto('message M { string a = 1; }'), false],
  ['same wire kind int32→int64', proto('message M { int32 a = 1; }'), proto('message M { int64 a = 1; }'), true],
  ['zigzag kind int32→sint32', proto('message M { int32 a = 1; }'), proto('message M { sint32 a = 1; }'), false],
  ['string↔bytes', proto('message M { string a = 1; }'), proto('message M { bytes a = 1; }'), true],
  ['scalar → message kind', proto('message M { int32 a = 1; } message N { int32 x = 1; }'), proto('message M { N a = 1; } message N { int32 x = 1; }'), false],
  ['message type renamed', proto('message M { N a = 1; } message N { int32 x = 1; }'), proto('message M { O a = 1; } message O { int32 x = 1; }'), false],
  ['message removed', proto('message M { int32 a = 1; } message N { int32 x = 1; }'), proto('message M { int32 a = 1; }'), false],
  ['message added', proto('message M { int32 a = 1; }'), proto('message M { int32 a = 1; } message N { int32 x = 1; }'), true],
  ['package changed', proto('message M { int32 a = 1; }', 'p'), proto('message M { int32 a = 1; }', 'q'), false],
  ['enum constant added', proto('message M { E e = 1; } enum E { A = 0; }'), proto('message M { E e = 1; } enum E { A = 0; B = 1; }'), true],
  ['enum ↔ int32 (both varint)', proto('message M { E e = 1; } enum E { A = 0; }'), proto('message M { int32 e = 1; } enum E { A = 0; }'), true],
  ['repeated label on a number changed', proto('message M { int32 a = 1; }'), proto('message M { repeated int32 a = 1; }'), true],
  ['field moved into a new oneof', proto('message M { int32 a = 1; }'), proto('message M { oneof o { int32 a = 1; } }'), true],
  ['two fields moved into a oneof', proto('message M { int32 a = 1; int32 b = 2; }'), proto('message M { oneof o { int32 a = 1; int32 b = 2; } }'), false],
  ['oneof field removed', proto('message M { oneof o { int32 a = 1; string b = 2; } }'), proto('message M { oneof o { int32 a = 1; } }'), false],
  ['nested message field kind changed', proto('message M { N n = 1; } message N { int32 x = 1; }'), proto('message M { N n = 1; } message N { string x = 1; }'), false],
  ['map value kind changed', proto('message M { map<string, int32> m = 1; }'), proto('message M { map<string, string> m = 1; }'), false],
];

describe('Protobuf compatibility (old → new, backward)', () => {
  it.each(protoCases)('%s', (_rule, oldText, newText, compatible) => {
    const oldSchema = parseProtobuf(oldText, []);
    const newSchema = parseProtobuf(newText, []);
    expect(newSchema.backwardIncompatibilities(oldSchema).length === 0).toBe(compatible);
  });
});

describe('references across subjects', () => {
  it('resolves Avro, JSON Schema and Protobuf references and checks them', async () => {
    const registry = await SchemaRegistry.open(new MemoryTopicClient());
    await registry.register('address', { schema: '{"type":"record","name":"Address","namespace":"x","fields":[{"name":"city","type":"string"}]}' });
    const person = await registry.register('person', { schema: '{"type":"record","name":"Person","namespace":"x","fields":[{"name":"home","type":"x.Address"}]}', references: [{ name: 'x.Address', subject: 'address', version: 1 }] });
    expect(registry.getParsedById(person.id).recordName).toBe('x.Person');

    await registry.register('money', { schemaType: 'JSON', schema: '{"$id":"http://example.com/money.json","type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}' });
    const order = await registry.register('order', {
      schemaType: 'JSON',
      schema: '{"type":"object","properties":{"total":{"$ref":"money.json"}}}',
      references: [{ name: 'money.json', subject: 'money', version: 1 }],
    });
    const validator = (registry.getParsedById(order.id) as unknown as { validate: (v: unknown) => boolean }).validate;
    expect(validator({ total: { amount: 3 } })).toBe(true);
    expect(validator({ total: { amount: 'x' } })).toBe(false);
    const narrowed = registry.checkCompatibility('order', { schemaType: 'JSON', schema: '{"type":"object","properties":{"total":{"$ref":"money.json"}},"additionalProperties":false}', references: [{ name: 'money.json', subject: 'money', version: 1 }] });
    expect(narrowed.is_compatible).toBe(false);

    await registry.register('common', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\npackage common;\nmessage Money { int64 cents = 1; }\n' });
    const invoice = await registry.register('invoice', {
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3";\npackage billing;\nimport "common.proto";\nimport "google/protobuf/timestamp.proto";\nmessage Invoice { common.Money total = 1; google.protobuf.Timestamp at = 2; }\n',
      references: [{ name: 'common.proto', subject: 'common', version: 1 }],
    });
    expect(registry.getParsedById(invoice.id).recordName).toBe('billing.Invoice');
    await expect(registry.register('broken', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\nimport "missing.proto";\nmessage X { int32 a = 1; }\n' })).rejects.toThrow(/import 'missing.proto' is neither a schema reference nor a well-known type/);
    await expect(registry.register('broken', { schemaType: 'JSON', schema: '{"$ref":"nowhere.json"}' })).rejects.toThrow(/42201|resolve|nowhere/);
  });
});
