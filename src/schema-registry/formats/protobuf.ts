/**
 * Protobuf schemas through `protobufjs`: parsing `.proto` text with its imports resolved from the
 * schema's references (and protobufjs' copies of the well-known `google/protobuf/*.proto`),
 * the message-index paths of Confluent's wire format, a normalized printout, and compatibility
 * through `protobuf-compat.ts`.
 */
import protobuf from 'protobufjs';
import { Errors } from '../errors.ts';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from './provider.ts';
import { protobufIncompatibilities } from './protobuf-compat.ts';

export class ProtobufSchema implements ParsedSchema {
  readonly schemaType = 'PROTOBUF' as const;
  readonly canonical: string;
  readonly recordName: string | null;
  /** Every type resolved (references and well-known types included): for encoding and decoding. */
  readonly root: protobuf.Root;
  /** The types this file defines, in file order (messages and enums). */
  readonly fileTypes: ReadonlyArray<protobuf.Type | protobuf.Enum>;
  readonly packageName: string;
  /** Which referenced subject/version defined each type not in this file, by full name. */
  readonly referenceOf: ReadonlyMap<string, string>;
  private readonly source: string;
  private normalizedCache: string | undefined;

  constructor(source: string, root: protobuf.Root, fileTypes: Array<protobuf.Type | protobuf.Enum>, packageName: string, referenceOf: Map<string, string>) {
    this.source = source;
    this.canonical = source.trim();
    this.root = root;
    this.fileTypes = fileTypes;
    this.packageName = packageName;
    this.referenceOf = referenceOf;
    const first = fileTypes.find((t): t is protobuf.Type => t instanceof protobuf.Type);
    this.recordName = first === undefined ? null : first.fullName.slice(1);
  }

  get normalized(): string {
    this.normalizedCache ??= printNormalized(this.source);
    return this.normalizedCache;
  }

  /** The message type at a Confluent message-index path (`[0]` is the first top-level message). */
  messageAt(indexes: readonly number[]): protobuf.Type {
    let candidates = this.fileTypes.filter((t): t is protobuf.Type => t instanceof protobuf.Type);
    let found: protobuf.Type | undefined;
    for (const index of indexes) {
      found = candidates[index];
      if (found === undefined) throw new Error(`no message at index path [${indexes.join(', ')}]`);
      candidates = found.nestedArray.filter((t): t is protobuf.Type => t instanceof protobuf.Type && !isMapEntry(t));
    }
    if (found === undefined) throw new Error('empty message index path');
    return found;
  }

  /** A message name as a user writes it (`Order.Line`, `shop.Order`) made fully qualified. */
  qualify(name: string): string {
    const bare = name.startsWith('.') ? name.slice(1) : name;
    if (this.packageName === '' || bare.startsWith(`${this.packageName}.`)) return bare;
    const inPackage = `${this.packageName}.${bare}`;
    return this.root.lookup(inPackage) instanceof protobuf.Type ? inPackage : bare;
  }

  /** The message-index path of a message given by full name (with or without a leading dot). */
  indexesOf(fullName: string): number[] {
    const wanted = fullName.startsWith('.') ? fullName : `.${fullName}`;
    const search = (types: ReadonlyArray<protobuf.ReflectionObject>, path: number[]): number[] | null => {
      const messages = types.filter((t): t is protobuf.Type => t instanceof protobuf.Type && !isMapEntry(t));
      for (let i = 0; i < messages.length; i++) {
        if (messages[i].fullName === wanted) return [...path, i];
        const inner = search(messages[i].nestedArray, [...path, i]);
        if (inner !== null) return inner;
      }
      return null;
    };
    const found = search(this.fileTypes, []);
    if (found === null) throw new Error(`message ${fullName} is not defined in this schema`);
    return found;
  }

  backwardIncompatibilities(previous: ParsedSchema): string[] {
    if (!(previous instanceof ProtobufSchema)) return [`{errorType:'TYPE_CHANGED', description:'Incompatible schema types PROTOBUF and ${previous.schemaType}'}`];
    return protobufIncompatibilities(previous, this);
  }
}

function isMapEntry(t: protobuf.Type): boolean {
  return t.options?.map_entry === true;
}

