/**
 * Protobuf compatibility as Confluent applies it (`protobuf-provider/.../protobuf/diff`): the
 * differences from an original (old) to an update (new) file; compatible when every difference
 * is in the compatible set. Fields are matched by tag number: adding or removing a plain field,
 * renaming one, adding enum constants or messages are compatible; changing a field's kind
 * (scalar/message/map), its scalar wire kind (varint, zigzag, fixed32, fixed64, length-delimited),
 * its message type, removing a message, changing the package, or moving fields into an existing
 * oneof are not.
 */
import protobuf from 'protobufjs';
import type { ProtobufSchema } from './protobuf.ts';
import { isSyntheticOneof, ruleOf } from './protobuf.ts';

export const protobufCompatibleChanges: ReadonlySet<string> = new Set([
  'MESSAGE_ADDED', 'MESSAGE_MOVED', 'ENUM_ADDED', 'ENUM_REMOVED', 'ENUM_CONST_ADDED', 'ENUM_CONST_CHANGED', 'ENUM_CONST_REMOVED',
  'FIELD_ADDED', 'FIELD_REMOVED', 'FIELD_NAME_CHANGED', 'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
  'ONEOF_ADDED', 'ONEOF_REMOVED', 'ONEOF_FIELD_ADDED', 'ONEOF_FIELD_MOVED_TO_TOP_LEVEL',
]);

interface ProtoDifference {
  type: string;
  path: string;
}

const scalarKinds: Record<string, string> = {
  int32: 'GENERAL_NUMBER', int64: 'GENERAL_NUMBER', uint32: 'GENERAL_NUMBER', uint64: 'GENERAL_NUMBER', bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER', sint64: 'SIGNED_NUMBER',
  string: 'STRING_OR_BYTES', bytes: 'STRING_OR_BYTES',
  fixed32: 'FIXED32', sfixed32: 'FIXED32', fixed64: 'FIXED64', sfixed64: 'FIXED64',
  float: 'FLOAT', double: 'DOUBLE',
};

class ProtoContext {
  readonly differences: ProtoDifference[] = [];
  constructor(
    readonly original: ProtobufSchema,
    readonly update: ProtobufSchema,
    readonly inProgress: Set<string>,
  ) {}
  add(type: string, path: string): void {
    this.differences.push({ type, path });
  }
  sub(): ProtoContext {
    return new ProtoContext(this.original, this.update, this.inProgress);
  }
  get compatible(): boolean {
    return this.differences.every((d) => protobufCompatibleChanges.has(d.type));
  }
}

/** Incompatible differences from `original` (old) to `update` (new), formatted as Confluent prints them. */
export function protobufIncompatibilities(original: ProtobufSchema, update: ProtobufSchema): string[] {
  return protobufDifferences(original, update)
    .filter((d) => !protobufCompatibleChanges.has(d.type))
    .map((d) => `{errorType:'${d.type}', description:'Found incompatible change: ${d.type.toLowerCase().replace(/_/g, ' ')} at path '${d.path}' in the new schema'}`);
}

export function protobufDifferences(original: ProtobufSchema, update: ProtobufSchema): ProtoDifference[] {
  const ctx = new ProtoContext(original, update, new Set());
  if (original.packageName !== update.packageName) ctx.add('PACKAGE_CHANGED', '#/');
  compareTypes(ctx, original.fileTypes, update.fileTypes, '#');
  return ctx.differences;
}

type Nested = ReadonlyArray<protobuf.ReflectionObject>;

function compareTypes(ctx: ProtoContext, original: Nested, update: Nested, path: string): void {
  const index = (types: Nested) => {
    const messages = new Map<string, [protobuf.Type, number]>();
    const enums = new Map<string, protobuf.Enum>();
    let i = 0;
    for (const t of types) {
      if (t instanceof protobuf.Type) messages.set(t.name, [t, i++]);
      else if (t instanceof protobuf.Enum) enums.set(t.name, t);
    }
    return { messages, enums };
  };
  const o = index(original);
  const u = index(update);
  for (const name of new Set([...o.messages.keys(), ...u.messages.keys()])) {
    const om = o.messages.get(name);
    const um = u.messages.get(name);
    const at = `${path}/${name}`;
    if (um === undefined) ctx.add('MESSAGE_REMOVED', at);
    else if (om === undefined) ctx.add('MESSAGE_ADDED', at);
    else {
      compareMessage(ctx, om[0], um[0], at);
      if (om[1] !== um[1]) ctx.add('MESSAGE_MOVED', at);
    }
  }
  for (const name of new Set([...o.enums.keys(), ...u.enums.keys()])) {
    const oe = o.enums.get(name);
    const ue = u.enums.get(name);
    const at = `${path}/${name}`;
    if (ue === undefined) ctx.add('ENUM_REMOVED', at);
    else if (oe === undefined) ctx.add('ENUM_ADDED', at);
    else compareEnum(ctx, oe, ue, at);
  }
}

