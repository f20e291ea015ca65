/**
 * Window table functions (Flink docs, "Windowing TVF"):
 *
 *   TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset]))
 *   TABLE(HOP(TABLE t, DESCRIPTOR(ts), slide, size [, offset]))
 *   TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), step, maxSize [, offset]))
 *   TABLE(SESSION(TABLE t [PARTITION BY k], DESCRIPTOR(ts), gap))
 *
 * Arguments may also be named (DATA =>, TIMECOL =>, SIZE =>, SLIDE =>, STEP =>, GAP =>,
 * OFFSET =>). The output is the input plus window_start, window_end and window_time. The time
 * column must be a time attribute; a processing-time attribute gets a watermark from the wall
 * clock (see the WatermarkAssigner `proctime` strategy).
 */
import type { Expression, Pos, TableArgNode, TableFunctionArgNode, TableFunctionRefNode } from '../../sql/index.ts';
import { watermarkAssigner, windowTableFunction } from '../builders.ts';
import { PlanError, unsupported } from '../errors.ts';
import type { LogicalPlan, WindowDef } from '../logical-plan.ts';
import type { BindContext, Bound } from './context.ts';
import { intervalMs } from './literal.ts';
import { Scope } from './scope.ts';
import { bindNamedRelation, renameColumns } from './table.ts';
import type { QueryBinder } from './table.ts';

const PARAMS: Record<string, readonly string[]> = {
  TUMBLE: ['DATA', 'TIMECOL', 'SIZE', 'OFFSET'],
  HOP: ['DATA', 'TIMECOL', 'SLIDE', 'SIZE', 'OFFSET'],
  CUMULATE: ['DATA', 'TIMECOL', 'STEP', 'SIZE', 'OFFSET'],
  SESSION: ['DATA', 'TIMECOL', 'GAP'],
};

export function bindTableFunction(ref: TableFunctionRefNode, ctx: BindContext, bindQuery: QueryBinder): Bound {
  const name = ref.name.parts[ref.name.parts.length - 1].toUpperCase();
  const params = PARAMS[name];
  if (params === undefined) throw unsupported(`table function ${name}`, ref.pos);
  if (ref.lateral) throw unsupported(`LATERAL TABLE(${name}(...))`, ref.pos);
  const args = namedArgs(name, params, ref.args, ref.pos);
  const data = args.get('DATA');
  if (data === undefined || data.kind !== 'TableArg') throw new PlanError(`${name} expects TABLE <name> as its first argument`, ref.pos);
  const input = bindNamedRelation(data.table, ctx, bindQuery);
  const timecol = args.get('TIMECOL');
  if (timecol === undefined || timecol.kind !== 'Descriptor' || timecol.columns.length !== 1) {
    throw new PlanError(`${name} expects DESCRIPTOR(<time column>) as its second argument`, timecol?.pos ?? ref.pos);
  }
  const timeName = timecol.columns[0];
  const timeColumn = input.scope.resolve([timeName.value], timeName.pos);
  const timeType = input.plan.schema[timeColumn].type;
  const attr = timeType.kind === 'TIMESTAMP' || timeType.kind === 'TIMESTAMP_LTZ' ? timeType.timeAttribute : undefined;
  if (attr === undefined) {
    throw new PlanError(`the window function ${name} requires the time column '${timeName.value}' to be a time attribute (declare a WATERMARK for it, or use PROCTIME()), but it is a plain ${timeType.kind}`, timeName.pos);
  }
  if (input.plan.changelog.kind !== 'append') {
    throw new PlanError(`window function ${name} needs an append-only input, but '${data.table.parts.join('.')}' is updating (${input.plan.changelog.kind})`, data.pos);
  }
  if (data.partitionBy.length > 0 && name !== 'SESSION') throw new PlanError(`PARTITION BY is only allowed for SESSION windows`, data.pos);
  const ms = (key: string): number => intervalArg(args.get(key), key, name, ref.pos);
  const offset = args.has('OFFSET') ? ms('OFFSET') : undefined;
  const withOffset = <W extends WindowDef>(w: W): W => (offset === undefined ? w : { ...w, offsetMs: offset });
  let window: WindowDef;
  switch (name) {
    case 'TUMBLE': window = withOffset({ kind: 'tumble', sizeMs: ms('SIZE') }); break;
    case 'HOP': window = withOffset({ kind: 'hop', slideMs: ms('SLIDE'), sizeMs: ms('SIZE') }); break;
    case 'CUMULATE': window = withOffset({ kind: 'cumulate', stepMs: ms('STEP'), maxSizeMs: ms('SIZE') }); break;
    default: window = { kind: 'session', gapMs: ms('GAP') };
  }
  checkWindow(window, name, ref.pos);
  let plan: LogicalPlan = input.plan;
  if (attr === 'PROCTIME') plan = watermarkAssigner(plan, timeColumn, { kind: 'proctime' });
  plan = windowTableFunction(plan, timeColumn, window);
  const qualifier = ref.alias?.value ?? input.scope.qualifiers()[0] ?? null;
  const scope = new Scope([
    ...input.scope.fields.map((f) => ({ ...f, qualifier })),
    ...plan.schema.slice(input.plan.schema.length).map((c) => ({ qualifier, name: c.name, type: c.type, hidden: false })),
  ]);
  return renameColumns({ plan, scope }, ref.columnAliases.map((c) => c.value), ref.pos);
}

