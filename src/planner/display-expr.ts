/**
 * Expressions as SQL-like text for plan displays: `MOD(auction, 123) = 0`,
 * `CAST(price AS DECIMAL(23, 3))`, `dateTime - INTERVAL '4' SECOND`. Columns show by name.
 */
import { displayType, withNullable } from '../operators/index.ts';
import type { PhysicalExpr, SqlType } from '../operators/index.ts';

const INFIX = /^[^A-Za-z_]+$|^(IS (NOT )?DISTINCT FROM)$/;

export function displayScalar(e: PhysicalExpr, names: readonly string[]): string {
  const d = (x: PhysicalExpr): string => nested(x, names);
  switch (e.kind) {
    case 'column': return names[e.index] ?? `$${e.index}`;
    case 'literal': return displayLiteral(e.value, e.type);
    case 'call':
      if (e.args.length === 1 && e.name === '-') return `-${d(e.args[0])}`;
      if (e.args.length === 2 && INFIX.test(e.name)) return `${d(e.args[0])} ${e.name} ${d(e.args[1])}`;
      return `${e.name}(${e.args.map((a) => displayScalar(a, names)).join(', ')})`;
    case 'cast': return `${e.safe ? 'TRY_CAST' : 'CAST'}(${displayScalar(e.expr, names)} AS ${displayType(withNullable(e.type, true))})`;
    case 'case': {
      const whens = e.whens.map((w) => ` WHEN ${displayScalar(w.when, names)} THEN ${displayScalar(w.then, names)}`).join('');
      const operand = e.operand === null ? '' : ` ${displayScalar(e.operand, names)}`;
      const otherwise = e.otherwise === null ? '' : ` ELSE ${displayScalar(e.otherwise, names)}`;
      return `CASE${operand}${whens}${otherwise} END`;
    }
    case 'and': case 'or': return e.args.map(d).join(` ${e.kind.toUpperCase()} `);
    case 'not': return `NOT ${d(e.arg)}`;
    case 'is-null': return `${d(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'in-list': return `${d(e.arg)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map((x) => displayScalar(x, names)).join(', ')})`;
    case 'like': {
      const esc = e.escape === null ? '' : ` ESCAPE '${e.escape}'`;
      return `${d(e.arg)} ${e.negated ? 'NOT ' : ''}${e.similar ? 'SIMILAR TO' : 'LIKE'} ${d(e.pattern)}${esc}`;
    }
    case 'between': return `${d(e.arg)} ${e.negated ? 'NOT ' : ''}BETWEEN ${d(e.low)} AND ${d(e.high)}`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

/** Infix children get parentheses so precedence stays visible. */
function nested(e: PhysicalExpr, names: readonly string[]): string {
  const s = displayScalar(e, names);
  const infix = (e.kind === 'call' && e.args.length === 2 && INFIX.test(e.name))
    || e.kind === 'and' || e.kind === 'or' || e.kind === 'between' || e.kind === 'like' || e.kind === 'in-list' || e.kind === 'is-null';
  return infix ? `(${s})` : s;
}

export function displayLiteral(value: unknown, type: SqlType): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type.kind) {
    case 'BOOLEAN': return value === true ? 'TRUE' : 'FALSE';
    case 'CHAR': case 'VARCHAR': return `'${String(value).replace(/'/g, "''")}'`;
    case 'DATE': return `DATE '${new Date(Number(value) * 86_400_000).toISOString().slice(0, 10)}'`;
    case 'TIMESTAMP': case 'TIMESTAMP_LTZ': {
      const iso = new Date(Number(value)).toISOString().replace('T', ' ').replace('Z', '');
      return `${type.kind} '${iso}'`;
    }
    case 'INTERVAL_DAY_TIME': return `INTERVAL ${displayDurationSql(Number(value))}`;
    case 'INTERVAL_YEAR_MONTH': return `INTERVAL '${String(value)}' MONTH`;
    default: return typeof value === 'bigint' ? value.toString() : String(value);
  }
}

function displayDurationSql(ms: number): string {
  for (const [unit, size] of [['DAY', 86_400_000], ['HOUR', 3_600_000], ['MINUTE', 60_000], ['SECOND', 1000]] as const) {
    if (ms % size === 0) return `'${ms / size}' ${unit}`;
  }
  return `'${ms / 1000}' SECOND`;
}

/** `10 s`, `2 min`, `1 h`, `1500 ms`. */
export function displayDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
