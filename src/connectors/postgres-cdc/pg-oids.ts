/**
 * Built-in PostgreSQL type OIDs (stable across versions: `src/include/catalog/pg_type.dat`) and
 * the element type of each built-in array type. Types outside this list (enums, domains,
 * extension types, their arrays) are looked up in `pg_type` by `type-catalog.ts`.
 */
export const Oid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  cidr: 650,
  float4: 700,
  float8: 701,
  macaddr8: 774,
  money: 790,
  macaddr: 829,
  inet: 869,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  bit: 1560,
  varbit: 1562,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
  int4range: 3904,
  numrange: 3906,
  tsrange: 3908,
  tstzrange: 3910,
  daterange: 3912,
  int8range: 3926,
} as const;

/** Array type OID → element type OID, for the built-in arrays. */
export const builtinArrayElements: ReadonlyMap<number, number> = new Map([
  [1000, Oid.bool],
  [1001, Oid.bytea],
  [1002, Oid.char],
  [1003, Oid.name],
  [1005, Oid.int2],
  [1007, Oid.int4],
  [1009, Oid.text],
  [1014, Oid.bpchar],
  [1015, Oid.varchar],
  [1016, Oid.int8],
  [1021, Oid.float4],
  [1022, Oid.float8],
  [1028, Oid.oid],
  [1041, Oid.inet],
  [651, Oid.cidr],
  [1040, Oid.macaddr],
  [1115, Oid.timestamp],
  [1182, Oid.date],
  [1183, Oid.time],
  [1185, Oid.timestamptz],
  [1187, Oid.interval],
  [1231, Oid.numeric],
  [1270, Oid.timetz],
  [199, Oid.json],
  [2951, Oid.uuid],
  [3807, Oid.jsonb],
]);

const builtinScalars = new Set<number>(Object.values(Oid));

export function isBuiltinType(oid: number): boolean {
  return builtinScalars.has(oid) || builtinArrayElements.has(oid);
}
