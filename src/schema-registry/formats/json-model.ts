/**
 * JSON Schema documents loaded into the model Confluent's compatibility check reasons about
 * (the schema classes of everit-json-schema, which Confluent uses): each schema is one of empty,
 * false, string, number, boolean, null, object, array, enum, const, combined (allOf/anyOf/oneOf)
 * or not. A schema with several kinds of keywords becomes an `allOf` of one schema per kind, a
 * `type` array becomes an `anyOf` of one schema per type, and `$ref`s are followed (into the
 * schema's references by name too). Draft-07 and 2020-12 keywords are both read.
 */

export interface JsonMeta {
  id?: string;
  title?: string;
  description?: string;
  hasDefault: boolean;
  defaultJson?: string;
  connectType?: string;
}

export type JsonNode =
  | { kind: 'empty'; meta: JsonMeta }
  | { kind: 'false'; meta: JsonMeta }
  | { kind: 'boolean'; meta: JsonMeta }
  | { kind: 'null'; meta: JsonMeta }
  | { kind: 'string'; meta: JsonMeta; maxLength?: number; minLength?: number; pattern?: string }
  | {
      kind: 'number';
      meta: JsonMeta;
      integer: boolean;
      maximum?: number;
      minimum?: number;
      exclusiveMaximum?: number;
      exclusiveMinimum?: number;
      multipleOf?: number;
    }
  | ObjectNode
  | ArrayNode
  | { kind: 'enum'; meta: JsonMeta; values: string[] }
  | { kind: 'const'; meta: JsonMeta; value: string }
  | { kind: 'combined'; meta: JsonMeta; criterion: 'allOf' | 'anyOf' | 'oneOf'; subschemas: JsonNode[] }
  | { kind: 'not'; meta: JsonMeta; schema: JsonNode };

export interface ObjectNode {
  kind: 'object';
  meta: JsonMeta;
  properties: Map<string, JsonNode>;
  required: Set<string>;
  permitsAdditional: boolean;
  additionalSchema: JsonNode | null;
  patternProperties: Array<[RegExp, JsonNode]>;
  unevaluated: JsonNode | null;
  dependencyArrays: Map<string, string[]>;
  dependencySchemas: Map<string, JsonNode>;
  maxProperties?: number;
  minProperties?: number;
}

export interface ArrayNode {
  kind: 'array';
  meta: JsonMeta;
  allItems: JsonNode | null;
  itemSchemas: JsonNode[] | null;
  permitsAdditionalItems: boolean;
  additionalItemsSchema: JsonNode | null;
  unevaluated: JsonNode | null;
  maxItems?: number;
  minItems?: number;
  uniqueItems: boolean;
  maxContains?: number;
  minContains?: number;
}

type Raw = Record<string, unknown>;

const objectKeywords = ['properties', 'required', 'additionalProperties', 'patternProperties', 'dependencies', 'dependentRequired', 'dependentSchemas', 'minProperties', 'maxProperties', 'propertyNames', 'unevaluatedProperties'];
const arrayKeywords = ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'unevaluatedItems', 'minContains', 'maxContains'];
const stringKeywords = ['minLength', 'maxLength', 'pattern', 'format'];
const numberKeywords = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

/** Loads a document and its references (by reference name) into `JsonNode`s, following `$ref`s lazily. */
export class JsonSchemaLoader {
  private readonly memo = new Map<unknown, JsonNode>();
  private readonly documents: Map<string, unknown>;
  private readonly is2020: boolean;

  constructor(root: unknown, references: ReadonlyMap<string, unknown>) {
    this.documents = new Map(references);
    this.documents.set('', root);
    for (const doc of references.values()) {
      if (doc !== null && typeof doc === 'object' && typeof (doc as Raw).$id === 'string') this.documents.set((doc as Raw).$id as string, doc);
    }
    const schemaUri = root !== null && typeof root === 'object' ? (root as Raw).$schema : undefined;
    this.is2020 = typeof schemaUri === 'string' && /2019-09|2020-12/.test(schemaUri);
  }

  root(): JsonNode {
    return this.load(this.documents.get(''), '');
  }

