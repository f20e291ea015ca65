/**
 * Protobuf -> SQL types (Confluent Cloud's mapping): proto3 scalars are NOT NULL (they have
 * defaults), `optional` scalars and message fields are nullable, `repeated` is ARRAY, `map<k, v>`
 * is MAP, enums are STRING, `google.protobuf.Timestamp` is TIMESTAMP_LTZ(3) and the wrapper types
 * (`google.protobuf.Int64Value`, ...) are their nullable scalar.
 *
 * Spec: Protocol Buffers Language Guide (proto3), "Scalar Value Types".
 */
import protobuf from 'protobufjs';
import { T } from '../../../operators/index.ts';
import type { SqlType } from '../../../operators/index.ts';

const depthMax = 64;
const wrappers: Record<string, () => SqlType> = {
  '.google.protobuf.DoubleValue': () => T.double(true),
  '.google.protobuf.FloatValue': () => T.float(true),
  '.google.protobuf.Int64Value': () => T.bigint(true),
  '.google.protobuf.UInt64Value': () => T.bigint(true),
  '.google.protobuf.Int32Value': () => T.int(true),
  '.google.protobuf.UInt32Value': () => T.bigint(true),
  '.google.protobuf.BoolValue': () => T.boolean(true),
  '.google.protobuf.StringValue': () => T.string(true),
  '.google.protobuf.BytesValue': () => T.bytes(true),
};

export class ProtobufTypeError extends Error {}

export function protobufMessageColumns(type: protobuf.Type, depth = 0): { name: string; type: SqlType }[] {
  if (depth > depthMax) throw new ProtobufTypeError(`message ${type.fullName} nests deeper than ${depthMax} (recursive?)`);
  type.resolveAll();
  return type.fieldsArray.map((f) => ({ name: f.name, type: fieldType(f, depth) }));
}

function fieldType(f: protobuf.Field, depth: number): SqlType {
  if (f instanceof protobuf.MapField) {
    return T.map(scalarType(f.keyType, false) ?? T.string(false), valueType(f, f.resolvedType, f.type, depth), false);
  }
  const elem = valueType(f, f.resolvedType, f.type, depth);
  if (f.repeated) return T.array(elem.kind === 'ROW' ? { ...elem, nullable: false } : elem, false);
  return elem;
}

function valueType(f: protobuf.Field, resolved: protobuf.Type | protobuf.Enum | null, typeName: string, depth: number): SqlType {
  const optional = f.hasPresence || f.options?.proto3_optional === true || (f as unknown as { proto3Optional?: boolean }).proto3Optional === true;
  if (resolved instanceof protobuf.Enum) return T.string(optional);
  if (resolved instanceof protobuf.Type) {
    const full = resolved.fullName;
    if (full === '.google.protobuf.Timestamp') return T.timestampLtz(3, true);
    const w = wrappers[full];
    if (w !== undefined) return w();
    return T.row(protobufMessageColumns(resolved, depth + 1), true);
  }
  const s = scalarType(typeName, optional);
  if (s === null) throw new ProtobufTypeError(`unknown Protobuf type '${typeName}' of field ${f.name}`);
  return s;
}

function scalarType(name: string, nullable: boolean): SqlType | null {
  switch (name) {
    case 'double': return T.double(nullable);
    case 'float': return T.float(nullable);
    case 'int32': case 'sint32': case 'sfixed32': return T.int(nullable);
    case 'uint32': case 'fixed32': case 'int64': case 'sint64': case 'sfixed64': case 'uint64': case 'fixed64': return T.bigint(nullable);
    case 'bool': return T.boolean(nullable);
    case 'string': return T.string(nullable);
    case 'bytes': return T.bytes(nullable);
    default: return null;
  }
}
