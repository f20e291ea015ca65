/**
 * JSON Schema compatibility cases, written from the rules Confluent applies (the difference
 * types of its `SchemaDiff` and the open / closed / partially open content models). Each names the
 * rule and gives both directions: `backward` (the new schema accepts what the old one described:
 * every difference old → new is a compatible one) and `forward` (the same from new to old).
 */
export interface JsonCase {
  rule: string;
  old: unknown;
  new: unknown;
  backward: boolean;
  forward: boolean;
}

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => obj(properties, { additionalProperties: false, ...extra });
const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };

/** Upper limits may grow or go; lower limits may shrink or go; anything else narrows. */
function limitCases(keyword: string, base: Record<string, unknown>, kind: 'max' | 'min', small: number, large: number, prefix: (s: Record<string, unknown>) => unknown = (s) => s): JsonCase[] {
  const up = kind === 'max';
  return [
    { rule: `${keyword}: added narrows`, old: prefix(base), new: prefix({ ...base, [keyword]: small }), backward: false, forward: true },
    { rule: `${keyword}: removed widens`, old: prefix({ ...base, [keyword]: small }), new: prefix(base), backward: true, forward: false },
    { rule: `${keyword}: ${up ? 'increased widens' : 'increased narrows'}`, old: prefix({ ...base, [keyword]: small }), new: prefix({ ...base, [keyword]: large }), backward: up, forward: !up },
    { rule: `${keyword}: unchanged`, old: prefix({ ...base, [keyword]: small }), new: prefix({ ...base, [keyword]: small }), backward: true, forward: true },
  ];
}

const limits: JsonCase[] = [
  ...limitCases('maxLength', str, 'max', 5, 10),
  ...limitCases('minLength', str, 'min', 1, 3),
  ...limitCases('maximum', num, 'max', 10, 20),
  ...limitCases('minimum', num, 'min', 0, 5),
  ...limitCases('exclusiveMaximum', num, 'max', 10, 20),
  ...limitCases('exclusiveMinimum', num, 'min', 0, 5),
  ...limitCases('maxItems', { type: 'array', items: str }, 'max', 2, 4),
  ...limitCases('minItems', { type: 'array', items: str }, 'min', 1, 2),
  ...limitCases('maxProperties', { type: 'object' }, 'max', 2, 4),
  ...limitCases('minProperties', { type: 'object' }, 'min', 1, 2),
  ...limitCases('maxContains', { type: 'array', contains: str }, 'max', 2, 4, (s) => ({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...s })),
  ...limitCases('minContains', { type: 'array', contains: str }, 'min', 1, 2, (s) => ({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...s })),
];

const typeNames = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];
const typePairs: JsonCase[] = [];
for (let i = 0; i < typeNames.length; i++) {
  for (let j = i + 1; j < typeNames.length; j++) {
    const a = typeNames[i];
    const b = typeNames[j];
    const widening = a === 'integer' && b === 'number';
    const narrowing = a === 'number' && b === 'integer';
    typePairs.push({
      rule: widening ? 'type: integer→number extends' : narrowing ? 'type: number→integer narrows' : `type: ${a}→${b} changes`,
      old: { type: a },
      new: { type: b },
      backward: widening,
      forward: narrowing,
    });
  }
}

