/**
 * Avro schemas as a resolved tree: named types looked up, namespaces applied, logical types and
 * the attributes SQL needs (`connect.type`, decimal precision and scale) kept. avsc drops logical
 * types it has no implementation for, so the SQL side reads the schema JSON itself.
 *
 * Spec: Avro 1.11 specification, "Schema Declaration", "Names" and "Logical Types".
 */

export type AvroNode =
  | { readonly t: 'null' }
  | { readonly t: 'boolean' }
  | { readonly t: 'int'; readonly logical?: string; readonly connectType?: string }
  | { readonly t: 'long'; readonly logical?: string }
  | { readonly t: 'float' }
  | { readonly t: 'double' }
  | { readonly t: 'bytes'; readonly logical?: string; readonly precision?: number; readonly scale?: number }
  | { readonly t: 'string'; readonly logical?: string }
  | { readonly t: 'record'; readonly name: string; readonly fields: readonly AvroField[] }
  | { readonly t: 'enum'; readonly name: string; readonly symbols: readonly string[] }
  | { readonly t: 'array'; readonly items: AvroNode }
  | { readonly t: 'map'; readonly values: AvroNode }
  | { readonly t: 'fixed'; readonly name: string; readonly size: number; readonly logical?: string; readonly precision?: number; readonly scale?: number }
  | { readonly t: 'union'; readonly branches: readonly AvroNode[] };

export interface AvroField {
  readonly name: string;
  readonly type: AvroNode;
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

/** Nesting followed before a schema is refused (deeper schemas are pathological or recursive). */
export const AVRO_DEPTH_MAX = 64;

const primitives = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export class AvroModelError extends Error {}

/**
 * Resolves schema JSON (and the JSON of its references, parsed first) into an `AvroNode`.
 * Recursive records are refused: SQL rows cannot nest without end.
 */
export function parseAvroModel(schema: unknown, references: readonly unknown[] = []): AvroNode {
  const named = new Map<string, unknown>();
  const namespaces = new Map<string, string>();
  const collect = (json: unknown, ns: string, depth: number): void => {
    if (depth > AVRO_DEPTH_MAX) throw new AvroModelError(`schema nests deeper than ${AVRO_DEPTH_MAX}`);
    if (Array.isArray(json)) return json.forEach((b) => collect(b, ns, depth + 1));
    if (json === null || typeof json !== 'object') return;
    const o = json as Record<string, unknown>;
    let inner = ns;
    if ((o.type === 'record' || o.type === 'error' || o.type === 'enum' || o.type === 'fixed') && typeof o.name === 'string') {
      const full = fullName(o.name, typeof o.namespace === 'string' ? o.namespace : ns);
      named.set(full, o);
      inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
      namespaces.set(full, inner);
    }
    if (Array.isArray(o.fields)) for (const f of o.fields) collect((f as Record<string, unknown>).type, inner, depth + 1);
    if (o.items !== undefined) collect(o.items, inner, depth + 1);
    if (o.values !== undefined) collect(o.values, inner, depth + 1);
    if (typeof o.type === 'object') collect(o.type, inner, depth + 1);
  };
  for (const r of references) collect(r, '', 0);
  collect(schema, '', 0);

  const resolving = new Set<string>();
  const resolve = (json: unknown, ns: string, depth: number): AvroNode => {
    if (depth > AVRO_DEPTH_MAX) throw new AvroModelError(`schema nests deeper than ${AVRO_DEPTH_MAX}`);
    if (typeof json === 'string') {
      if (primitives.has(json)) return { t: json } as AvroNode;
      const full = named.has(json) ? json : fullName(json, ns);
      const def = named.get(full);
      if (def === undefined) throw new AvroModelError(`unknown Avro type '${json}'`);
      if (resolving.has(full)) throw new AvroModelError(`recursive Avro type '${full}' cannot be a SQL type`);
      resolving.add(full);
      try {
        return resolveObject(def as Record<string, unknown>, namespaces.get(full) ?? '', depth + 1, full);
      } finally {
        resolving.delete(full);
      }
    }
    if (Array.isArray(json)) return { t: 'union', branches: json.map((b) => resolve(b, ns, depth + 1)) };
    if (json === null || typeof json !== 'object') throw new AvroModelError(`not an Avro schema: ${JSON.stringify(json)}`);
    const o = json as Record<string, unknown>;
    if ((o.type === 'record' || o.type === 'error' || o.type === 'enum' || o.type === 'fixed') && typeof o.name === 'string') {
      const full = fullName(o.name, typeof o.namespace === 'string' ? o.namespace : ns);
      if (resolving.has(full)) throw new AvroModelError(`recursive Avro type '${full}' cannot be a SQL type`);
      resolving.add(full);
      try {
        return resolveObject(o, namespaces.get(full) ?? ns, depth + 1, full);
      } finally {
        resolving.delete(full);
      }
    }
    return resolveObject(o, ns, depth + 1, '');
  };
  const resolveObject = (o: Record<string, unknown>, ns: string, depth: number, full: string): AvroNode => {
    const logical = typeof o.logicalType === 'string' ? o.logicalType : undefined;
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    switch (o.type) {
      case 'record': case 'error': {
        if (!Array.isArray(o.fields)) throw new AvroModelError(`record '${full}' has no fields`);
        const fields = (o.fields as Record<string, unknown>[]).map((f) => ({
          name: String(f.name),
          type: resolve(f.type, ns, depth + 1),
          hasDefault: 'default' in f,
          default: f.default,
        }));
        return { t: 'record', name: full, fields };
      }
      case 'enum': return { t: 'enum', name: full, symbols: (o.symbols as string[]) ?? [] };
      case 'fixed': return { t: 'fixed', name: full, size: Number(o.size), logical, precision: num(o.precision), scale: num(o.scale) };
      case 'array': return { t: 'array', items: resolve(o.items, ns, depth + 1) };
      case 'map': return { t: 'map', values: resolve(o.values, ns, depth + 1) };
      case 'int': return { t: 'int', logical, connectType: typeof o['connect.type'] === 'string' ? o['connect.type'] : undefined };
      case 'long': return { t: 'long', logical };
      case 'bytes': return { t: 'bytes', logical, precision: num(o.precision), scale: num(o.scale) };
      case 'string': return { t: 'string', logical };
      case 'null': case 'boolean': case 'float': case 'double': return { t: o.type } as AvroNode;
      default:
        if (typeof o.type === 'string' || typeof o.type === 'object') return resolve(o.type, ns, depth + 1);
        throw new AvroModelError(`not an Avro schema: ${JSON.stringify(o)}`);
    }
  };
  return resolve(schema, '', 0);
}

function fullName(name: string, ns: string): string {
  return name.includes('.') || ns === '' ? name : `${ns}.${name}`;
}

/** For a union `[null, X]` (either order): X and the index of null; otherwise null. */
export function nullableBranch(node: AvroNode): { inner: AvroNode; nullIndex: number } | null {
  if (node.t !== 'union' || node.branches.length !== 2) return null;
  const i = node.branches.findIndex((b) => b.t === 'null');
  if (i < 0) return null;
  return { inner: node.branches[1 - i], nullIndex: i };
}