function compareEnum(ctx: ProtoContext, o: protobuf.Enum, u: protobuf.Enum, path: string): void {
  const byNumber = (e: protobuf.Enum) => new Map(Object.entries(e.values).map(([name, n]) => [n, name]));
  const on = byNumber(o);
  const un = byNumber(u);
  for (const n of new Set([...on.keys(), ...un.keys()])) {
    const a = on.get(n);
    const b = un.get(n);
    if (b === undefined) ctx.add('ENUM_CONST_REMOVED', `${path}/${n}`);
    else if (a === undefined) ctx.add('ENUM_CONST_ADDED', `${path}/${n}`);
    else if (a !== b) ctx.add('ENUM_CONST_CHANGED', `${path}/${n}`);
  }
}

interface FieldIndex {
  byTag: Map<number, protobuf.Field>;
  oneofOf: Map<number, string>;
  oneofs: Map<string, protobuf.OneOf>;
}

function indexFields(t: protobuf.Type): FieldIndex {
  const byTag = new Map<number, protobuf.Field>();
  const oneofOf = new Map<number, string>();
  const oneofs = new Map<string, protobuf.OneOf>();
  for (const f of t.fieldsArray) byTag.set(f.id, f);
  for (const o of t.oneofsArray) {
    if (isSyntheticOneof(o)) continue;
    oneofs.set(o.name, o);
    for (const f of o.fieldsArray) oneofOf.set(f.id, o.name);
  }
  return { byTag, oneofOf, oneofs };
}

function compareMessage(ctx: ProtoContext, o: protobuf.Type, u: protobuf.Type, path: string): void {
  const key = `${o.fullName}|${u.fullName}`;
  if (ctx.inProgress.has(key)) return;
  ctx.inProgress.add(key);
  try {
    const a = indexFields(o);
    const b = indexFields(u);
    const deletedOneofs = new Set([...a.oneofs.entries()].filter(([name, oneof]) => !b.oneofs.has(name) && !oneof.fieldsArray.some((f) => b.byTag.has(f.id))).map(([name]) => name));
    for (const oneof of b.oneofs.values()) {
      const origins = new Set<string>();
      let movedFromTop = 0;
      for (const f of oneof.fieldsArray) {
        const was = a.oneofOf.get(f.id);
        if (was !== undefined) origins.add(`oneof:${was}`);
        else if (a.byTag.has(f.id)) {
          origins.add(`field:${f.id}`);
          movedFromTop++;
        }
      }
      if (origins.size > 1) ctx.add(movedFromTop > 1 ? 'MULTIPLE_FIELDS_MOVED_TO_ONEOF' : 'FIELD_MOVED_TO_EXISTING_ONEOF', `${path}/${oneof.name}`);
    }
    for (const name of [...new Set([...a.oneofs.keys(), ...b.oneofs.keys()])].sort()) {
      if (!b.oneofs.has(name)) ctx.add('ONEOF_REMOVED', `${path}/${name}`);
      else if (!a.oneofs.has(name)) ctx.add('ONEOF_ADDED', `${path}/${name}`);
    }
    for (const tag of [...new Set([...a.byTag.keys(), ...b.byTag.keys()])].sort((x, y) => x - y)) {
      const of = a.byTag.get(tag);
      const uf = b.byTag.get(tag);
      const oOneof = a.oneofOf.get(tag);
      const uOneof = b.oneofOf.get(tag);
      if (uf === undefined && of !== undefined) {
        if (oOneof !== undefined) {
          if (!deletedOneofs.has(oOneof)) ctx.add('ONEOF_FIELD_REMOVED', `${path}/${oOneof}/${tag}`);
        } else ctx.add(ruleOf(of) === 'required' ? 'REQUIRED_FIELD_REMOVED' : 'FIELD_REMOVED', `${path}/${tag}`);
      } else if (of === undefined && uf !== undefined) {
        if (uOneof !== undefined) ctx.add('ONEOF_FIELD_ADDED', `${path}/${uOneof}/${tag}`);
        else ctx.add(ruleOf(uf) === 'required' ? 'REQUIRED_FIELD_ADDED' : 'FIELD_ADDED', `${path}/${tag}`);
      } else if (of !== undefined && uf !== undefined) {
        if (oOneof !== undefined && uOneof === undefined) ctx.add('ONEOF_FIELD_MOVED_TO_TOP_LEVEL', `${path}/${tag}`);
        compareField(ctx, of, uf, uOneof !== undefined ? `${path}/${uOneof}/${tag}` : `${path}/${tag}`);
      }
    }
    compareTypes(ctx, o.nestedArray, u.nestedArray, path);
  } finally {
    ctx.inProgress.delete(key);
  }
}

