/**
 * Plan-text tests: each optimizer rule on its own (plan before and after), and EXPLAIN output
 * (logical and physical plans with changelog modes and state) for representative queries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCatalog, RULES, displayPlan, explain, planQuery, tableFromCreate } from '../../src/planner/index.ts';
import { parseSql } from '../../src/sql/index.ts';
import type { QueryNode } from '../../src/sql/index.ts';

const BID = `CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, \`dateTime\` TIMESTAMP(3), extra STRING,
  WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND)`;

function catalog(): MemoryCatalog {
  const c = new MemoryCatalog();
  for (const s of parseSql(BID)) if (s.kind === 'CreateTable') c.addTable(tableFromCreate(s));
  return c;
}

const RULE_CASES: { rule: string; sql: string; before: string; after: string }[] = [
  {
    rule: 'constant-folding',
    sql: `SELECT auction, price * (2 + 3) AS p FROM bid WHERE price > 10 * 10 AND 1 < 2`,
    before: `Project: auction, price * (2 + 3) AS p
  Filter: (price > (10 * 10)) AND (1 < 2)
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
      Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: auction, price * 5 AS p
  Filter: price > 100
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
      Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'constant-folding',
    sql: `SELECT CAST('2024-01-02' AS DATE), UPPER('abc') || channel, 1 / 0 FROM bid WHERE TRUE OR price > 1`,
    before: `Project: CAST('2024-01-02' AS DATE) AS EXPR$0, UPPER('abc') || channel AS EXPR$1, 1 / 0 AS EXPR$2
  Filter: TRUE OR (price > 1)
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
      Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: DATE '2024-01-02' AS EXPR$0, 'ABC' || channel AS EXPR$1, 1 / 0 AS EXPR$2
  WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
    Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'predicate-pushdown',
    sql: `SELECT a, p FROM (SELECT auction AS a, price * 2 AS p FROM bid) WHERE p > 100 AND a = 7`,
    before: `Project: a, p
  Filter: (p > 100) AND (a = 7)
    Project: auction AS a, price * 2 AS p
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: a, p
  Project: auction AS a, price * 2 AS p
    Filter: ((price * 2) > 100) AND (auction = 7)
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'predicate-pushdown',
    sql: `SELECT * FROM (SELECT auction, channel FROM bid UNION ALL SELECT bidder, channel FROM bid) WHERE channel = 'Google'`,
    before: `Project: auction, channel
  Filter: channel = 'Google'
    Union: all, 2 inputs
      Project: auction, channel
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]
      Project: bidder, channel
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: auction, channel
  Union: all, 2 inputs
    Project: auction, channel
      Filter: channel = 'Google'
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]
    Project: bidder, channel
      Filter: channel = 'Google'
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'predicate-pushdown',
    sql: `SELECT auction, window_start FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(\`dateTime\`), INTERVAL '10' SECOND)) WHERE price > 5 AND window_start > TIMESTAMP '2024-01-01 00:00:00'`,
    before: `Project: auction, window_start
  Filter: (price > 5) AND (window_start > CAST('2024-01-01 00:00:00' AS TIMESTAMP(3)))
    WindowTableFunction: TUMBLE(10 s) time=dateTime
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: auction, window_start
  Filter: window_start > CAST('2024-01-01 00:00:00' AS TIMESTAMP(3))
    WindowTableFunction: TUMBLE(10 s) time=dateTime
      Filter: price > 5
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'window-aggregate',
    sql: `SELECT window_end, auction, COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(\`dateTime\`), INTERVAL '10' SECOND)) GROUP BY window_start, auction, window_end`,
    before: `Project: window_end, auction, $a0 AS EXPR$2
  Aggregate: keys=[window_start, auction, window_end] aggs=[COUNT(*)]
    WindowTableFunction: TUMBLE(10 s) time=dateTime
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: window_end, auction, $a0 AS EXPR$2
  Project: window_start, auction, window_end, $a0
    WindowAggregate: TUMBLE(10 s) keys=[auction] aggs=[COUNT(*)]
      WindowTableFunction: TUMBLE(10 s) time=dateTime
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'window-aggregate',
    sql: `SELECT bidder, HOP_END(\`dateTime\`, INTERVAL '5' SECOND, INTERVAL '10' SECOND), COUNT(*) FROM bid GROUP BY HOP(\`dateTime\`, INTERVAL '5' SECOND, INTERVAL '10' SECOND), bidder`,
    before: `Project: bidder, window_end AS EXPR$1, $a0 AS EXPR$2
  Aggregate: group window=HOP(slide 5 s, size 10 s) time=dateTime keys=[bidder] aggs=[COUNT(*)]
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
      Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: bidder, window_end AS EXPR$1, $a0 AS EXPR$2
  WindowAggregate: HOP(slide 5 s, size 10 s) keys=[bidder] aggs=[COUNT(*)]
    WindowTableFunction: HOP(slide 5 s, size 10 s) time=dateTime
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'window-aggregate',
    sql: `SELECT bidder, window_start, COUNT(*) FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(\`dateTime\`), INTERVAL '30' SECOND)) GROUP BY bidder, window_start, window_end`,
    before: `Project: bidder, window_start, $a0 AS EXPR$2
  Aggregate: keys=[bidder, window_start, window_end] aggs=[COUNT(*)]
    WindowTableFunction: SESSION(gap 30 s) time=dateTime
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: bidder, window_start, $a0 AS EXPR$2
  Project: bidder, window_start, window_end, $a0
    WindowAggregate: SESSION(gap 30 s) time=dateTime keys=[bidder] aggs=[COUNT(*)]
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'window-aggregate',
    sql: `SELECT window_start, COUNT(*) FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(\`dateTime\`), INTERVAL '1' MINUTE, INTERVAL '1' HOUR)) GROUP BY window_start`,
    before: `Project: window_start, $a0 AS EXPR$1
  Aggregate: keys=[window_start] aggs=[COUNT(*)]
    WindowTableFunction: CUMULATE(step 1 min, size 1 h) time=dateTime
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: window_start, $a0 AS EXPR$1
  Aggregate: keys=[window_start] aggs=[COUNT(*)]
    WindowTableFunction: CUMULATE(step 1 min, size 1 h) time=dateTime
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
  {
    rule: 'projection-pushdown',
    sql: `SELECT auction FROM (SELECT * FROM bid) WHERE price > 5`,
    before: `Project: auction
  Filter: price > 5
    Project: auction, bidder, price, channel, url, dateTime, extra
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: auction
  Project: auction
    Filter: price > 5
      Project: auction, price
        Project: auction, price
          WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
            Scan: bid columns=[auction, price, dateTime]`,
  },
  {
    rule: 'projection-pushdown',
    sql: `SELECT channel, MAX(price) FROM bid GROUP BY channel`,
    before: `Project: channel, $a0 AS EXPR$1
  Aggregate: keys=[channel] aggs=[MAX(price)]
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
      Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Project: channel, $a0 AS EXPR$1
  Aggregate: keys=[channel] aggs=[MAX(price)]
    Project: price, channel
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
        Scan: bid columns=[price, channel, dateTime]`,
  },
  {
    rule: 'merge-calc',
    sql: `SELECT a + 1 FROM (SELECT auction AS a, price FROM bid WHERE price > 5) WHERE a < 100`,
    before: `Project: a + 1 AS EXPR$0
  Filter: a < 100
    Project: auction AS a, price
      Filter: price > 5
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
          Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
    after: `Calc: select=[auction + 1 AS EXPR$0] where=(price > 5) AND (auction < 100)
  WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND
    Scan: bid columns=[auction, bidder, price, channel, url, dateTime, extra, $rowtime]`,
  },
];

describe('optimizer rules', () => {
  it('run in a fixed order', () => {
    expect(RULES.map((r) => r.name)).toEqual(['constant-folding', 'predicate-pushdown', 'rank', 'window-aggregate', 'projection-pushdown', 'merge-calc']);
  });
  for (const c of RULE_CASES) {
    it(`${c.rule}: ${c.sql}`, () => {
      const plan = planQuery(parseSql(c.sql)[0] as QueryNode, catalog(), { optimize: false });
      expect(displayPlan(plan)).toBe(c.before);
      const rule = RULES.find((r) => r.name === c.rule);
      if (rule === undefined) throw new Error(`no rule ${c.rule}`);
      const after = rule.apply(plan);
      expect(displayPlan(after)).toBe(c.after);
      expect(after.schema).toEqual(plan.schema);
    });
  }
});

/** `sql: null` means the nexmark query file of that name. */
const EXPLAIN_CASES: { name: string; sql: string | null; expected: string }[] = [
  { name: 'q2', sql: null, expected: `== Logical Plan ==
Calc: select=[auction, price] where=MOD(auction, 123) = 0 changelog=append
  WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
    Scan: bid columns=[auction, price, dateTime] changelog=append

== Physical Plan ==
Sink: table nexmark_q2 changelog=append
  CalcExec: select=[auction, price] where=MOD(auction, 123) = 0 changelog=append
    WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
      SourceExec: bid columns=[auction, price, dateTime] changelog=append` },
  { name: 'q11', sql: null, expected: `== Logical Plan ==
Calc: select=[bidder, $a0 AS bid_count, window_start AS starttime, window_end AS endtime] changelog=append
  WindowAggregate: SESSION(gap 10 s) time=dateTime keys=[bidder] aggs=[COUNT(*)] changelog=append
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
      Scan: bid columns=[bidder, dateTime] changelog=append

== Physical Plan ==
Sink: table nexmark_q11 changelog=append
  CalcExec: select=[bidder, $a0 AS bid_count, window_start AS starttime, window_end AS endtime] changelog=append
    WindowAggregateExec: SESSION(gap 10 s) time=dateTime keys=[bidder] aggs=[COUNT(*) AS $a0] mode=Single emit=on-watermark changelog=append state=[in memory per window and key, freed when the watermark passes window_end; bounded by stateBytesMax=512 MiB; checkpointed with the source offsets]
      WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
        SourceExec: bid columns=[bidder, dateTime] changelog=append` },
  { name: 'q17', sql: null, expected: `== Logical Plan ==
Calc: select=[auction, $f1 AS day, $a0 AS total_bids, $a1 AS rank1_bids, $a2 AS rank2_bids, $a3 AS rank3_bids, $a4 AS min_price, $a5 AS max_price, $a6 AS avg_price, $a7 AS sum_price] changelog=retract
  Aggregate: keys=[auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd')] aggs=[COUNT(*), COUNT(*) FILTER (WHERE price < 10000), COUNT(*) FILTER (WHERE (price >= 10000) AND (price < 1000000)), COUNT(*) FILTER (WHERE price >= 1000000), MIN(price), MAX(price), AVG(price), SUM(price)] changelog=retract
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
      Scan: bid columns=[auction, price, dateTime] changelog=append

== Physical Plan ==
Sink: table nexmark_q17 upsert on [auction, day] changelog=retract
  CalcExec: select=[auction, $f1 AS day, $a0 AS total_bids, $a1 AS rank1_bids, $a2 AS rank2_bids, $a3 AS rank3_bids, $a4 AS min_price, $a5 AS max_price, $a6 AS avg_price, $a7 AS sum_price] changelog=retract
    GroupAggregateExec: keys=[auction, $f1] aggs=[COUNT(*) AS $a0, COUNT(*) FILTER (WHERE $a1$filter) AS $a1, COUNT(*) FILTER (WHERE $a2$filter) AS $a2, COUNT(*) FILTER (WHERE $a3$filter) AS $a3, MIN($a4$arg) AS $a4, MAX($a4$arg) AS $a5, AVG($a4$arg) AS $a6, SUM($a4$arg) AS $a7] mode=Single emit=per-row changelog=retract state=[in memory per key; UNBOUNDED: one entry per key, kept forever (set 'sql.state-ttl' to expire idle keys); bounded by stateBytesMax=512 MiB; checkpointed with the source offsets]
      CalcExec: select=[auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd') AS $f1, price < 10000 AS $a1$filter, (price >= 10000) AND (price < 1000000) AS $a2$filter, price >= 1000000 AS $a3$filter, price AS $a4$arg] changelog=append
        WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
          SourceExec: bid columns=[auction, price, dateTime] changelog=append` },
  { name: 'union', sql: `EXPLAIN SELECT channel, COUNT(*) FROM bid WHERE price > 100 GROUP BY channel UNION ALL SELECT channel, price FROM bid`, expected: `== Logical Plan ==
Union: all, 2 inputs changelog=retract
  Calc: select=[channel, $a0 AS EXPR$1] changelog=retract
    Aggregate: keys=[channel] aggs=[COUNT(*)] changelog=retract
      Calc: select=[channel] where=price > 100 changelog=append
        WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
          Scan: bid columns=[price, channel, dateTime] changelog=append
  Calc: select=[channel, price] changelog=append
    WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
      Scan: bid columns=[price, channel, dateTime] changelog=append

== Physical Plan ==
Sink: results to the caller changelog=retract
  UnionExec: 2 inputs changelog=retract
    CalcExec: select=[channel, $a0 AS EXPR$1] changelog=retract
      GroupAggregateExec: keys=[channel] aggs=[COUNT(*) AS $a0] mode=Single emit=per-row changelog=retract state=[in memory per key; UNBOUNDED: one entry per key, kept forever (set 'sql.state-ttl' to expire idle keys); bounded by stateBytesMax=512 MiB; checkpointed with the source offsets]
        CalcExec: select=[channel] where=price > 100 changelog=append
          WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
            SourceExec: bid columns=[price, channel, dateTime] changelog=append
    CalcExec: select=[channel, price, 0 AS $row_kind] changelog=retract
      CalcExec: select=[channel, price] changelog=append
        WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
          SourceExec: bid columns=[price, channel, dateTime] changelog=append` },
  { name: 'hop', sql: `EXPLAIN SELECT auction, window_start, COUNT(*) AS n FROM TABLE(HOP(TABLE bid, DESCRIPTOR(\`dateTime\`), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end`, expected: `== Logical Plan ==
Calc: select=[auction, window_start, $a0 AS n] changelog=append
  WindowAggregate: HOP(slide 2 s, size 10 s) keys=[auction] aggs=[COUNT(*)] changelog=append
    WindowTableFunction: HOP(slide 2 s, size 10 s) time=dateTime changelog=append
      WatermarkAssigner: rowtime=dateTime watermark=dateTime - INTERVAL '4' SECOND changelog=append
        Scan: bid columns=[auction, dateTime] changelog=append

== Physical Plan ==
Sink: results to the caller changelog=append
  CalcExec: select=[auction, window_start, $a0 AS n] changelog=append
    WindowAggregateExec: HOP(slide 2 s, size 10 s) keys=[auction] aggs=[COUNT(*) AS $a0] mode=Single emit=on-watermark changelog=append state=[in memory per window and key, freed when the watermark passes window_end; bounded by stateBytesMax=512 MiB; checkpointed with the source offsets]
      WindowAssignerExec: HOP(slide 2 s, size 10 s) time=dateTime changelog=append
        WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]
          SourceExec: bid columns=[auction, dateTime] changelog=append` },
];

describe('EXPLAIN', () => {
  for (const c of EXPLAIN_CASES) {
    it(c.name, () => {
      const cat = catalog();
      if (c.sql !== null) {
        expect(explain(parseSql(c.sql)[0], cat)).toBe(c.expected);
        return;
      }
      const stmts = parseSql(readFileSync(join(import.meta.dirname, `../../queries/nexmark/${c.name}.sql`), 'utf8'));
      for (const s of stmts) if (s.kind === 'CreateTable') cat.addTable(tableFromCreate(s));
      const insert = stmts.find((s) => s.kind === 'Insert');
      if (insert === undefined) throw new Error('no INSERT');
      expect(explain(insert, cat)).toBe(c.expected);
    });
  }
});
