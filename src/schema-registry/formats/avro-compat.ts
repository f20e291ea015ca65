/**
 * Avro reader/writer compatibility, as Avro's Java `SchemaCompatibility` defines it and as
 * Confluent applies it (`AvroSchema#isBackwardCompatible` checks reader = new, writer = old).
 *
 * Spec: Avro 1.11 "Schema Resolution". Rules:
 * - promotions writer → reader: int → long, float, double; long → float, double; float → double;
 *   string ↔ bytes; nothing else;
 * - records match fields by name (reader field aliases honoured); a reader field missing in the
 *   writer needs a default; writer-only fields are skipped;
 * - enums: every writer symbol must be a reader symbol, unless the reader enum has a default;
 * - named types (record, enum, fixed) must have the same unqualified name or a reader alias
 *   naming the writer; fixed sizes must match;
 * - unions: a writer union needs every branch readable; a reader union needs one branch that
 *   reads the (non-union) writer.
 */
import type { Type } from 'avsc';

interface AnyType {
  typeName: string;
  name?: string;
  aliases?: string[];
  fields?: Array<{ name: string; type: Type; aliases?: string[]; defaultValue(): unknown }>;
  symbols?: string[];
  default?: unknown;
  size?: number;
  itemsType?: Type;
  valuesType?: Type;
  types?: Type[];
}

type Incompatibility = { errorType: string; description: string; additionalInfo?: string };

/** Checks recursion depth so a pathological schema cannot exhaust the stack. */
const depthMax = 256;

/** The incompatibilities between `reader` (new) and `writer` (old), each formatted as Confluent prints them. */
export function avroReaderWriterIncompatibilities(reader: Type, writer: Type): string[] {
  const found: Incompatibility[] = [];
  const inProgress = new Set<string>();
  const ids = new Map<Type, number>();
  check(reader, writer, '', found, inProgress, ids, 0);
  return found.map(format);
}

function format(i: Incompatibility): string {
  return `{errorType:'${i.errorType}', description:'${i.description}'${i.additionalInfo === undefined ? '' : `, additionalInfo:'${i.additionalInfo}'`}}`;
}

function idOf(ids: Map<Type, number>, t: Type): number {
  let id = ids.get(t);
  if (id === undefined) {
    id = ids.size;
    ids.set(t, id);
  }
  return id;
}

function kind(t: Type): string {
  const name = (t as unknown as AnyType).typeName;
  if (name.startsWith('union')) return 'union';
  if (name === 'error') return 'record';
  if (name.startsWith('logical:')) return kind((t as unknown as { underlyingType: Type }).underlyingType);
  return name;
}