export function parseProtobuf(schema: string, references: readonly ResolvedReference[]): ProtobufSchema {
  const root = new protobuf.Root();
  const referenceOf = new Map<string, string>();
  const provided = new Set(references.map((r) => r.name));
  const wellKnownAdded = new Set<string>();
  const addWellKnown = (imports: readonly string[] | undefined): void => {
    for (const name of imports ?? []) {
      if (provided.has(name) || wellKnownAdded.has(name)) continue;
      const json = protobuf.common.get(name) as { nested?: Record<string, protobuf.AnyNestedObject> } | null;
      if (json === null || json === undefined) throw Errors.invalidSchema(`Invalid schema: import '${name}' is neither a schema reference nor a well-known type`);
      wellKnownAdded.add(name);
      if (json.nested !== undefined) root.addJSON(json.nested);
    }
  };
  for (const ref of references) {
    if (ref.schemaType !== 'PROTOBUF') throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' is of type ${ref.schemaType}, not PROTOBUF`);
    try {
      const before = new Set(allTypeNames(root));
      const parsed = protobuf.parse(ref.schema, root, { keepCase: true });
      addWellKnown(parsed.imports);
      for (const name of allTypeNames(root)) if (!before.has(name)) referenceOf.set(name, `${ref.subject}:${ref.version}`);
    } catch (err) {
      throw Errors.invalidSchema(`Invalid schema: reference '${ref.name}' (subject '${ref.subject}' version ${ref.version}): ${messageOf(err)}`, err);
    }
  }
  let alone: protobuf.IParserResult;
  try {
    alone = protobuf.parse(schema, { keepCase: true });
    addWellKnown(alone.imports);
    addWellKnown(alone.weakImports);
    protobuf.parse(schema, root, { keepCase: true });
    root.resolveAll();
  } catch (err) {
    throw Errors.invalidSchema(`Invalid schema: ${messageOf(err)}`, err);
  }
  const packageName = alone.package ?? '';
  const aloneNs = packageName === '' ? alone.root : alone.root.lookup(packageName);
  const fileNs = packageName === '' ? root : root.lookup(packageName);
  if (!(aloneNs instanceof protobuf.Namespace) || !(fileNs instanceof protobuf.Namespace)) throw Errors.invalidSchema('Invalid schema: the package does not resolve');
  const fileTypes: Array<protobuf.Type | protobuf.Enum> = [];
  for (const t of aloneNs.nestedArray) {
    if (!(t instanceof protobuf.Type) && !(t instanceof protobuf.Enum)) continue;
    const resolved = fileNs.get(t.name);
    if (resolved instanceof protobuf.Type || resolved instanceof protobuf.Enum) fileTypes.push(resolved);
  }
  return new ProtobufSchema(schema, root, fileTypes, packageName, referenceOf);
}

export const protobufProvider: SchemaProvider = { schemaType: 'PROTOBUF', parse: parseProtobuf };

function allTypeNames(ns: protobuf.Namespace): string[] {
  const names: string[] = [];
  const walk = (n: protobuf.NamespaceBase): void => {
    for (const child of n.nestedArray) {
      if (child instanceof protobuf.Type || child instanceof protobuf.Enum) names.push(child.fullName);
      if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) walk(child);
    }
  };
  walk(ns);
  return names;
}

/**
 * A canonical printout of a `.proto` file: syntax, package, imports sorted, then each message and
 * enum with fields in tag order, so layout, comments and field order do not change identity.
 */
function printNormalized(source: string): string {
  const parsed = protobuf.parse(source, { keepCase: true });
  const syntax = /syntax\s*=\s*"proto2"/.test(source) ? 'proto2' : 'proto3';
  const lines: string[] = [`syntax = "${syntax}";`];
  if (parsed.package) lines.push(`package ${parsed.package};`);
  for (const imp of [...(parsed.imports ?? [])].sort()) lines.push(`import "${imp}";`);
  const ns = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root;
  if (ns instanceof protobuf.Namespace) for (const t of ns.nestedArray) printType(t, '', lines, syntax);
  return `${lines.join('\n')}\n`;
}

function printType(t: protobuf.ReflectionObject, indent: string, lines: string[], syntax: string): void {
  if (t instanceof protobuf.Enum) {
    lines.push(`${indent}enum ${t.name} {`);
    for (const [name, value] of Object.entries(t.values).sort((a, b) => a[1] - b[1])) lines.push(`${indent}  ${name} = ${value};`);
    lines.push(`${indent}}`);
  } else if (t instanceof protobuf.Type) {
    if (isMapEntry(t)) return;
    lines.push(`${indent}message ${t.name} {`);
    const oneofs = t.oneofsArray.filter((o) => !isSyntheticOneof(o));
    const inOneof = new Set(oneofs.flatMap((o) => o.fieldsArray.map((f) => f.name)));
    for (const f of [...t.fieldsArray].sort((a, b) => a.id - b.id)) if (!inOneof.has(f.name)) lines.push(`${indent}  ${printField(f, syntax)}`);
    for (const o of [...oneofs].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      lines.push(`${indent}  oneof ${o.name} {`);
      for (const f of [...o.fieldsArray].sort((a, b) => a.id - b.id)) lines.push(`${indent}    ${f.type} ${f.name} = ${f.id};`);
      lines.push(`${indent}  }`);
    }
    for (const nested of t.nestedArray) printType(nested, `${indent}  `, lines, syntax);
    lines.push(`${indent}}`);
  }
}

function printField(f: protobuf.Field, syntax: string): string {
  if (f instanceof protobuf.MapField) return `map<${f.keyType}, ${f.type}> ${f.name} = ${f.id};`;
  const label = ruleOf(f) === 'repeated' ? 'repeated ' : ruleOf(f) === 'required' ? 'required ' : f.options?.proto3_optional === true || (syntax === 'proto2' && ruleOf(f) !== 'repeated') ? 'optional ' : '';
  return `${label}${f.type} ${f.name} = ${f.id};`;
}

export function isSyntheticOneof(o: protobuf.OneOf): boolean {
  return o.fieldsArray.length === 1 && o.fieldsArray[0].options?.proto3_optional === true;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A field's label as written (`repeated`, `required`, `optional`), if any. */
export function ruleOf(f: protobuf.Field): string | undefined {
  return (f as unknown as { rule?: string }).rule;
}
