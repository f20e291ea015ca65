/**
 * Connector and transform configuration definitions, Kafka's `ConfigDef` in TypeScript: each
 * key has a type, a default (or none: then it is required), an importance, documentation and an
 * optional validator. `parseConfig` turns the string map a user sends into typed values plus
 * per-field errors, which the REST API returns from `PUT /connector-plugins/{type}/config/validate`.
 *
 * Example:
 *   const def = new ConfigDef()
 *     .define({ name: 'batch.size', type: 'int', default: 3000, importance: 'medium', doc: 'Rows per statement.', validator: atLeast(1) })
 *     .define({ name: 'connection.url', type: 'string', importance: 'high', doc: 'JDBC URL.' });
 *   const { values, errors } = def.parse({ 'connection.url': 'jdbc:postgresql://h/db' });
 *   values.getInt('batch.size') // 3000
 */

export type ConfigType = 'string' | 'int' | 'long' | 'double' | 'boolean' | 'list' | 'class' | 'password';
export type Importance = 'high' | 'medium' | 'low';

/** Returns an error message for a bad value, or null. Called only for values that parsed. */
export type Validator = (value: unknown, name: string) => string | null;

export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  /** Absent: the key is required. `null`: optional with no value. */
  readonly default?: unknown;
  readonly importance: Importance;
  readonly doc: string;
  readonly validator?: Validator;
  readonly group?: string;
  readonly displayName?: string;
  readonly recommendedValues?: readonly string[];
}

export class ConfigDef {
  private readonly byName = new Map<string, ConfigKey>();

  define(key: ConfigKey): this {
    if (this.byName.has(key.name)) throw new Error(`config '${key.name}' is defined twice`);
    this.byName.set(key.name, key);
    return this;
  }

  /** This definition plus every key of `other` not already defined. */
  merge(other: ConfigDef): ConfigDef {
    const out = new ConfigDef();
    for (const k of this.keys()) out.define(k);
    for (const k of other.keys()) if (!out.byName.has(k.name)) out.define(k);
    return out;
  }

  keys(): ConfigKey[] {
    return [...this.byName.values()];
  }

  get(name: string): ConfigKey | undefined {
    return this.byName.get(name);
  }

  /** Typed values and per-key error messages; unknown keys pass through as strings. */
  parse(raw: Readonly<Record<string, string>>): { values: ConfigValues; errors: Record<string, string[]> } {
    const values = new Map<string, unknown>();
    const errors: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(raw)) values.set(k, v);
    for (const key of this.byName.values()) {
      const text = raw[key.name];
      if (text === undefined) {
        if (!('default' in key)) {
          (errors[key.name] ??= []).push(`Missing required configuration "${key.name}" which has no default value.`);
          values.set(key.name, null);
        } else values.set(key.name, key.default ?? null);
        continue;
      }
      const parsed = parseValue(key, text);
      if (parsed instanceof BadValue) {
        (errors[key.name] ??= []).push(parsed.error);
        continue;
      }
      values.set(key.name, parsed);
      const problem = key.validator?.(parsed, key.name);
      if (problem) (errors[key.name] ??= []).push(problem);
    }
    return { values: new ConfigValues(values), errors };
  }
}

class BadValue {
  constructor(readonly error: string) {}
}

function parseValue(key: ConfigKey, text: string): unknown {
  const bad = (what: string) => new BadValue(`Invalid value ${text} for configuration ${key.name}: ${what}`);
  const t = text.trim();
  switch (key.type) {
    case 'string':
    case 'class':
    case 'password':
      return text;
    case 'int':
    case 'long': {
      if (!/^[-+]?\d+$/.test(t)) return bad(`Not a number of type ${key.type.toUpperCase()}`);
      const n = Number(t);
      if (key.type === 'int' && (n < -2147483648 || n > 2147483647)) return bad('Not a number of type INT');
      return n;
    }
    case 'double': {
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return bad('Not a number of type DOUBLE');
      return n;
    }
    case 'boolean':
      if (/^true$/i.test(t)) return true;
      if (/^false$/i.test(t)) return false;
      return bad('Expected value to be either true or false');
    case 'list':
      return t === '' ? [] : t.split(',').map((s) => s.trim()).filter((s) => s !== '');
    default: {
      const never: never = key.type;
      throw new Error(`unknown config type ${String(never)}`);
    }
  }
}

/** Parsed values with typed getters; getters throw when a key holds another type (a bug). */
export class ConfigValues {
  constructor(private readonly values: ReadonlyMap<string, unknown>) {}
  has(name: string): boolean {
    return this.values.get(name) !== undefined && this.values.get(name) !== null;
  }
  raw(name: string): unknown {
    return this.values.get(name);
  }
  getString(name: string): string {
    const v = this.values.get(name);
    if (typeof v !== 'string') throw new Error(`config '${name}' is not a string: ${String(v)}`);
    return v;
  }
  getOptionalString(name: string): string | null {
    const v = this.values.get(name);
    return typeof v === 'string' && v !== '' ? v : null;
  }
  getInt(name: string): number {
    const v = this.values.get(name);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return Number(v);
    throw new Error(`config '${name}' is not a number: ${String(v)}`);
  }
  getDouble(name: string): number {
    return this.getInt(name);
  }
  getBoolean(name: string): boolean {
    const v = this.values.get(name);
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new Error(`config '${name}' is not a boolean: ${String(v)}`);
  }
  getList(name: string): string[] {
    const v = this.values.get(name);
    if (Array.isArray(v)) return v as string[];
    if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (v === null || v === undefined) return [];
    throw new Error(`config '${name}' is not a list: ${String(v)}`);
  }
}

/** Validators (Kafka's `ConfigDef.Range`, `ValidString`, `NonEmptyString`). */
export function atLeast(min: number): Validator {
  return (v, name) => (typeof v === 'number' && v < min ? `Invalid value ${v} for configuration ${name}: Value must be at least ${min}` : null);
}
export function between(min: number, max: number): Validator {
  return (v, name) => (typeof v === 'number' && (v < min || v > max) ? `Invalid value ${v} for configuration ${name}: Value must be no less than ${min} and no more than ${max}` : null);
}
export function oneOf(...allowed: string[]): Validator {
  return (v, name) => {
    if (typeof v !== 'string') return null;
    if (allowed.some((a) => a.toLowerCase() === v.toLowerCase())) return null;
    return `Invalid value ${v} for configuration ${name}: String must be one of: ${allowed.join(', ')}`;
  };
}
export function nonEmpty(): Validator {
  return (v, name) => (typeof v === 'string' && v.trim() === '' ? `Invalid value ${v} for configuration ${name}: String must be non-empty` : null);
}

/** Parses `raw` and throws the first error (for transforms and tasks, whose configs were validated before). */
export function parseOrThrow(def: ConfigDef, raw: Readonly<Record<string, string>>, what: string): ConfigValues {
  const { values, errors } = def.parse(raw);
  const problems = Object.values(errors).flat();
  if (problems.length > 0) throw new ConfigError(`${what}: ${problems.join('; ')}`, errors);
  return values;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly errors: Readonly<Record<string, string[]>>,
  ) {
    super(message);
    this.name = 'ConfigException';
  }
}
