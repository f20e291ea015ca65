/**
 * JSON Schema compatibility as Confluent applies it (`json-schema-provider/.../json/diff`): the
 * differences between an original (old) and an update (new) schema, each a `Difference.Type`;
 * the update is backward compatible when every difference is in the compatible set below.
 *
 * Content models decide what adding or removing a property means:
 * - open (no `additionalProperties`, no `patternProperties`): removing a property is compatible,
 *   adding one is not (old data may carry it with any type), unless its schema is `{}`;
 * - closed (`additionalProperties: false`): adding an optional property is compatible, adding a
 *   required one needs a `default`, removing one is not (unless its schema was `false`);
 * - partially open (`additionalProperties: {schema}` or `patternProperties`): adding or removing
 *   is compatible when the property's schema and the covering schema are compatible.
 */
import type { ArrayNode, JsonNode, ObjectNode } from './json-model.ts';

export const compatibleChanges: ReadonlySet<string> = new Set([
  'ID_CHANGED', 'DESCRIPTION_CHANGED', 'TITLE_CHANGED', 'DEFAULT_CHANGED', 'SCHEMA_REMOVED', 'TYPE_EXTENDED',
  'MAX_LENGTH_INCREASED', 'MAX_LENGTH_REMOVED', 'MIN_LENGTH_DECREASED', 'MIN_LENGTH_REMOVED', 'PATTERN_REMOVED',
  'MAXIMUM_INCREASED', 'MAXIMUM_REMOVED', 'MINIMUM_DECREASED', 'MINIMUM_REMOVED',
  'EXCLUSIVE_MAXIMUM_INCREASED', 'EXCLUSIVE_MAXIMUM_REMOVED', 'EXCLUSIVE_MINIMUM_DECREASED', 'EXCLUSIVE_MINIMUM_REMOVED',
  'MULTIPLE_OF_REDUCED', 'MULTIPLE_OF_REMOVED', 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', 'REQUIRED_ATTRIBUTE_REMOVED',
  'DEPENDENCY_ARRAY_NARROWED', 'DEPENDENCY_ARRAY_REMOVED', 'DEPENDENCY_SCHEMA_REMOVED',
  'MAX_PROPERTIES_INCREASED', 'MAX_PROPERTIES_REMOVED', 'MIN_PROPERTIES_DECREASED', 'MIN_PROPERTIES_REMOVED',
  'ADDITIONAL_PROPERTIES_ADDED', 'ADDITIONAL_PROPERTIES_EXTENDED', 'UNEVALUATED_PROPERTIES_ADDED', 'UNEVALUATED_PROPERTIES_EXTENDED',
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'MAX_ITEMS_INCREASED', 'MAX_ITEMS_REMOVED', 'MIN_ITEMS_DECREASED', 'MIN_ITEMS_REMOVED',
  'MAX_CONTAINS_INCREASED', 'MAX_CONTAINS_REMOVED', 'MIN_CONTAINS_DECREASED', 'MIN_CONTAINS_REMOVED', 'UNIQUE_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_ADDED', 'ADDITIONAL_ITEMS_EXTENDED', 'UNEVALUATED_ITEMS_ADDED', 'UNEVALUATED_ITEMS_EXTENDED',
  'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ENUM_ARRAY_EXTENDED', 'COMBINED_TYPE_EXTENDED', 'PRODUCT_TYPE_NARROWED', 'SUM_TYPE_EXTENDED', 'NOT_TYPE_NARROWED',
]);

export interface Difference {
  type: string;
  path: string;
}

/** Bounds the comparison of deeply nested or combinatorial schemas. */
const depthMax = 200;

class DiffContext {
  readonly differences: Difference[] = [];
  constructor(
    readonly path: string,
    readonly inProgress: Set<string>,
    readonly ids: Map<JsonNode, number>,
    readonly depth: number,
  ) {}

