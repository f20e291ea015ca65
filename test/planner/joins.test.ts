/**
 * Plans of joins: which join operator a query gets (regular, interval, window, temporal), the
 * keys and residual conditions, changelog modes, and the state EXPLAIN reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryCatalog, explain, tableFromCreate } from '../../src/planner/index.ts';
import { parseSql } from '../../src/sql/index.ts';
import type { Statement } from '../../src/sql/index.ts';

const ROOT = join(import.meta.dirname, '../../queries/nexmark');

import { NEXMARK_DDL as DDL } from './nexmark-ddl.ts';

function catalog(): MemoryCatalog {
  const c = new MemoryCatalog();
  for (const s of parseSql(DDL)) if (s.kind === 'CreateTable') c.addTable(tableFromCreate(s));
  return c;
}

/** EXPLAIN of the INSERT of a Nexmark query file (its sink table created first). */
function explainQuery(q: string): string {
  const c = catalog();
  let insert: Statement | undefined;
  for (const s of parseSql(readFileSync(join(ROOT, `${q}.sql`), 'utf8'))) {
    if (s.kind === 'CreateTable') c.addTable(tableFromCreate(s));
    else if (s.kind === 'Insert') insert = s;
  }
  if (insert === undefined) throw new Error(`${q} has no INSERT`);
  return explain(insert, c);
}

const physical = (text: string): string[] => text.slice(text.indexOf('== Physical Plan ==')).split('\n').slice(1);

