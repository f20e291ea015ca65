/**
 * Avro compatibility cases, written from Avro's "Schema Resolution" rules. Each names the rule
 * it checks and gives both directions: `backward` (the new schema reads data written with the old
 * one) and `forward` (the old schema reads data written with the new one).
 */
export interface AvroCase {
  rule: string;
  old: unknown;
  new: unknown;
  backward: boolean;
  forward: boolean;
}

const rec = (fields: unknown[], name = 'R', extra: Record<string, unknown> = {}) => ({ type: 'record', name, fields, ...extra });
const f = (name: string, type: unknown, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });
const en = (symbols: string[], extra: Record<string, unknown> = {}) => ({ type: 'enum', name: 'E', symbols, ...extra });

const primitives = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];
/** writer → readers that can read it (promotions), per the spec. */
const promotions: Record<string, string[]> = { int: ['long', 'float', 'double'], long: ['float', 'double'], float: ['double'], string: ['bytes'], bytes: ['string'] };
const reads = (reader: string, writer: string) => reader === writer || (promotions[writer] ?? []).includes(reader);

const primitiveCases: AvroCase[] = [];
for (let i = 0; i < primitives.length; i++) {
  for (let j = i; j < primitives.length; j++) {
    const a = primitives[i];
    const b = primitives[j];
    const backward = reads(b, a);
    const forward = reads(a, b);
    const rule = a === b ? `identical primitive ${a}` : backward || forward ? `promotion ${backward ? `${a}→${b}` : `${b}→${a}`} only one way${backward && forward ? ' (both ways: string↔bytes)' : ''}` : `no promotion between ${a} and ${b}`;
    primitiveCases.push({ rule, old: a, new: b, backward, forward });
  }
}

const lst = (extra: unknown[] = []) => rec([f('value', 'int'), f('next', ['null', 'List'], { default: null }), ...extra], 'List');