  add(type: string, at?: string): void {
    this.differences.push({ type, path: at === undefined ? this.path : `${this.path}/${at}` });
  }
  addAll(diffs: readonly Difference[]): void {
    this.differences.push(...diffs);
  }
  at(segment: string): DiffContext {
    const sub = new DiffContext(`${this.path}/${segment}`, this.inProgress, this.ids, this.depth + 1);
    return sub;
  }
  sub(): DiffContext {
    return new DiffContext(this.path, this.inProgress, this.ids, this.depth + 1);
  }
  get compatible(): boolean {
    return this.differences.every((d) => compatibleChanges.has(d.type));
  }
  id(node: JsonNode): number {
    let id = this.ids.get(node);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(node, id);
    }
    return id;
  }
}

/** All differences from `original` to `update`. */
export function diffJsonSchemas(original: JsonNode, update: JsonNode): Difference[] {
  const ctx = new DiffContext('#', new Set(), new Map(), 0);
  compare(ctx, original, update);
  return ctx.differences;
}

/** Runs `fn` in a child context at `segment` and keeps what it found. */
function within(ctx: DiffContext, segment: string, fn: (c: DiffContext) => void): void {
  const child = ctx.at(segment);
  fn(child);
  ctx.addAll(child.differences);
}

function compare(ctx: DiffContext, original: JsonNode | null, update: JsonNode | null): void {
  if (original === null && update === null) return;
  if (original === null) return ctx.add('SCHEMA_ADDED');
  if (update === null) return ctx.add('SCHEMA_REMOVED');
  if (ctx.depth > depthMax) return;
  const key = `${ctx.id(original)}:${ctx.id(update)}`;
  if (ctx.inProgress.has(key)) return; // recursive schemas: optimistic while comparing
  ctx.inProgress.add(key);
  try {
    compareTypes(ctx, original, update);
  } finally {
    ctx.inProgress.delete(key);
  }
}