type Label = 'OPTIONAL' | 'REQUIRED' | 'REPEATED' | null;

function labelOf(f: protobuf.Field): Label {
  if (ruleOf(f) === 'repeated') return 'REPEATED';
  if (ruleOf(f) === 'required') return 'REQUIRED';
  if (ruleOf(f) === 'optional' || f.options?.proto3_optional === true) return 'OPTIONAL';
  return null;
}

type FieldShape = { kind: 'SCALAR'; scalar: string } | { kind: 'MESSAGE'; type: protobuf.Type } | { kind: 'MAP'; key: string; value: FieldShape };

function shapeOfType(typeName: string, resolved: protobuf.Type | protobuf.Enum | null): FieldShape {
  const scalar = scalarKinds[typeName];
  if (scalar !== undefined) return { kind: 'SCALAR', scalar };
  if (resolved instanceof protobuf.Enum || resolved === null) return { kind: 'SCALAR', scalar: 'GENERAL_NUMBER' };
  return { kind: 'MESSAGE', type: resolved };
}

function shapeOf(f: protobuf.Field): FieldShape {
  f.resolve();
  if (f instanceof protobuf.MapField) return { kind: 'MAP', key: f.keyType, value: shapeOfType(f.type, f.resolvedType) };
  return shapeOfType(f.type, f.resolvedType);
}

function compareField(ctx: ProtoContext, o: protobuf.Field, u: protobuf.Field, path: string): void {
  if (o.name !== u.name) ctx.add('FIELD_NAME_CHANGED', path);
  compareShapes(ctx, labelOf(o), labelOf(u), shapeOf(o), shapeOf(u), path);
}

function compareShapes(ctx: ProtoContext, ol: Label, ul: Label, o: FieldShape, u: FieldShape, path: string): void {
  if (o.kind !== u.kind) return ctx.add('FIELD_KIND_CHANGED', path);
  if (o.kind === 'SCALAR' && u.kind === 'SCALAR') {
    if (o.scalar !== u.scalar) return ctx.add('FIELD_SCALAR_KIND_CHANGED', path);
    if (ol !== null && ul !== null && ol !== ul) {
      ctx.add(o.scalar === 'STRING_OR_BYTES' ? 'FIELD_STRING_OR_BYTES_LABEL_CHANGED' : 'FIELD_NUMERIC_LABEL_CHANGED', path);
    }
    return;
  }
  if (o.kind === 'MAP' && u.kind === 'MAP') {
    compareShapes(ctx, null, null, shapeOfType(o.key, null), shapeOfType(u.key, null), path);
    return compareShapes(ctx, null, null, o.value, u.value, path);
  }
  if (o.kind === 'MESSAGE' && u.kind === 'MESSAGE') {
    const localName = (t: protobuf.Type, pkg: string) => {
      const full = t.fullName.slice(1);
      return pkg !== '' && full.startsWith(`${pkg}.`) ? full.slice(pkg.length + 1) : full;
    };
    const oPkg = packageOf(o.type);
    const uPkg = packageOf(u.type);
    if (localName(o.type, oPkg) !== localName(u.type, uPkg)) return ctx.add('FIELD_NAMED_TYPE_CHANGED', path);
    const oRef = ctx.original.referenceOf.get(o.type.fullName);
    const uRef = ctx.update.referenceOf.get(u.type.fullName);
    if (oRef !== undefined && oRef === uRef) return; // the same referenced schema version
    const sub = ctx.sub();
    compareMessage(sub, o.type, u.type, path);
    ctx.differences.push(...sub.differences);
    if (!sub.compatible) ctx.add('FIELD_NAMED_TYPE_CHANGED', path);
  }
}

/** The package of a type: its outermost enclosing namespace that is not a message. */
function packageOf(t: protobuf.Type): string {
  let ns: protobuf.NamespaceBase | null = t.parent;
  while (ns instanceof protobuf.Type) ns = ns.parent;
  return ns === null || ns.fullName === '' ? '' : ns.fullName.slice(1);
}