export const avroCases: AvroCase[] = [
  ...primitiveCases,
  // records
  { rule: 'record: added field with default', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('b', 'string', { default: 'x' })]), backward: true, forward: true },
  { rule: 'record: added field without default needs a default in the reader', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('b', 'string')]), backward: false, forward: true },
  { rule: 'record: removed field that had a default', old: rec([f('a', 'int'), f('b', 'string', { default: 'x' })]), new: rec([f('a', 'int')]), backward: true, forward: true },
  { rule: 'record: removed field without default (writer-only fields are skipped)', old: rec([f('a', 'int'), f('b', 'string')]), new: rec([f('a', 'int')]), backward: true, forward: false },
  { rule: 'record: renamed field without alias', old: rec([f('a', 'int')]), new: rec([f('b', 'int')]), backward: false, forward: false },
  { rule: 'record: renamed field with a reader alias', old: rec([f('a', 'int')]), new: rec([f('b', 'int', { aliases: ['a'] })]), backward: true, forward: false },
  { rule: 'record: field promoted int→long', old: rec([f('a', 'int')]), new: rec([f('a', 'long')]), backward: true, forward: false },
  { rule: 'record: field demoted long→int', old: rec([f('a', 'long')]), new: rec([f('a', 'int')]), backward: false, forward: true },
  { rule: 'record: field string↔bytes', old: rec([f('a', 'string')]), new: rec([f('a', 'bytes')]), backward: true, forward: true },
  { rule: 'record: field int→string is a type mismatch', old: rec([f('a', 'int')]), new: rec([f('a', 'string')]), backward: false, forward: false },
  { rule: 'named types: record name changed', old: rec([f('a', 'int')], 'A'), new: rec([f('a', 'int')], 'B'), backward: false, forward: false },
  { rule: 'named types: record renamed with reader alias', old: rec([f('a', 'int')], 'A'), new: rec([f('a', 'int')], 'B', { aliases: ['A'] }), backward: true, forward: false },
  { rule: 'named types: namespace change only (unqualified names match)', old: rec([f('a', 'int')], 'R', { namespace: 'x' }), new: rec([f('a', 'int')], 'R', { namespace: 'y' }), backward: true, forward: true },
  { rule: 'record: nested record gains a field with default', old: rec([f('n', rec([f('x', 'int')], 'N'))]), new: rec([f('n', rec([f('x', 'int'), f('y', 'int', { default: 0 })], 'N'))]), backward: true, forward: true },
  { rule: 'record: nested record field int→double', old: rec([f('n', rec([f('x', 'int')], 'N'))]), new: rec([f('n', rec([f('x', 'double')], 'N'))]), backward: true, forward: false },
  { rule: 'record: field order does not matter', old: rec([f('a', 'int'), f('b', 'string')]), new: rec([f('b', 'string'), f('a', 'int')]), backward: true, forward: true },
  { rule: 'record: added optional field with null default', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('b', ['null', 'string'], { default: null })]), backward: true, forward: true },
  { rule: 'record: added union field whose default matches the first branch', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('b', ['string', 'null'], { default: 'x' })]), backward: true, forward: true },
  { rule: 'record: doc changes are ignored', old: rec([f('a', 'int', { doc: 'one' })]), new: rec([f('a', 'int', { doc: 'two' })], 'R', { doc: 'new' }), backward: true, forward: true },
  { rule: 'record: changed default value', old: rec([f('a', 'int', { default: 1 })]), new: rec([f('a', 'int', { default: 2 })]), backward: true, forward: true },
  { rule: 'recursive types: identical linked list', old: lst(), new: lst(), backward: true, forward: true },
  { rule: 'recursive types: linked list gains a defaulted field', old: lst(), new: lst([f('tag', 'string', { default: '' })]), backward: true, forward: true },
  { rule: 'recursive types: linked list value int→long', old: lst(), new: rec([f('value', 'long'), f('next', ['null', 'List'], { default: null })], 'List'), backward: true, forward: false },
  { rule: 'record: two changes, added with default and removed without', old: rec([f('a', 'int'), f('b', 'int')]), new: rec([f('a', 'int'), f('c', 'int', { default: 0 })]), backward: true, forward: false },
  { rule: 'record: added and removed fields, none with defaults', old: rec([f('a', 'int'), f('b', 'int')]), new: rec([f('a', 'int'), f('c', 'int')]), backward: false, forward: false },
  { rule: 'record: field float→double', old: rec([f('a', 'float')]), new: rec([f('a', 'double')]), backward: true, forward: false },
  { rule: 'record: field long→float', old: rec([f('a', 'long')]), new: rec([f('a', 'float')]), backward: true, forward: false },
  { rule: 'record: field long→double', old: rec([f('a', 'long')]), new: rec([f('a', 'double')]), backward: true, forward: false },
  { rule: 'record: field int→float', old: rec([f('a', 'int')]), new: rec([f('a', 'float')]), backward: true, forward: false },
  { rule: 'record: field alias combined with promotion', old: rec([f('a', 'int')]), new: rec([f('b', 'long', { aliases: ['a'] })]), backward: true, forward: false },
  { rule: 'record: added long field with default 0', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('n', 'long', { default: 0 })]), backward: true, forward: true },
  { rule: 'record: added record field with a record default', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('p', rec([f('x', 'int')], 'P'), { default: { x: 1 } })]), backward: true, forward: true },
  { rule: 'record: added array field with [] default', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('l', { type: 'array', items: 'int' }, { default: [] })]), backward: true, forward: true },
  { rule: 'record: added map field with {} default', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('m', { type: 'map', values: 'int' }, { default: {} })]), backward: true, forward: true },
  { rule: 'record: added enum field with a symbol default', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('e', en(['A', 'B']), { default: 'A' })]), backward: true, forward: true },
  { rule: 'record: added union field with default for its first branch', old: rec([f('a', 'int')]), new: rec([f('a', 'int'), f('u', ['int', 'null'], { default: 1 })]), backward: true, forward: true },
  { rule: 'record: nested enum gains a symbol', old: rec([f('e', en(['A']))]), new: rec([f('e', en(['A', 'B']))]), backward: true, forward: false },
  { rule: 'record: nested enum loses a symbol', old: rec([f('e', en(['A', 'B']))]), new: rec([f('e', en(['A']))]), backward: false, forward: true },
  { rule: 'record: field becomes optional (T → [null, T])', old: rec([f('a', 'string')]), new: rec([f('a', ['null', 'string'], { default: null })]), backward: true, forward: false },
  { rule: 'record: optional field becomes required ([null, T] → T)', old: rec([f('a', ['null', 'string'], { default: null })]), new: rec([f('a', 'string')]), backward: false, forward: true },
  // enums
  { rule: 'enum symbols: added symbol', old: en(['A', 'B']), new: en(['A', 'B', 'C']), backward: true, forward: false },
  { rule: 'enum symbols: removed symbol', old: en(['A', 'B']), new: en(['A']), backward: false, forward: true },
  { rule: 'enum default: added symbol, both have a default', old: en(['A', 'B'], { default: 'A' }), new: en(['A', 'B', 'C'], { default: 'A' }), backward: true, forward: true },
  { rule: 'enum default: removed symbol, reader has a default', old: en(['A', 'B']), new: en(['A'], { default: 'A' }), backward: true, forward: true },
  { rule: 'named types: enum name changed', old: en(['A']), new: { type: 'enum', name: 'F', symbols: ['A'] }, backward: false, forward: false },
  { rule: 'enum symbols: order does not matter', old: en(['A', 'B']), new: en(['B', 'A']), backward: true, forward: true },
  { rule: 'enum symbols: disjoint symbol sets', old: en(['A']), new: en(['B']), backward: false, forward: false },
  // fixed
  { rule: 'fixed: size changed', old: { type: 'fixed', name: 'F', size: 4 }, new: { type: 'fixed', name: 'F', size: 8 }, backward: false, forward: false },
  { rule: 'named types: fixed name changed', old: { type: 'fixed', name: 'F', size: 4 }, new: { type: 'fixed', name: 'G', size: 4 }, backward: false, forward: false },
  { rule: 'fixed: identical', old: { type: 'fixed', name: 'F', size: 16 }, new: { type: 'fixed', name: 'F', size: 16 }, backward: true, forward: true },
  { rule: 'fixed: fixed and bytes do not promote', old: { type: 'fixed', name: 'F', size: 4 }, new: 'bytes', backward: false, forward: false },
  // arrays and maps
  { rule: 'array items: int→long', old: { type: 'array', items: 'int' }, new: { type: 'array', items: 'long' }, backward: true, forward: false },
  { rule: 'array items: string→int mismatch', old: { type: 'array', items: 'string' }, new: { type: 'array', items: 'int' }, backward: false, forward: false },
  { rule: 'map values: int→double', old: { type: 'map', values: 'int' }, new: { type: 'map', values: 'double' }, backward: true, forward: false },
  { rule: 'map and array do not match', old: { type: 'map', values: 'int' }, new: { type: 'array', items: 'int' }, backward: false, forward: false },
  { rule: 'array items: records gain a defaulted field', old: { type: 'array', items: rec([f('a', 'int')]) }, new: { type: 'array', items: rec([f('a', 'int'), f('b', 'int', { default: 0 })]) }, backward: true, forward: true },
  { rule: 'map values: string↔bytes', old: { type: 'map', values: 'string' }, new: { type: 'map', values: 'bytes' }, backward: true, forward: true },
  { rule: 'array items: nested arrays int→long', old: { type: 'array', items: { type: 'array', items: 'int' } }, new: { type: 'array', items: { type: 'array', items: 'long' } }, backward: true, forward: false },
  { rule: 'map values: nested arrays string↔bytes', old: { type: 'map', values: { type: 'array', items: 'string' } }, new: { type: 'map', values: { type: 'array', items: 'bytes' } }, backward: true, forward: true },
  // unions
  { rule: 'unions: branch added (every writer branch still readable)', old: ['null', 'string'], new: ['null', 'string', 'int'], backward: true, forward: false },
  { rule: 'unions: branch removed', old: ['null', 'string', 'int'], new: ['null', 'string'], backward: false, forward: true },
  { rule: 'unions: reader union holds the writer type', old: 'string', new: ['null', 'string'], backward: true, forward: false },
  { rule: 'unions: non-union reader must read every writer branch', old: ['null', 'string'], new: 'string', backward: false, forward: true },
  { rule: 'unions: branch order does not matter', old: ['null', 'string'], new: ['string', 'null'], backward: true, forward: true },
  { rule: 'unions: a reader branch reads the writer branch by promotion', old: ['int', 'string'], new: ['long', 'string'], backward: true, forward: false },
  { rule: 'unions: double reads every numeric branch', old: ['int', 'long', 'float', 'double'], new: 'double', backward: true, forward: true },
  { rule: 'unions: a singleton union is its member', old: 'int', new: ['int'], backward: true, forward: true },
  { rule: 'unions: a record branch gains a defaulted field', old: ['null', rec([f('a', 'int')])], new: ['null', rec([f('a', 'int'), f('b', 'int', { default: 0 })])], backward: true, forward: true },
  { rule: 'unions: a record branch renamed', old: ['null', rec([f('a', 'int')], 'A')], new: ['null', rec([f('a', 'int')], 'B')], backward: false, forward: false },
  { rule: 'unions: an enum branch gains a symbol', old: ['null', en(['A'])], new: ['null', en(['A', 'B'])], backward: true, forward: false },
  { rule: 'unions: reader union reads string via bytes', old: 'string', new: ['null', 'bytes'], backward: true, forward: false },
  { rule: 'unions: disjoint unions', old: ['null', 'int'], new: ['boolean', 'string'], backward: false, forward: false },
  // mismatches between kinds
  { rule: 'type mismatch: int vs record', old: 'int', new: rec([f('a', 'int')]), backward: false, forward: false },
  { rule: 'type mismatch: null vs record', old: 'null', new: rec([f('a', 'int')]), backward: false, forward: false },
  { rule: 'type mismatch: record vs map', old: rec([f('a', 'int')]), new: { type: 'map', values: 'int' }, backward: false, forward: false },
  { rule: 'type mismatch: enum vs string', old: en(['A']), new: 'string', backward: false, forward: false },
  // logical types resolve as their underlying types
  { rule: 'logical types: timestamp-millis is its long', old: 'long', new: { type: 'long', logicalType: 'timestamp-millis' }, backward: true, forward: true },
  { rule: 'logical types: decimal precision is not checked', old: { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }, new: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 }, backward: true, forward: true },
  { rule: 'logical types: date (int) to timestamp-millis (long) promotes', old: { type: 'int', logicalType: 'date' }, new: { type: 'long', logicalType: 'timestamp-millis' }, backward: true, forward: false },
  { rule: 'logical types: uuid is its string', old: { type: 'string', logicalType: 'uuid' }, new: 'string', backward: true, forward: true },
];