function compareTypes(ctx: DiffContext, original: JsonNode, update: JsonNode): void {
  if (original.kind !== 'combined' && update.kind === 'combined') {
    if (update.subschemas.length === 1) {
      const sub = ctx.sub();
      compare(sub, original, update.subschemas[0]);
      if (sub.compatible) return ctx.addAll(sub.differences);
    } else if (update.criterion !== 'allOf') {
      for (const branch of update.subschemas) {
        const sub = ctx.sub();
        compare(sub, original, branch);
        if (sub.compatible) {
          ctx.addAll(sub.differences);
          return ctx.add('SUM_TYPE_EXTENDED');
        }
      }
    }
  } else if (original.kind === 'combined' && update.kind !== 'combined') {
    if (original.subschemas.length === 1) {
      const sub = ctx.sub();
      compare(sub, original.subschemas[0], update);
      if (sub.compatible) return ctx.addAll(sub.differences);
    } else if (original.criterion === 'allOf') {
      for (const branch of original.subschemas) {
        const sub = ctx.sub();
        compare(sub, branch, update);
        if (sub.compatible) {
          ctx.addAll(sub.differences);
          return ctx.add('PRODUCT_TYPE_NARROWED');
        }
      }
    }
  }
  if (original.kind !== update.kind) {
    if (original.kind === 'false' || update.kind === 'empty') return;
    if (original.meta.connectType === 'bytes' && update.meta.connectType === 'bytes') return;
    return ctx.add('TYPE_CHANGED');
  }
  if (original.meta.id !== update.meta.id) ctx.add('ID_CHANGED');
  if (original.meta.title !== update.meta.title) ctx.add('TITLE_CHANGED');
  if (original.meta.description !== update.meta.description) ctx.add('DESCRIPTION_CHANGED');
  if (original.meta.defaultJson !== update.meta.defaultJson) ctx.add('DEFAULT_CHANGED');
  switch (original.kind) {
    case 'string':
      return compareString(ctx, original, update as typeof original);
    case 'number':
      return compareNumber(ctx, original, update as typeof original);
    case 'const':
      if (original.value !== (update as typeof original).value) ctx.add('ENUM_ARRAY_CHANGED', 'const');
      return;
    case 'enum':
      return compareEnum(ctx, original.values, (update as typeof original).values);
    case 'combined':
      return compareCombined(ctx, original, update as typeof original);
    case 'not':
      return within(ctx, 'not', (c) => {
        const sub = c.sub();
        compare(sub, (update as typeof original).schema, original.schema);
        c.add(sub.compatible ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED');
      });
    case 'object':
      return compareObject(ctx, original, update as ObjectNode);
    case 'array':
      return compareArray(ctx, original, update as ArrayNode);
    case 'empty':
    case 'false':
    case 'boolean':
    case 'null':
      return;
    default: {
      const never: never = original;
      throw new Error(`unhandled JSON schema kind ${(never as JsonNode).kind}`);
    }
  }
}

/** Adds `<NAME>_ADDED|REMOVED|INCREASED|DECREASED` for a numeric limit. */
function compareLimit(ctx: DiffContext, keyword: string, name: string, original: number | undefined, update: number | undefined): void {
  if (original === update) return;
  if (original === undefined) ctx.add(`${name}_ADDED`, keyword);
  else if (update === undefined) ctx.add(`${name}_REMOVED`, keyword);
  else if (original < update) ctx.add(`${name}_INCREASED`, keyword);
  else ctx.add(`${name}_DECREASED`, keyword);
}

function compareString(ctx: DiffContext, o: Extract<JsonNode, { kind: 'string' }>, u: Extract<JsonNode, { kind: 'string' }>): void {
  compareLimit(ctx, 'maxLength', 'MAX_LENGTH', o.maxLength, u.maxLength);
  compareLimit(ctx, 'minLength', 'MIN_LENGTH', o.minLength, u.minLength);
  if (o.pattern === undefined && u.pattern !== undefined) ctx.add('PATTERN_ADDED', 'pattern');
  else if (o.pattern !== undefined && u.pattern === undefined) ctx.add('PATTERN_REMOVED', 'pattern');
  else if (o.pattern !== u.pattern) ctx.add('PATTERN_CHANGED', 'pattern');
}

function compareNumber(ctx: DiffContext, o: Extract<JsonNode, { kind: 'number' }>, u: Extract<JsonNode, { kind: 'number' }>): void {
  compareLimit(ctx, 'maximum', 'MAXIMUM', o.maximum, u.maximum);
  compareLimit(ctx, 'minimum', 'MINIMUM', o.minimum, u.minimum);
  compareLimit(ctx, 'exclusiveMaximum', 'EXCLUSIVE_MAXIMUM', o.exclusiveMaximum, u.exclusiveMaximum);
  compareLimit(ctx, 'exclusiveMinimum', 'EXCLUSIVE_MINIMUM', o.exclusiveMinimum, u.exclusiveMinimum);
  if (o.multipleOf !== u.multipleOf) {
    if (o.multipleOf === undefined) ctx.add('MULTIPLE_OF_ADDED', 'multipleOf');
    else if (u.multipleOf === undefined) ctx.add('MULTIPLE_OF_REMOVED', 'multipleOf');
    else if (o.multipleOf !== 0 && isMultiple(u.multipleOf, o.multipleOf)) ctx.add('MULTIPLE_OF_EXPANDED', 'multipleOf');
    else if (u.multipleOf !== 0 && isMultiple(o.multipleOf, u.multipleOf)) ctx.add('MULTIPLE_OF_REDUCED', 'multipleOf');
    else ctx.add('MULTIPLE_OF_CHANGED', 'multipleOf');
  }
  if (o.integer !== u.integer) ctx.add(o.integer ? 'TYPE_EXTENDED' : 'TYPE_NARROWED');
}

/** Whether `a` is an exact multiple of `b`, tolerant of binary fractions (0.3 of 0.1). */
function isMultiple(a: number, b: number): boolean {
  const q = a / b;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function compareEnum(ctx: DiffContext, o: readonly string[], u: readonly string[]): void {
  const os = new Set(o);
  const us = new Set(u);
  if (os.size === us.size && [...os].every((v) => us.has(v))) return;
  if ([...os].every((v) => us.has(v))) ctx.add('ENUM_ARRAY_EXTENDED', 'enum');
  else if ([...us].every((v) => os.has(v))) ctx.add('ENUM_ARRAY_NARROWED', 'enum');
  else ctx.add('ENUM_ARRAY_CHANGED', 'enum');
}

function compareCombined(ctx: DiffContext, o: Extract<JsonNode, { kind: 'combined' }>, u: Extract<JsonNode, { kind: 'combined' }>): void {
  if (o.criterion !== u.criterion) {
    const extended =
      u.criterion === 'anyOf' ||
      (o.subschemas.length === 1 && u.subschemas.length === 1) ||
      (o.subschemas.length === 1 && u.criterion === 'oneOf') ||
      (u.subschemas.length === 1 && o.criterion === 'allOf');
    if (!extended) return ctx.add('COMBINED_TYPE_CHANGED');
    ctx.add('COMBINED_TYPE_EXTENDED');
  }
  const os = o.subschemas;
  const us = u.subschemas;
  if (os.length < us.length) ctx.add(u.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED');
  else if (os.length > us.length) ctx.add(o.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED');
  // Compatible pairs, then the largest one-to-one matching between old and new branches.
  const edges: Difference[][][] = os.map(() => us.map(() => []));
  const compatible: boolean[][] = os.map(() => us.map(() => false));
  os.forEach((ob, i) => {
    const c = ctx.at(`${o.criterion}/${i}`);
    us.forEach((ub, j) => {
      const sub = c.sub();
      compare(sub, ob, ub);
      if (sub.compatible) {
        compatible[i][j] = true;
        edges[i][j] = sub.differences;
      }
    });
  });
  const matchOfUpdate = maximumMatching(compatible, us.length);
  let matched = 0;
  matchOfUpdate.forEach((i, j) => {
    if (i >= 0) {
      matched++;
      ctx.addAll(edges[i][j]);
    }
  });
  if (matched < Math.min(os.length, us.length)) ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED');
}

/** Kuhn's augmenting paths: for each right vertex, the left vertex matched to it or -1. */
function maximumMatching(adjacent: boolean[][], rightCount: number): number[] {
  const matchOfRight = new Array<number>(rightCount).fill(-1);
  const tryLeft = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < rightCount; j++) {
      if (!adjacent[i][j] || seen[j]) continue;
      seen[j] = true;
      if (matchOfRight[j] < 0 || tryLeft(matchOfRight[j], seen)) {
        matchOfRight[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < adjacent.length; i++) tryLeft(i, new Array<boolean>(rightCount).fill(false));
  return matchOfRight;
}

function isOpenObject(n: ObjectNode): boolean {
  if (!n.permitsAdditional || n.additionalSchema !== null || n.patternProperties.length > 0) return false;
  return n.unevaluated === null || n.unevaluated.kind === 'empty';
}

function partialObjectSchema(n: ObjectNode, property: string): JsonNode | null {
  for (const [pattern, schema] of n.patternProperties) if (pattern.test(property)) return schema;
  if (n.additionalSchema !== null) return n.additionalSchema;
  if (n.permitsAdditional && n.unevaluated !== null && n.unevaluated.kind !== 'false' && n.unevaluated.kind !== 'empty') return n.unevaluated;
  return null;
}

function compareObject(ctx: DiffContext, o: ObjectNode, u: ObjectNode): void {
  for (const [name, schema] of o.properties) {
    if (!u.properties.has(name)) continue;
    const was = o.required.has(name);
    const is = u.required.has(name);
    if (was && !is) ctx.add('REQUIRED_ATTRIBUTE_REMOVED', `required/${name}`);
    else if (!was && is) ctx.add((u.properties.get(name) ?? schema).meta.hasDefault ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED', `required/${name}`);
  }
  const names = new Set([...o.properties.keys(), ...u.properties.keys()]);
  for (const name of names) within(ctx, `properties/${name}`, (c) => compareProperty(c, o, u, name));
  within(ctx, 'dependencies', (c) => compareDependencies(c, o, u));
  within(ctx, 'additionalProperties', (c) => {
    if (o.permitsAdditional !== u.permitsAdditional) c.add(u.permitsAdditional ? 'ADDITIONAL_PROPERTIES_ADDED' : 'ADDITIONAL_PROPERTIES_REMOVED');
    else if (o.additionalSchema === null && u.additionalSchema !== null) c.add('ADDITIONAL_PROPERTIES_NARROWED');
    else if (o.additionalSchema !== null && u.additionalSchema === null) c.add('ADDITIONAL_PROPERTIES_EXTENDED');
    else compare(c, o.additionalSchema, u.additionalSchema);
  });
  compareUnevaluated(ctx, 'unevaluatedProperties', 'UNEVALUATED_PROPERTIES', o.unevaluated, u.unevaluated);
  compareLimit(ctx, 'maxProperties', 'MAX_PROPERTIES', o.maxProperties, u.maxProperties);
  compareLimit(ctx, 'minProperties', 'MIN_PROPERTIES', o.minProperties, u.minProperties);
}

function compareProperty(ctx: DiffContext, o: ObjectNode, u: ObjectNode, name: string): void {
  const os = o.properties.get(name);
  const us = u.properties.get(name);
  if (os !== undefined && us !== undefined) return compare(ctx, os, us);
  if (os !== undefined) {
    if (isOpenObject(u)) return ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL');
    const covering = partialObjectSchema(u, name);
    if (covering !== null) {
      const sub = ctx.sub();
      compare(sub, os, covering);
      ctx.addAll(sub.differences);
      return ctx.add(sub.compatible ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
    }
    return ctx.add(os.kind === 'false' ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL');
  }
  if (us === undefined) return;
  const required = u.required.has(name);
  if (isOpenObject(o)) {
    if (us.kind === 'empty') return ctx.add('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL');
    if (required) return ctx.add(us.meta.hasDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
    return ctx.add('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
  }
  const covering = partialObjectSchema(o, name);
  if (covering !== null) {
    const sub = ctx.sub();
    compare(sub, covering, us);
    ctx.addAll(sub.differences);
    ctx.add(sub.compatible ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
  }
  if (required) ctx.add(us.meta.hasDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
  else ctx.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
}

function compareDependencies(ctx: DiffContext, o: ObjectNode, u: ObjectNode): void {
  for (const name of new Set([...o.dependencyArrays.keys(), ...u.dependencyArrays.keys()])) {
    const od = o.dependencyArrays.get(name);
    const ud = u.dependencyArrays.get(name);
    if (ud === undefined) ctx.add('DEPENDENCY_ARRAY_REMOVED', name);
    else if (od === undefined) ctx.add('DEPENDENCY_ARRAY_ADDED', name);
    else {
      const os = new Set(od);
      const us = new Set(ud);
      if (os.size === us.size && od.every((v) => us.has(v))) continue;
      if (od.every((v) => us.has(v))) ctx.add('DEPENDENCY_ARRAY_EXTENDED', name);
      else if (ud.every((v) => os.has(v))) ctx.add('DEPENDENCY_ARRAY_NARROWED', name);
      else ctx.add('DEPENDENCY_ARRAY_CHANGED', name);
    }
  }
  for (const name of new Set([...o.dependencySchemas.keys(), ...u.dependencySchemas.keys()])) {
    const od = o.dependencySchemas.get(name);
    const ud = u.dependencySchemas.get(name);
    if (ud === undefined) ctx.add('DEPENDENCY_SCHEMA_REMOVED', name);
    else if (od === undefined) ctx.add('DEPENDENCY_SCHEMA_ADDED', name);
    else within(ctx, name, (c) => compare(c, od, ud));
  }
}

function compareUnevaluated(ctx: DiffContext, keyword: string, name: string, o: JsonNode | null, u: JsonNode | null): void {
  if (o === null && u === null) return;
  within(ctx, keyword, (c) => {
    if (o === null) c.add(u?.kind === 'false' ? `${name}_REMOVED` : `${name}_NARROWED`);
    else if (u === null) c.add(o.kind === 'false' ? `${name}_ADDED` : `${name}_EXTENDED`);
    else if (o.kind === 'false' && u.kind !== 'false') c.add(`${name}_ADDED`);
    else if (o.kind !== 'false' && u.kind === 'false') c.add(`${name}_REMOVED`);
    else if (o.kind === 'empty' && u.kind !== 'empty') c.add(`${name}_NARROWED`);
    else if (o.kind !== 'empty' && u.kind === 'empty') c.add(`${name}_EXTENDED`);
    else compare(c, o, u);
  });
}

function isOpenArray(n: ArrayNode): boolean {
  if (!n.permitsAdditionalItems || n.additionalItemsSchema !== null) return false;
  return n.unevaluated === null || n.unevaluated.kind === 'empty';
}

function partialArraySchema(n: ArrayNode): JsonNode | null {
  if (n.additionalItemsSchema !== null) return n.additionalItemsSchema;
  if (n.permitsAdditionalItems && n.unevaluated !== null && n.unevaluated.kind !== 'false' && n.unevaluated.kind !== 'empty') return n.unevaluated;
  return null;
}

function compareArray(ctx: DiffContext, o: ArrayNode, u: ArrayNode): void {
  within(ctx, 'items', (c) => compare(c, o.allItems, u.allItems));
  const oi = o.itemSchemas ?? [];
  const ui = u.itemSchemas ?? [];
  for (let i = 0; i < Math.max(oi.length, ui.length); i++) {
    within(ctx, `items/${i}`, (c) => {
      if (i < oi.length && i < ui.length) return compare(c, oi[i], ui[i]);
      if (i < oi.length) {
        if (isOpenArray(u)) return c.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL');
        const covering = partialArraySchema(u);
        if (covering !== null) {
          const sub = c.sub();
          compare(sub, oi[i], covering);
          c.addAll(sub.differences);
          return c.add(sub.compatible ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
        }
        return c.add(oi[i].kind === 'false' ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL');
      }
      if (isOpenArray(o)) return c.add(ui[i].kind === 'empty' ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL');
      const covering = partialArraySchema(o);
      if (covering !== null) {
        const sub = c.sub();
        compare(sub, covering, ui[i]);
        c.addAll(sub.differences);
        return c.add(sub.compatible ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
      }
      c.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL');
    });
  }
  within(ctx, 'additionalItems', (c) => {
    if (o.permitsAdditionalItems !== u.permitsAdditionalItems) c.add(o.permitsAdditionalItems ? 'ADDITIONAL_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_ADDED');
    else if (o.additionalItemsSchema === null && u.additionalItemsSchema !== null) c.add('ADDITIONAL_ITEMS_NARROWED');
    else if (o.additionalItemsSchema !== null && u.additionalItemsSchema === null) c.add('ADDITIONAL_ITEMS_EXTENDED');
    else compare(c, o.additionalItemsSchema, u.additionalItemsSchema);
  });
  compareUnevaluated(ctx, 'unevaluatedItems', 'UNEVALUATED_ITEMS', o.unevaluated, u.unevaluated);
  compareLimit(ctx, 'maxItems', 'MAX_ITEMS', o.maxItems, u.maxItems);
  compareLimit(ctx, 'minItems', 'MIN_ITEMS', o.minItems, u.minItems);
  if (o.uniqueItems !== u.uniqueItems) ctx.add(o.uniqueItems ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', 'uniqueItems');
  compareLimit(ctx, 'maxContains', 'MAX_CONTAINS', o.maxContains, u.maxContains);
  compareLimit(ctx, 'minContains', 'MIN_CONTAINS', o.minContains, u.minContains);
}

/** One message per incompatible difference, as Confluent's verbose check prints them. */
export function formatJsonDifference(d: Difference): string {
  return `{errorType:'${d.type}', description:'${describe(d)}'}`;
}

function describe(d: Difference): string {
  const words = d.type.toLowerCase().replace(/_/g, ' ');
  return `Found incompatible change: ${words} at path '${d.path}' in the new schema`;
}
