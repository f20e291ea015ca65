/**
 * Top-N, deduplication and OVER aggregation in plans: the rank rule's rewrite, the operator each
 * Rank becomes, EXPLAIN's state notes (UNBOUNDED state, and the state TTL when set).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCatalog, RULES, displayPlan, explain, planQuery, tableFromCreate } from '../../src/planner/index.ts';
import type { PhysicalPlannerOptions } from '../../src/planner/index.ts';
import { parseSql } from '../../src/sql/index.ts';
import type { QueryNode } from '../../src/sql/index.ts';

function catalog(): MemoryCatalog {
  const c = new MemoryCatalog();
  for (const s of parseSql(`CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, \`dateTime\` TIMESTAMP(3), extra STRING,
    WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND)`)) c.addTable(tableFromCreate(s as never));
  return c;
}

function explainFile(name: string, options: PhysicalPlannerOptions = {}): string {
  const cat = catalog();
  const stmts = parseSql(readFileSync(join(import.meta.dirname, `../../queries/nexmark/${name}.sql`), 'utf8'));
  for (const s of stmts) if (s.kind === 'CreateTable') cat.addTable(tableFromCreate(s));
  const insert = stmts.find((s) => s.kind === 'Insert');
  if (insert === undefined) throw new Error('no INSERT');
  return explain(insert, cat, options);
}

describe('rank rule', () => {
  it('turns a filter on ROW_NUMBER into a Rank and keeps the other conjuncts above it', () => {
    const sql = 'SELECT * FROM (SELECT auction, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bid) WHERE rn <= 3 AND price > 5';
    const plan = planQuery(parseSql(sql)[0] as QueryNode, catalog(), { optimize: false });
    const pushed = (RULES.find((r) => r.name === 'predicate-pushdown') as (typeof RULES)[number]).apply(plan);
    const rank = (RULES.find((r) => r.name === 'rank') as (typeof RULES)[number]).apply(pushed);
    expect(displayPlan(rank)).toMatchInlineSnapshot(`
      "Project: auction, price, rn
        Project: auction, price, rn
          Filter: price > 5
            Rank: ROW_NUMBER partition=[auction] order=[price DESC] range=[1, 3] rank=rn strategy=topn
              WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
                Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]"
    `);
    expect(rank.schema).toEqual(plan.schema);
  });
});

describe('EXPLAIN of Top-N and deduplication', () => {
  it('q18: a deduplication keeping the last row', () => {
    expect(explainFile('q18')).toMatchInlineSnapshot(`
      "== Logical Plan ==
      Calc: select=[auction, bidder, price, channel, url, dateTime, extra] changelog=retract
        Rank: ROW_NUMBER partition=[bidder, auction] order=[dateTime DESC] range=[1, 1] rank=hidden strategy=deduplicate(keep last row by dateTime) changelog=retract
          WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
            Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra] changelog=append

      == Physical Plan ==
      Sink: table nexmark_q18 upsert on [bidder, auction] changelog=retract
        CalcExec: select=[auction, bidder, price, channel, url, dateTime, extra] changelog=upsert[bidder, auction]
          DeduplicateExec: keep=last row updates=upsert (no -U) keys=[bidder, auction] order=dateTime changelog=upsert[bidder, auction] state=[in memory per key: the last row's time; UNBOUNDED: one entry per key, kept forever (set 'sql.state-ttl' to expire idle keys); bounded by stateBytesMax=512 MiB]
            WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
              SourceExec: bid columns=[auction, bidder, price, channel, url, dateTime, extra] changelog=append"
    `);
  });

  it('q19: a Top-10 with the rank column, state marked UNBOUNDED', () => {
    expect(explainFile('q19')).toMatchInlineSnapshot(`
      "== Logical Plan ==
      Calc: select=[auction, bidder, price, channel, url, dateTime, extra, rank_number] changelog=retract
        Rank: ROW_NUMBER partition=[auction] order=[price DESC] range=[1, 10] rank=rank_number strategy=topn changelog=retract
          WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
            Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra] changelog=append

      == Physical Plan ==
      Sink: table nexmark_q19 upsert on [auction, rank_number] changelog=retract
        CalcExec: select=[auction, bidder, price, channel, url, dateTime, extra, rank_number] changelog=upsert[auction, rank_number]
          RankExec: ROW_NUMBER partition=[auction] order=[price DESC] range=[1, 10] rank=rank_number updates=upsert (no -U) changelog=upsert[auction, rank_number] state=[in memory per partition: its top 10 rows; UNBOUNDED: one entry per key, kept forever (set 'sql.state-ttl' to expire idle keys); bounded by stateBytesMax=512 MiB]
            WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
              SourceExec: bid columns=[auction, bidder, price, channel, url, dateTime, extra] changelog=append"
    `);
  });

  it('with a state TTL the state note says when keys expire', () => {
    expect(explainFile('q19', { stateTtlMs: 3_600_000 }).split('\n').find((l) => l.includes('RankExec'))).toMatchInlineSnapshot(`"    RankExec: ROW_NUMBER partition=[auction] order=[price DESC] range=[1, 10] rank=rank_number updates=upsert (no -U) changelog=upsert[auction, rank_number] state=[in memory per partition: its top 10 rows; one entry per key, expired 1 h after its last write (state TTL); bounded by stateBytesMax=512 MiB]"`);
  });
});