function unqualified(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

function namesMatch(reader: AnyType, writer: AnyType): boolean {
  if (unqualified(reader.name) === unqualified(writer.name)) return true;
  return (reader.aliases ?? []).some((alias) => alias === writer.name || unqualified(alias) === unqualified(writer.name));
}

function check(
  reader: Type,
  writer: Type,
  path: string,
  found: Incompatibility[],
  inProgress: Set<string>,
  ids: Map<Type, number>,
  depth: number,
): boolean {
  if (depth > depthMax) return true;
  const key = `${idOf(ids, reader)}:${idOf(ids, writer)}`;
  if (inProgress.has(key)) return true; // recursive types: assume compatible while checking
  inProgress.add(key);
  try {
    return checkPair(reader, writer, path, found, inProgress, ids, depth);
  } finally {
    inProgress.delete(key);
  }
}

function checkPair(
  readerType: Type,
  writerType: Type,
  path: string,
  found: Incompatibility[],
  inProgress: Set<string>,
  ids: Map<Type, number>,
  depth: number,
): boolean {
  const r = readerType as unknown as AnyType;
  const w = writerType as unknown as AnyType;
  const rk = kind(readerType);
  const wk = kind(writerType);
  const mismatch = (): boolean => {
    found.push({
      errorType: 'TYPE_MISMATCH',
      description: `The type (path '${path || '/'}') of a field in the new schema does not match with the old schema`,
      additionalInfo: `reader type: ${rk.toUpperCase()} not compatible with writer type: ${wk.toUpperCase()}`,
    });
    return false;
  };
  if (rk === wk) {
    switch (rk) {
      case 'null':
      case 'boolean':
      case 'int':
      case 'long':
      case 'float':
      case 'double':
      case 'bytes':
      case 'string':
        return true;
      case 'array':
        return check(r.itemsType as Type, w.itemsType as Type, `${path}/items`, found, inProgress, ids, depth + 1);
      case 'map':
        return check(r.valuesType as Type, w.valuesType as Type, `${path}/values`, found, inProgress, ids, depth + 1);
      case 'fixed': {
        if (!namesMatch(r, w)) return nameMismatch(r, w, path, found);
        if (r.size !== w.size) {
          found.push({
            errorType: 'FIXED_SIZE_MISMATCH',
            description: `The size of FIXED type field at path '${path}/size' in the new schema does not match with the old schema`,
            additionalInfo: `expected: ${w.size}, found: ${r.size}`,
          });
          return false;
        }
        return true;
      }
      case 'enum': {
        if (!namesMatch(r, w)) return nameMismatch(r, w, path, found);
        const readerSymbols = new Set(r.symbols ?? []);
        const missing = (w.symbols ?? []).filter((s) => !readerSymbols.has(s));
        if (missing.length > 0 && r.default === undefined) {
          found.push({
            errorType: 'MISSING_ENUM_SYMBOLS',
            description: `The new schema is missing enum symbols '[${missing.join(', ')}]' at path '${path}/symbols' in the old schema`,
            additionalInfo: `[${missing.join(', ')}]`,
          });
          return false;
        }
        return true;
      }
      case 'record':
        return checkRecord(r, w, path, found, inProgress, ids, depth);
      case 'union': {
        let ok = true;
        (w.types ?? []).forEach((branch, i) => {
          if (!readableByUnion(readerType, branch, inProgress, ids, depth)) {
            found.push({
              errorType: 'MISSING_UNION_BRANCH',
              description: `The new schema is missing a type inside a union field at path '${path}/${i}' in the old schema`,
              additionalInfo: `reader union lacking writer type: ${kind(branch).toUpperCase()}`,
            });
            ok = false;
          }
        });
        return ok;
      }
      default:
        return mismatch();
    }
  }
  if (wk === 'union') {
    // A non-union reader reads a union writer only if it reads every branch.
    let ok = true;
    (w.types ?? []).forEach((branch, i) => {
      if (!check(readerType, branch, `${path}/${i}`, found, inProgress, ids, depth + 1)) ok = false;
    });
    return ok;
  }
  switch (rk) {
    case 'long':
      return wk === 'int' ? true : mismatch();
    case 'float':
      return wk === 'int' || wk === 'long' ? true : mismatch();
    case 'double':
      return wk === 'int' || wk === 'long' || wk === 'float' ? true : mismatch();
    case 'bytes':
      return wk === 'string' ? true : mismatch();
    case 'string':
      return wk === 'bytes' ? true : mismatch();
    case 'union': {
      if (readableByUnion(readerType, writerType, inProgress, ids, depth)) return true;
      found.push({
        errorType: 'MISSING_UNION_BRANCH',
        description: `The new schema is missing a type inside a union field at path '${path || '/'}' in the old schema`,
        additionalInfo: `reader union lacking writer type: ${wk.toUpperCase()}`,
      });
      return false;
    }
    default:
      return mismatch();
  }
}

/** Whether some branch of the reader union reads `writer` (checked silently, branch by branch). */
function readableByUnion(readerUnion: Type, writer: Type, inProgress: Set<string>, ids: Map<Type, number>, depth: number): boolean {
  for (const branch of (readerUnion as unknown as AnyType).types ?? []) {
    const scratch: Incompatibility[] = [];
    if (check(branch, writer, '', scratch, inProgress, ids, depth + 1) && scratch.length === 0) return true;
  }
  return false;
}

function nameMismatch(r: AnyType, w: AnyType, path: string, found: Incompatibility[]): false {
  found.push({
    errorType: 'NAME_MISMATCH',
    description: `The name of the schema has changed (path '${path}/name')`,
    additionalInfo: `expected: ${w.name}`,
  });
  return false;
}

function checkRecord(
  r: AnyType,
  w: AnyType,
  path: string,
  found: Incompatibility[],
  inProgress: Set<string>,
  ids: Map<Type, number>,
  depth: number,
): boolean {
  if (!namesMatch(r, w)) return nameMismatch(r, w, path, found);
  const writerFields = new Map((w.fields ?? []).map((f) => [f.name, f]));
  let ok = true;
  (r.fields ?? []).forEach((field, i) => {
    let writerField = writerFields.get(field.name);
    for (const alias of field.aliases ?? []) writerField ??= writerFields.get(alias);
    if (writerField === undefined) {
      if (field.defaultValue() === undefined) {
        found.push({
          errorType: 'READER_FIELD_MISSING_DEFAULT_VALUE',
          description: `The field '${field.name}' at path '${path}/fields/${i}' in the new schema has no default value and is missing in the old schema`,
          additionalInfo: field.name,
        });
        ok = false;
      }
      return;
    }
    if (!check(field.type, writerField.type, `${path}/fields/${i}/type`, found, inProgress, ids, depth + 1)) ok = false;
  });
  return ok;
}