export const jsonCases: JsonCase[] = [
  ...limits,
  ...typePairs,
  // annotations
  { rule: 'annotations: title changed', old: { ...str, title: 'a' }, new: { ...str, title: 'b' }, backward: true, forward: true },
  { rule: 'annotations: description changed', old: { ...str, description: 'a' }, new: { ...str, description: 'b' }, backward: true, forward: true },
  { rule: 'annotations: default changed', old: { ...str, default: 'a' }, new: { ...str, default: 'b' }, backward: true, forward: true },
  { rule: 'annotations: $id changed', old: { ...str, $id: 'http://example.com/a.json' }, new: { ...str, $id: 'http://example.com/b.json' }, backward: true, forward: true },
  // strings and numbers
  { rule: 'pattern: added narrows', old: str, new: { ...str, pattern: '^a' }, backward: false, forward: true },
  { rule: 'pattern: removed widens', old: { ...str, pattern: '^a' }, new: str, backward: true, forward: false },
  { rule: 'pattern: changed', old: { ...str, pattern: '^a' }, new: { ...str, pattern: '^b' }, backward: false, forward: false },
  { rule: 'multipleOf: added narrows', old: num, new: { ...num, multipleOf: 2 }, backward: false, forward: true },
  { rule: 'multipleOf: 2 → 4 narrows, 4 → 2 widens', old: { ...num, multipleOf: 2 }, new: { ...num, multipleOf: 4 }, backward: false, forward: true },
  { rule: 'multipleOf: 2 → 3 changes', old: { ...num, multipleOf: 2 }, new: { ...num, multipleOf: 3 }, backward: false, forward: false },
  // enum and const
  { rule: 'enum: extended', old: { enum: ['a', 'b'] }, new: { enum: ['a', 'b', 'c'] }, backward: true, forward: false },
  { rule: 'enum: narrowed', old: { enum: ['a', 'b'] }, new: { enum: ['a'] }, backward: false, forward: true },
  { rule: 'enum: changed', old: { enum: ['a', 'b'] }, new: { enum: ['a', 'c'] }, backward: false, forward: false },
  { rule: 'enum: reordered', old: { enum: ['a', 'b'] }, new: { enum: ['b', 'a'] }, backward: true, forward: true },
  { rule: 'const: changed', old: { const: 1 }, new: { const: 2 }, backward: false, forward: false },
  { rule: 'const: unchanged', old: { const: 'x' }, new: { const: 'x', description: 'same' }, backward: true, forward: true },
  { rule: 'enum added to a typed string narrows', old: str, new: { ...str, enum: ['a'] }, backward: false, forward: true },
  // open content model
  { rule: 'open content model: typed property added', old: obj({ a: str }), new: obj({ a: str, b: int }), backward: false, forward: true },
  { rule: 'open content model: property with empty schema added', old: obj({ a: str }), new: obj({ a: str, b: {} }), backward: true, forward: true },
  { rule: 'open content model: property removed', old: obj({ a: str, b: int }), new: obj({ a: str }), backward: true, forward: false },
  { rule: 'open content model: required property added', old: obj({ a: str }), new: obj({ a: str, b: int }, { required: ['b'] }), backward: false, forward: true },
  { rule: 'open content model: property type changed', old: obj({ a: str }), new: obj({ a: int }), backward: false, forward: false },
  { rule: 'open content model: property integer→number', old: obj({ a: int }), new: obj({ a: num }), backward: true, forward: false },
  // closed content model
  { rule: 'closed content model: optional property added', old: closed({ a: str }), new: closed({ a: str, b: int }), backward: true, forward: false },
  { rule: 'closed content model: required property without default added', old: closed({ a: str }), new: closed({ a: str, b: int }, { required: ['b'] }), backward: false, forward: false },
  { rule: 'closed content model: required property with default added', old: closed({ a: str }), new: closed({ a: str, b: { ...int, default: 0 } }, { required: ['b'] }), backward: true, forward: false },
  { rule: 'closed content model: property removed', old: closed({ a: str, b: int }), new: closed({ a: str }), backward: false, forward: true },
  { rule: 'closed content model: property with false schema removed', old: closed({ a: str, b: false }), new: closed({ a: str }), backward: true, forward: true },
  { rule: 'content model: open → closed', old: obj({ a: str }), new: closed({ a: str }), backward: false, forward: true },
  // partially open content model
  { rule: 'partially open: added property covered by additionalProperties', old: obj({ a: str }, { additionalProperties: str }), new: obj({ a: str, b: str }, { additionalProperties: str }), backward: true, forward: true },
  { rule: 'partially open: added property not covered by additionalProperties', old: obj({ a: str }, { additionalProperties: str }), new: obj({ a: str, b: int }, { additionalProperties: str }), backward: false, forward: false },
  { rule: 'partially open: added property covered by patternProperties', old: obj({}, { patternProperties: { '^s_': str } }), new: obj({ s_name: str }, { patternProperties: { '^s_': str } }), backward: true, forward: true },
  { rule: 'partially open: added property not matching patternProperties', old: obj({}, { patternProperties: { '^s_': str } }), new: obj({ other: str }, { patternProperties: { '^s_': str } }), backward: true, forward: false },
  { rule: 'partially open: removed property covered by a wider additionalProperties', old: obj({ a: int }, { additionalProperties: num }), new: obj({}, { additionalProperties: num }), backward: true, forward: false },
  { rule: 'additionalProperties: schema narrowed from {} to string', old: obj({}, { additionalProperties: {} }), new: obj({}, { additionalProperties: str }), backward: false, forward: true },
  { rule: 'additionalProperties: schema widened integer→number', old: obj({}, { additionalProperties: int }), new: obj({}, { additionalProperties: num }), backward: true, forward: false },
  // required
  { rule: 'required: attribute added without default', old: obj({ a: str }), new: obj({ a: str }, { required: ['a'] }), backward: false, forward: true },
  { rule: 'required: attribute added with default', old: obj({ a: { ...str, default: 'x' } }), new: obj({ a: { ...str, default: 'x' } }, { required: ['a'] }), backward: true, forward: true },
  // dependencies
  { rule: 'dependencies: array added', old: obj({ a: str, b: str }), new: obj({ a: str, b: str }, { dependencies: { a: ['b'] } }), backward: false, forward: true },
  { rule: 'dependencies: array extended', old: obj({ a: str, b: str, c: str }, { dependencies: { a: ['b'] } }), new: obj({ a: str, b: str, c: str }, { dependencies: { a: ['b', 'c'] } }), backward: false, forward: true },
  { rule: 'dependencies: schema added', old: obj({ a: str }), new: obj({ a: str }, { dependencies: { a: { required: ['a'] } } }), backward: false, forward: true },
  // arrays
  { rule: 'items: string→integer', old: { type: 'array', items: str }, new: { type: 'array', items: int }, backward: false, forward: false },
  { rule: 'items: integer→number', old: { type: 'array', items: int }, new: { type: 'array', items: num }, backward: true, forward: false },
  { rule: 'uniqueItems: added narrows', old: { type: 'array' }, new: { type: 'array', uniqueItems: true }, backward: false, forward: true },
  { rule: 'closed tuple: item added', old: { type: 'array', items: [str], additionalItems: false }, new: { type: 'array', items: [str, int], additionalItems: false }, backward: true, forward: false },
  { rule: 'open tuple: typed item added', old: { type: 'array', items: [str] }, new: { type: 'array', items: [str, int] }, backward: false, forward: true },
  { rule: 'open tuple: item with empty schema added', old: { type: 'array', items: [str] }, new: { type: 'array', items: [str, {}] }, backward: true, forward: true },
  { rule: 'partially open tuple: item covered by additionalItems added', old: { type: 'array', items: [str], additionalItems: int }, new: { type: 'array', items: [str, int], additionalItems: int }, backward: true, forward: true },
  { rule: 'tuple: additionalItems false added', old: { type: 'array', items: [str] }, new: { type: 'array', items: [str], additionalItems: false }, backward: false, forward: true },
  { rule: '2020-12 prefixItems: closed tuple gains an item', old: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [str], items: false }, new: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [str, int], items: false }, backward: true, forward: false },
  { rule: '2020-12 unevaluatedProperties: false added', old: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...obj({ a: str }) }, new: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...obj({ a: str }), unevaluatedProperties: false }, backward: false, forward: true },
  // combined types
  { rule: 'sum types: type becomes nullable (string → [string, null])', old: str, new: { type: ['string', 'null'] }, backward: true, forward: false },
  { rule: 'sum types: oneOf gains a branch', old: { oneOf: [str, int] }, new: { oneOf: [str, int, { type: 'boolean' }] }, backward: true, forward: false },
  { rule: 'sum types: anyOf loses a branch', old: { anyOf: [str, int] }, new: { anyOf: [str] }, backward: false, forward: true },
  { rule: 'product types: allOf gains a subschema', old: { allOf: [obj({ a: str })] }, new: { allOf: [obj({ a: str }), { required: ['a'] }] }, backward: false, forward: true },
  { rule: 'combined criteria: oneOf → anyOf extends', old: { oneOf: [str, int] }, new: { anyOf: [str, int] }, backward: true, forward: false },
  { rule: 'combined criteria: anyOf → allOf changes (allOf → anyOf extends)', old: { anyOf: [str, int] }, new: { allOf: [str, int] }, backward: false, forward: true },
  { rule: 'sum types: branch widened integer→number', old: { oneOf: [str, int] }, new: { oneOf: [str, num] }, backward: true, forward: false },
  { rule: 'sum types: branch changed string→boolean', old: { oneOf: [str, int] }, new: { oneOf: [{ type: 'boolean' }, int] }, backward: false, forward: false },
  { rule: 'not: excluding more narrows', old: { not: str }, new: { not: { type: ['string', 'number'] } }, backward: false, forward: true },
  // references, empty and false schemas, nesting
  { rule: '$ref: same definition through a reference', old: { definitions: { A: str }, ...obj({ a: { $ref: '#/definitions/A' } }) }, new: obj({ a: str }), backward: true, forward: true },
  { rule: '$ref: referenced definition changes type', old: { definitions: { A: str }, ...obj({ a: { $ref: '#/definitions/A' } }) }, new: { definitions: { A: int }, ...obj({ a: { $ref: '#/definitions/A' } }) }, backward: false, forward: false },
  { rule: '$ref: recursive definition unchanged', old: { definitions: { N: obj({ next: { $ref: '#/definitions/N' } }) }, $ref: '#/definitions/N' }, new: { definitions: { N: obj({ next: { $ref: '#/definitions/N' } }) }, $ref: '#/definitions/N' }, backward: true, forward: true },
  { rule: 'empty schema: narrowed to a type', old: {}, new: str, backward: false, forward: true },
  { rule: 'false schema: anything reads nothing', old: false, new: str, backward: true, forward: false },
  { rule: 'nested objects: inner property type changed', old: obj({ o: obj({ x: int }) }), new: obj({ o: obj({ x: str }) }), backward: false, forward: false },
  { rule: 'nested objects: inner closed model gains an optional property', old: obj({ o: closed({ x: int }) }), new: obj({ o: closed({ x: int, y: str }) }), backward: true, forward: false },
];
