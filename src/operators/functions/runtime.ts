/**
 * The helper object generated code calls as `rt.name(...)`: the runtime halves of every function
 * family, merged once. Helper names are unique across families.
 */
import { arithmeticRuntime } from './arithmetic.ts';
import { castRuntime } from './cast.ts';
import { comparisonRuntime } from './comparison.ts';
import { conditionalRuntime } from './conditional.ts';
import { jsonRuntime } from './json.ts';
import { mathRuntime } from './math.ts';
import { stringRuntime } from './string.ts';
import { temporalRuntime } from './temporal.ts';

export const RUNTIME = Object.freeze({
  ...castRuntime,
  ...arithmeticRuntime,
  ...comparisonRuntime,
  ...conditionalRuntime,
  ...jsonRuntime,
  ...mathRuntime,
  ...stringRuntime,
  ...temporalRuntime,
});