  private load(raw: unknown, doc: string): JsonNode {
    if (raw === true || raw === undefined) return { kind: 'empty', meta: { hasDefault: false } };
    if (raw === false) return { kind: 'false', meta: { hasDefault: false } };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'empty', meta: { hasDefault: false } };
    const cached = this.memo.get(raw);
    if (cached !== undefined) return cached;
    const obj = raw as Raw;
    if (typeof obj.$ref === 'string') {
      const target = this.resolveRef(obj.$ref, doc);
      if (target !== undefined) {
        // Reserve the slot first so a recursive $ref ends at this node.
        const placeholder: JsonNode = { kind: 'empty', meta: { hasDefault: false } };
        this.memo.set(raw, placeholder);
        const node = this.load(target.raw, target.doc);
        Object.assign(placeholder, node);
        return placeholder;
      }
    }
    const node: JsonNode = { kind: 'empty', meta: metaOf(obj) };
    this.memo.set(raw, node);
    Object.assign(node, this.build(obj, doc));
    return node;
  }

  private build(obj: Raw, doc: string): JsonNode {
    const meta = metaOf(obj);
    const parts: JsonNode[] = [];
    const types = Array.isArray(obj.type) ? (obj.type as unknown[]).filter((t): t is string => typeof t === 'string') : typeof obj.type === 'string' ? [obj.type] : [];
    if (types.length > 1) {
      parts.push({ kind: 'combined', meta: { hasDefault: false }, criterion: 'anyOf', subschemas: types.map((t) => this.typed(t, obj, doc, { hasDefault: false })) });
    } else if (types.length === 1) {
      parts.push(this.typed(types[0], obj, doc, meta));
    } else {
      const inferred: string[] = [];
      if (objectKeywords.some((k) => k in obj)) inferred.push('object');
      if (arrayKeywords.some((k) => k in obj)) inferred.push('array');
      if (stringKeywords.some((k) => k in obj)) inferred.push('string');
      if (numberKeywords.some((k) => k in obj)) inferred.push('number');
      if (inferred.length === 1) parts.push(this.typed(inferred[0], obj, doc, meta));
      else if (inferred.length > 1) parts.push({ kind: 'combined', meta: { hasDefault: false }, criterion: 'anyOf', subschemas: inferred.map((t) => this.typed(t, obj, doc, { hasDefault: false })) });
    }
    if (Array.isArray(obj.enum)) parts.push({ kind: 'enum', meta, values: (obj.enum as unknown[]).map((v) => JSON.stringify(v)) });
    if ('const' in obj) parts.push({ kind: 'const', meta, value: JSON.stringify(obj.const) });
    if ('not' in obj) parts.push({ kind: 'not', meta, schema: this.load(obj.not, doc) });
    for (const criterion of ['allOf', 'anyOf', 'oneOf'] as const) {
      const subs = obj[criterion];
      if (Array.isArray(subs)) parts.push({ kind: 'combined', meta, criterion, subschemas: subs.map((s) => this.load(s, doc)) });
    }
    if (parts.length === 0) return { kind: 'empty', meta };
    if (parts.length === 1) return { ...parts[0], meta } as JsonNode;
    return { kind: 'combined', meta, criterion: 'allOf', subschemas: parts };
  }

  private typed(type: string, obj: Raw, doc: string, meta: JsonMeta): JsonNode {
    switch (type) {
      case 'string':
        return { kind: 'string', meta, maxLength: num(obj.maxLength), minLength: num(obj.minLength), pattern: typeof obj.pattern === 'string' ? obj.pattern : undefined };
      case 'integer':
      case 'number': {
        // Draft-04 booleans for exclusive limits turn the plain limit exclusive.
        const exMax = typeof obj.exclusiveMaximum === 'boolean' ? (obj.exclusiveMaximum ? num(obj.maximum) : undefined) : num(obj.exclusiveMaximum);
        const exMin = typeof obj.exclusiveMinimum === 'boolean' ? (obj.exclusiveMinimum ? num(obj.minimum) : undefined) : num(obj.exclusiveMinimum);
        return {
          kind: 'number',
          meta,
          integer: type === 'integer',
          maximum: obj.exclusiveMaximum === true ? undefined : num(obj.maximum),
          minimum: obj.exclusiveMinimum === true ? undefined : num(obj.minimum),
          exclusiveMaximum: exMax,
          exclusiveMinimum: exMin,
          multipleOf: num(obj.multipleOf),
        };
      }
      case 'boolean':
        return { kind: 'boolean', meta };
      case 'null':
        return { kind: 'null', meta };
      case 'object':
        return this.objectNode(obj, doc, meta);
      case 'array':
        return this.arrayNode(obj, doc, meta);
      default:
        return { kind: 'empty', meta };
    }
  }

  private objectNode(obj: Raw, doc: string, meta: JsonMeta): ObjectNode {
    const properties = new Map<string, JsonNode>();
    if (isObject(obj.properties)) for (const [k, v] of Object.entries(obj.properties)) properties.set(k, this.load(v, doc));
    const patternProperties: Array<[RegExp, JsonNode]> = [];
    if (isObject(obj.patternProperties)) {
      for (const [k, v] of Object.entries(obj.patternProperties)) patternProperties.push([safeRegExp(k), this.load(v, doc)]);
    }
    const dependencyArrays = new Map<string, string[]>();
    const dependencySchemas = new Map<string, JsonNode>();
    const addDeps = (deps: unknown): void => {
      if (!isObject(deps)) return;
      for (const [k, v] of Object.entries(deps)) {
        if (Array.isArray(v)) dependencyArrays.set(k, v.map(String));
        else dependencySchemas.set(k, this.load(v, doc));
      }
    };
    addDeps(obj.dependencies);
    addDeps(obj.dependentRequired);
    addDeps(obj.dependentSchemas);
    const additional = obj.additionalProperties;
    return {
      kind: 'object',
      meta,
      properties,
      required: new Set(Array.isArray(obj.required) ? (obj.required as unknown[]).map(String) : []),
      permitsAdditional: additional !== false,
      additionalSchema: isObject(additional) && Object.keys(additional).length > 0 ? this.load(additional, doc) : null,
      patternProperties,
      unevaluated: 'unevaluatedProperties' in obj ? this.load(obj.unevaluatedProperties, doc) : null,
      dependencyArrays,
      dependencySchemas,
      maxProperties: num(obj.maxProperties),
      minProperties: num(obj.minProperties),
    };
  }

  private arrayNode(obj: Raw, doc: string, meta: JsonMeta): ArrayNode {
    let allItems: JsonNode | null = null;
    let itemSchemas: JsonNode[] | null = null;
    let additional: unknown = obj.additionalItems;
    if (Array.isArray(obj.prefixItems)) {
      itemSchemas = obj.prefixItems.map((s) => this.load(s, doc));
      additional = obj.items;
    } else if (Array.isArray(obj.items)) {
      itemSchemas = obj.items.map((s) => this.load(s, doc));
    } else if (obj.items !== undefined) {
      allItems = this.load(obj.items, doc);
    }
    return {
      kind: 'array',
      meta,
      allItems,
      itemSchemas,
      permitsAdditionalItems: additional !== false,
      additionalItemsSchema: isObject(additional) && Object.keys(additional).length > 0 ? this.load(additional, doc) : null,
      unevaluated: 'unevaluatedItems' in obj ? this.load(obj.unevaluatedItems, doc) : null,
      maxItems: num(obj.maxItems),
      minItems: num(obj.minItems),
      uniqueItems: obj.uniqueItems === true,
      maxContains: num(obj.maxContains),
      minContains: num(obj.minContains),
    };
  }

  private resolveRef(ref: string, doc: string): { raw: unknown; doc: string } | undefined {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let docName = base === '' ? doc : base;
    let document = this.documents.get(docName);
    if (document === undefined) {
      const last = base.slice(base.lastIndexOf('/') + 1);
      for (const [name, d] of this.documents) {
        if (name !== '' && (name === last || name.endsWith(`/${last}`))) {
          document = d;
          docName = name;
          break;
        }
      }
    }
    if (document === undefined) return undefined;
    if (pointer === '' || pointer === '/') return { raw: document, doc: docName };
    if (!pointer.startsWith('/')) return this.findAnchor(document, pointer, docName);
    let at: unknown = document;
    for (const token of pointer.slice(1).split('/')) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      if (at === null || typeof at !== 'object') return undefined;
      at = (at as Raw)[key];
    }
    return at === undefined ? undefined : { raw: at, doc: docName };
  }

  private findAnchor(document: unknown, anchor: string, docName: string): { raw: unknown; doc: string } | undefined {
    const stack: unknown[] = [document];
    for (let steps = 0; stack.length > 0 && steps < 100_000; steps++) {
      const at = stack.pop();
      if (at === null || typeof at !== 'object') continue;
      if ((at as Raw).$anchor === anchor || (at as Raw).$id === `#${anchor}`) return { raw: at, doc: docName };
      for (const v of Object.values(at as Raw)) stack.push(v);
    }
    return undefined;
  }

  /** Whether the document declares 2019-09/2020-12 (where `items` after `prefixItems` means additional items). */
  get draft2020(): boolean {
    return this.is2020;
  }
}

function metaOf(obj: Raw): JsonMeta {
  const id = typeof obj.$id === 'string' ? obj.$id : typeof obj.id === 'string' ? obj.id : undefined;
  return {
    id,
    title: typeof obj.title === 'string' ? obj.title : undefined,
    description: typeof obj.description === 'string' ? obj.description : undefined,
    hasDefault: 'default' in obj,
    defaultJson: 'default' in obj ? JSON.stringify(obj.default) : undefined,
    connectType: typeof obj['connect.type'] === 'string' ? (obj['connect.type'] as string) : undefined,
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function isObject(v: unknown): v is Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function safeRegExp(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch {
    return /(?!)/;
  }
}