function namedArgs(fn: string, params: readonly string[], args: readonly TableFunctionArgNode[], pos: Pos): Map<string, Expression | TableArgNode> {
  const out = new Map<string, Expression | TableArgNode>();
  args.forEach((a, i) => {
    const key = a.name === undefined ? params[i] : a.name.value.toUpperCase();
    if (key === undefined || !params.includes(key)) {
      throw new PlanError(`${fn} takes (${params.join(', ')}), got an extra argument${a.name === undefined ? '' : ` '${a.name.value}'`}`, a.pos);
    }
    if (out.has(key)) throw new PlanError(`${fn}: argument ${key} given twice`, a.pos);
    out.set(key, a.value);
  });
  const required = params.filter((p) => p !== 'OFFSET');
  for (const p of required) if (!out.has(p)) throw new PlanError(`${fn} needs a ${p} argument: ${fn}(${params.join(', ')})`, pos);
  return out;
}

function intervalArg(v: Expression | TableArgNode | undefined, key: string, fn: string, pos: Pos): number {
  if (v === undefined || v.kind !== 'IntervalLiteral') throw new PlanError(`${fn}: ${key} must be an interval literal such as INTERVAL '10' SECOND`, v?.pos ?? pos);
  return intervalMs(v);
}

/** Validates sizes as the operators will, but as a PlanError at the window's position. */
export function checkWindow(w: WindowDef, fn: string, pos: Pos): void {
  const positive = (x: number, what: string): void => {
    if (!(Number.isInteger(x) && x > 0)) throw new PlanError(`${fn}: ${what} must be a positive interval, got ${x} ms`, pos);
  };
  switch (w.kind) {
    case 'tumble': positive(w.sizeMs, 'the size'); break;
    case 'hop':
      positive(w.slideMs, 'the slide'); positive(w.sizeMs, 'the size');
      if (w.sizeMs % w.slideMs !== 0) throw new PlanError(`${fn}: the size (${w.sizeMs} ms) must be a whole multiple of the slide (${w.slideMs} ms)`, pos);
      break;
    case 'cumulate':
      positive(w.stepMs, 'the step'); positive(w.maxSizeMs, 'the max size');
      if (w.maxSizeMs % w.stepMs !== 0) throw new PlanError(`${fn}: the max size (${w.maxSizeMs} ms) must be a whole multiple of the step (${w.stepMs} ms)`, pos);
      break;
    case 'session': positive(w.gapMs, 'the gap'); break;
    default: {
      const never: never = w;
      throw new PlanError(`unknown window ${JSON.stringify(never)}`);
    }
  }
}