describe('join plans', () => {
  it('q3: a regular inner join with the filters pushed into both inputs; state grows without bound', () => {
    const lines = physical(explainQuery('q3'));
    expect(lines).toEqual([
      'Sink: table nexmark_q3 changelog=append',
      '  CalcExec: select=[name, city, state, id] changelog=append',
      '    JoinExec: INNER keys=[seller = id] left=append-only right=append-only changelog=append state=[in memory: rows of both inputs per join key, UNBOUNDED: kept forever, grows without bound (set \'sql.state-ttl\' to expire idle keys); bounded by stateBytesMax=512 MiB; checkpointed with the source offsets]',
      '      CalcExec: select=[id, seller] where=category = 10 changelog=append',
      "        WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]",
      '          SourceExec: auction columns=[id, dateTime, seller, category] changelog=append',
      "      CalcExec: select=[id, name, city, state] where=((state = 'OR') OR (state = 'ID')) OR (state = 'CA') changelog=append",
      "        WatermarkAssignerExec: rowtime=dateTime delay=4 s changelog=append state=[max event time per source partition]",
      '          SourceExec: person columns=[id, name, city, state, dateTime] changelog=append',
    ]);
  });

  it('q4: FROM a, b WHERE ... is a regular join whose time condition stays a residual (expires is no time attribute); the aggregations above it retract', () => {
    const text = explainQuery('q4');
    expect(text).toContain('Join: INNER regular on=[(id = auction) AND (dateTime0 BETWEEN dateTime AND expires)] changelog=append');
    expect(text).toContain('JoinExec: INNER keys=[id = auction] where=dateTime0 BETWEEN dateTime AND expires left=append-only right=append-only changelog=append');
    expect(text).toContain('GroupAggregateExec: keys=[id, category] aggs=[MAX(price) AS $a0] mode=Single emit=per-row changelog=retract');
  });

  it('with a state TTL the regular join says when rows expire', () => {
    const text = explain(parseSql('SELECT A.id, P.name FROM auction A JOIN person P ON A.seller = P.id')[0], catalog(), { stateTtlMs: 3_600_000 });
    expect(text).toContain("state=[in memory: rows of both inputs per join key, expired 1 h after the key's last write (state TTL);");
  });

  it('q20: an equi-join with a filter on one side', () => {
    const text = explainQuery('q20');
    expect(text).toContain('JoinExec: INNER keys=[auction = id] left=append-only right=append-only changelog=append');
    expect(text).toContain('where=category = 10');
  });

  it('outer joins and joins of updating inputs produce a retract changelog', () => {
    const c = catalog();
    const left = explain(parseSql('SELECT A.id, P.name FROM auction A LEFT JOIN person P ON A.seller = P.id')[0], c);
    expect(left).toContain('JoinExec: LEFT keys=[seller = id] left=append-only right=append-only changelog=retract');
    const updating = explain(parseSql('SELECT P.name, C.n FROM person P JOIN (SELECT seller, COUNT(*) AS n FROM auction GROUP BY seller) C ON C.seller = P.id')[0], c);
    expect(updating).toContain('JoinExec: INNER keys=[id = seller] left=append-only right=updating changelog=retract');
  });

  it('q8: a window join of two window aggregations, state freed per window', () => {
    const text = explainQuery('q8');
    expect(text).toContain('Join: INNER window on=[((id = seller) AND (starttime = starttime0)) AND (endtime = endtime0)] changelog=append');
    expect(text).toContain('WindowJoinExec: INNER TUMBLE(10 s) keys=[id = seller] window_end=[endtime = endtime] emit=on-watermark changelog=append state=[in memory: rows of both inputs per window, freed when the watermark passes window_end;');
  });

  it('q5: the maximum per window is a window aggregation of a window aggregation, then a window join with a residual', () => {
    const text = explainQuery('q5');
    expect(text).toContain('WindowAggregateExec: HOP(slide 2 s, size 10 s) keys=[] aggs=[MAX(num) AS $a0] mode=Single emit=on-watermark changelog=append');
    expect(text).toContain('WindowJoinExec: INNER HOP(slide 2 s, size 10 s) keys=[] window_end=[endtime = endtime] where=num >= maxn emit=on-watermark changelog=append');
  });

  it('interval, temporal and lookup joins name their operator and state', () => {
    const c = catalog();
    for (const s of parseSql(`CREATE TABLE rates (currency STRING, rate BIGINT, uts TIMESTAMP(3), WATERMARK FOR uts AS uts, PRIMARY KEY (currency) NOT ENFORCED);
      CREATE TABLE payments (pid BIGINT, currency STRING, pts TIMESTAMP(3), WATERMARK FOR pts AS pts)`)) if (s.kind === 'CreateTable') c.addTable(tableFromCreate(s));
    const interval = explain(parseSql("SELECT B.price FROM bid B JOIN auction A ON B.auction = A.id AND B.`dateTime` BETWEEN A.`dateTime` AND A.`dateTime` + INTERVAL '1' HOUR")[0], c);
    expect(interval).toContain('IntervalJoinExec: INNER keys=[auction = id] time=[dateTime - dateTime BETWEEN 0 h AND 1 h] emit=on-match, padded rows when the watermark passes changelog=append state=[in memory: rows of both inputs per join key, freed when the watermark passes their time bound;');
    const temporal = explain(parseSql('SELECT p.pid, r.rate FROM payments p JOIN rates FOR SYSTEM_TIME AS OF p.pts AS r ON p.currency = r.currency')[0], c);
    expect(temporal).toContain('Join: INNER temporal for system_time as of pts on=[currency = currency0] changelog=append');
    expect(temporal).toContain('TemporalJoinExec: INNER event-time as of pts version=uts keys=[currency = currency] emit=on-watermark changelog=append state=[in memory: left rows until the watermark passes their time, right versions per key');
    const lookup = explain(parseSql('SELECT p.pid, r.rate FROM (SELECT *, PROCTIME() AS pt FROM payments) p LEFT JOIN rates FOR SYSTEM_TIME AS OF p.pt AS r ON p.currency = r.currency')[0], c);
    expect(lookup).toContain('LookupJoinExec: LEFT processing-time as of pt keys=[currency = currency] changelog=append state=[in memory: the current right row per key, kept forever: grows with the right table;');
  });
});
