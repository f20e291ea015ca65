/**
 * The names visible to an expression: the columns of the FROM clause, each with the table or
 * alias that qualifies it. Field i of a scope is column i of the plan it describes.
 */
import type { SqlType } from '../../operators/index.ts';
import type { Pos } from '../../sql/index.ts';
import { PlanError, didYouMean, unsupported } from '../errors.ts';

export interface ScopeField {
  readonly qualifier: string | null;
  readonly name: string;
  readonly type: SqlType;
  /** System columns (`$rowtime`) are addressable but not part of `*`. */
  readonly hidden: boolean;
}

export class Scope {
  constructor(readonly fields: readonly ScopeField[]) {}

  static of(qualifier: string | null, columns: readonly { name: string; type: SqlType }[]): Scope {
    return new Scope(columns.map((c) => ({ qualifier, name: c.name, type: c.type, hidden: c.name.startsWith('$') })));
  }

  /** The same fields under a new qualifier (a FROM alias). */
  requalify(qualifier: string | null): Scope {
    return new Scope(this.fields.map((f) => ({ ...f, qualifier })));
  }

  /** Index of the column `path` names (`price`, `B.price`). */
  resolve(path: readonly string[], pos: Pos): number {
    if (path.length === 1) return this.resolveName(path[0], null, pos);
    const [first, second] = path;
    const qualifiers = this.qualifiers();
    if (qualifiers.includes(first)) {
      if (path.length > 2) throw unsupported(`nested field access (${path.join('.')})`, pos);
      return this.resolveName(second, first, pos);
    }
    if (this.fields.some((f) => f.name === first)) throw unsupported(`nested field access (${path.join('.')})`, pos);
    throw new PlanError(`unknown table or alias '${first}' in '${path.join('.')}'${didYouMean(first, qualifiers)}`, pos);
  }

  private resolveName(name: string, qualifier: string | null, pos: Pos): number {
    const matches: number[] = [];
    this.fields.forEach((f, i) => {
      if (f.name === name && (qualifier === null || f.qualifier === qualifier)) matches.push(i);
    });
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new PlanError(`column '${name}' is ambiguous`, pos);
    const candidates = this.fields.filter((f) => qualifier === null || f.qualifier === qualifier).map((f) => f.name);
    const tables = qualifier !== null ? [qualifier] : this.qualifiers();
    const where = tables.length === 1 ? ` in table ${tables[0]}` : '';
    throw new PlanError(`unknown column '${name}'${where}${didYouMean(name, candidates)}`, pos);
  }

  qualifiers(): string[] {
    return [...new Set(this.fields.map((f) => f.qualifier).filter((q): q is string => q !== null))];
  }

  types(): SqlType[] {
    return this.fields.map((f) => f.type);
  }
}
