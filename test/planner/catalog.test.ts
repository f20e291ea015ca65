/** The catalog contract: tables from CREATE TABLE, `$rowtime` and its default watermark, upsert tables. */
import { describe, expect, it } from 'vitest';
import { T, displayType } from '../../src/operators/index.ts';
import {
  MemoryCatalog, PlanError, ROWTIME_COLUMN, displayPlan, outputSchema, planInsert, planQuery, tableFromCreate,
} from '../../src/planner/index.ts';
import { parseStatement } from '../../src/sql/index.ts';
import type { CreateTableNode, InsertNode, QueryNode } from '../../src/sql/index.ts';

const create = (sql: string): CreateTableNode => parseStatement(sql) as CreateTableNode;

describe('tableFromCreate', () => {
  it('adds $rowtime with SOURCE_WATERMARK() when no watermark is declared', () => {
    const t = tableFromCreate(create('CREATE TABLE t (a INT, b VARCHAR, c DECIMAL(5, 2) NOT NULL) WITH (\'kafka.retention.time\' = \'1 d\')'));
    expect(t.columns.map((c) => `${c.name} ${displayType(c.type)} ${c.kind}`)).toEqual([
      'a INT physical', 'b STRING physical', 'c DECIMAL(5, 2) NOT NULL physical', '$rowtime TIMESTAMP_LTZ(3) NOT NULL metadata',
    ]);
    expect(t.watermark?.column).toBe(ROWTIME_COLUMN);
    expect(t.changelogMode).toBe('append');
    expect(t.options).toEqual({ 'kafka.retention.time': '1 d' });
  });

  it('a PRIMARY KEY makes an upsert table with NOT NULL key columns', () => {
    const t = tableFromCreate(create('CREATE TABLE t (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED)'));
    expect(t.changelogMode).toBe('upsert');
    expect(t.primaryKey).toEqual(['id']);
    expect(t.columns[0].type).toEqual(T.bigint(false));
  });

  it('rejects a primary key or watermark on a missing column', () => {
    expect(() => tableFromCreate(create('CREATE TABLE t (id BIGINT, PRIMARY KEY (nope) NOT ENFORCED)'))).toThrow(PlanError);
    expect(() => tableFromCreate(create("CREATE TABLE t (id BIGINT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"))).toThrow(/no such column/);
  });
});

describe('planning against a catalog', () => {
  const catalog = new MemoryCatalog()
    .addTable(tableFromCreate(create("CREATE TABLE bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)")))
    .addTable(tableFromCreate(create('CREATE TABLE totals (auction BIGINT, total BIGINT, PRIMARY KEY (auction) NOT ENFORCED)')));

  it('outputSchema gives names and types, time attributes included', () => {
    const plan = planQuery(parseStatement('SELECT auction, ts, price * 2 AS p FROM bid') as QueryNode, catalog);
    expect(outputSchema(plan).map((c) => `${c.name} ${displayType(c.type)}`)).toEqual(['auction BIGINT', 'ts TIMESTAMP(3) *ROWTIME*', 'p BIGINT']);
  });

  it('planInsert maps columns onto the target and accepts updating results for an upsert table', () => {
    const { target, plan } = planInsert(parseStatement('INSERT INTO totals SELECT auction, SUM(price) FROM bid GROUP BY auction') as InsertNode, catalog);
    expect(target.name).toBe('totals');
    expect(plan.changelog.kind).toBe('retract');
    expect(outputSchema(plan).map((c) => c.name)).toEqual(['auction', 'total']);
    expect(displayPlan(plan)).toContain('Aggregate: keys=[auction] aggs=[SUM(price)]');
  });

  it('planInsert fills unlisted columns with NULL', () => {
    const { plan } = planInsert(parseStatement('INSERT INTO totals (auction) SELECT auction FROM bid') as InsertNode, catalog);
    expect(displayPlan(plan).split('\n')[0]).toBe('Calc: select=[auction, NULL AS total]');
  });

  it('errors carry line and column', () => {
    try {
      planQuery(parseStatement('SELECT auction\nFROM bid\nWHERE pric > 1') as QueryNode, catalog);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PlanError);
      expect((err as PlanError).code).toBe('PLAN_ERROR');
      expect((err as PlanError).line).toBe(3);
      expect((err as PlanError).column).toBe(7);
    }
  });
});

describe('buildPipeline', () => {
  it('leaves out the WatermarkAssignerExec above a source that emits its own watermarks', async () => {
    const { CollectSink } = await import('../../src/operators/index.ts');
    const { buildPipeline, createPhysicalPlan } = await import('../../src/planner/index.ts');
    const catalog = new MemoryCatalog().addTable(tableFromCreate(create("CREATE TABLE bid (auction BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)")));
    const plan = createPhysicalPlan(planQuery(parseStatement('SELECT auction FROM bid') as QueryNode, catalog));
    const make = (emitsWatermarks: boolean) => buildPipeline(plan, {
      source: ({ columns }) => ({
        name: 'test', emitsWatermarks, outputColumns: columns.map((name) => ({ name, type: name === 'ts' ? T.timestamp(3) : T.bigint() })),
        poll: () => Promise.resolve([]), offsets: () => ({}), restoreOffsets: () => undefined, close: () => Promise.resolve(),
      }),
      sink: () => new CollectSink(),
    }).display();
    expect(make(false)).toContain('WatermarkAssignerExec');
    expect(make(true)).not.toContain('WatermarkAssignerExec');
  });
});
