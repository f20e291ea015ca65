/**
 * The built-in function registry. `builtinFunctions()` returns one shared, fully populated
 * registry; the planner type-checks calls with `resolve(name, argTypes)`.
 */
import { registerArithmetic } from './arithmetic.ts';
import { registerComparison } from './comparison.ts';
import { registerConditional } from './conditional.ts';
import { registerJson } from './json.ts';
import { registerMath } from './math.ts';
import { FunctionRegistry } from './registry.ts';
import { registerString } from './string.ts';
import { registerTemporal } from './temporal.ts';

let shared: FunctionRegistry | null = null;

export function builtinFunctions(): FunctionRegistry {
  if (shared !== null) return shared;
  const r = new FunctionRegistry();
  registerArithmetic(r);
  registerComparison(r);
  registerConditional(r);
  registerString(r);
  registerTemporal(r);
  registerMath(r);
  registerJson(r);
  shared = r;
  return r;
}

export { FunctionRegistry } from './registry.ts';
export type { FunctionDef, ResolveResult, ArgCode, EmitContext, FunctionFamily } from './registry.ts';
