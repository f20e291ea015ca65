/**
 * Nexmark q0, q1, q2, q11, q12, q14, q15, q16, q17, q21, q22 (queries/nexmark/*.sql, unchanged)
 * plan against the bid/auction/person schemas and run over a few hand-made bids with the
 * results checked: by hand for the row-wise queries, by a plain JavaScript oracle for the
 * report queries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollectSink, valuesBatch, E, T } from '../../src/operators/index.ts';
import type { ColumnDef, PhysicalExpr } from '../../src/operators/index.ts';
import { MemoryCatalog, buildPipeline, createPhysicalPlan, planInsert, tableFromCreate } from '../../src/planner/index.ts';
import { parseSql } from '../../src/sql/index.ts';
import type { InsertNode } from '../../src/sql/index.ts';
import { ListSource, formatResult } from '../sql-logic/runner.ts';

const ROOT = join(import.meta.dirname, '../../queries/nexmark');

import { NEXMARK_DDL as DDL } from './nexmark-ddl.ts';

interface Bid { auction: number; bidder: number; price: number; channel: string; url: string; dateTime: string; extra: string }

const BIDS: Bid[] = [
  { auction: 1000, bidder: 2001, price: 100, channel: 'Google', url: 'https://www.nexmark.com/abc/def/ghi/item.htm?query=1', dateTime: '2024-01-01 08:00:01', extra: 'cc' },
  { auction: 1230, bidder: 2002, price: 2_000_000, channel: 'channel-5', url: 'https://www.nexmark.com/a/b/c/item.htm?query=1&channel_id=5', dateTime: '2024-01-01 08:00:03', extra: 'xcy' },
  { auction: 1000, bidder: 2001, price: 50_000, channel: 'Apple', url: 'https://www.nexmark.com/x/y/z/item.htm?query=1', dateTime: '2024-01-01 08:00:05', extra: '' },
  { auction: 1000, bidder: 2001, price: 60_000_000, channel: 'channel-7', url: 'https://www.nexmark.com/p/q/r/item.htm?query=1', dateTime: '2024-01-01 08:00:20', extra: 'ccc' },
  { auction: 1107, bidder: 2003, price: 9_999, channel: 'Baidu', url: 'https://www.nexmark.com/d/e/f/item.htm?query=1', dateTime: '2024-01-02 07:00:00', extra: 'abc' },
  { auction: 1230, bidder: 2002, price: 1_500_000, channel: 'channel-5', url: 'https://www.nexmark.com/g/h/i/item.htm?query=1&channel_id=5', dateTime: '2024-01-02 22:00:00', extra: 'c' },
];

const ts = (s: string): number => Date.parse(`${s}Z`.replace(' ', 'T'));

function bidRows(columns: readonly ColumnDef[]): PhysicalExpr[][] {
  return BIDS.map((b) => columns.map((c) => {
    const v = (b as unknown as Record<string, unknown>)[c.name];
    if (c.name === 'dateTime') return E.lit(ts(b.dateTime), T.timestamp(3, false));
    return E.lit(v ?? null, c.type);
  }));
}

async function runQuery(q: number): Promise<{ rows: string[]; changelog: string[] }> {
  const catalog = new MemoryCatalog();
  for (const s of parseSql(DDL)) if (s.kind === 'CreateTable') catalog.addTable(tableFromCreate(s));
  const stmts = parseSql(readFileSync(join(ROOT, `q${q}.sql`), 'utf8'));
  let insert: InsertNode | undefined;
  for (const s of stmts) {
    if (s.kind === 'CreateTable') catalog.addTable(tableFromCreate(s));
    else if (s.kind === 'CreateView') catalog.addView(s.name.parts[s.name.parts.length - 1], s.query);
    else if (s.kind === 'Insert') insert = s;
  }
  if (insert === undefined) throw new Error(`q${q} has no INSERT`);
  const { target, plan } = planInsert(insert, catalog);
  const sink = new CollectSink();
  const pipeline = buildPipeline(createPhysicalPlan(plan, { target }), {
    source: ({ table, columns }) => {
      const defs = columns.map((name) => ({ name, type: table.columns.find((c) => c.name === name)?.type ?? T.null() }));
      const rows = table.name === 'bid' ? bidRows(defs) : [];
      return new ListSource(table.name, defs, rows.length === 0 ? [] : [valuesBatch(defs, rows)]);
    },
    sink: () => sink,
  });
  await pipeline.run({ idleWaitMs: 0 });
  return { rows: formatResult(sink.batches, plan.schema, 'rowsort'), changelog: formatResult(sink.batches, plan.schema, 'changelog') };
}

describe('nexmark', () => {
  it('q0 passes every bid through', async () => {
    const { rows } = await runQuery(0);
    expect(rows).toEqual(BIDS.map((b) => `${b.auction} ${b.bidder} ${b.price} ${b.dateTime}.000 ${b.extra === '' ? "''" : b.extra}`).sort());
  });

  it('q1 converts prices to euros as DECIMAL(23, 3)', async () => {
    const { rows } = await runQuery(1);
    expect(rows.map((r) => r.split(' ')[2]).sort()).toEqual(['1362000.000', '1816000.000', '45400.000', '54480000.000', '90.800', '9079.092']);
    expect(rows.some((r) => r.startsWith('1000 2001 90.800 2024-01-01 08:00:01.000 cc'))).toBe(true);
  });

  it('q2 keeps bids on every 123rd auction (1107 = 9 * 123, 1230 = 10 * 123)', async () => {
    const { rows } = await runQuery(2);
    expect(rows).toEqual(['1107 9999', '1230 1500000', '1230 2000000']);
  });

  it('q11 counts bids per bidder session (legacy SESSION group window)', async () => {
    const { rows } = await runQuery(11);
    expect(rows).toEqual([
      '2001 2 2024-01-01 08:00:01.000 2024-01-01 08:00:15.000',
      '2001 1 2024-01-01 08:00:20.000 2024-01-01 08:00:30.000',
      '2002 1 2024-01-01 08:00:03.000 2024-01-01 08:00:13.000',
      '2002 1 2024-01-02 22:00:00.000 2024-01-02 22:00:10.000',
      '2003 1 2024-01-02 07:00:00.000 2024-01-02 07:00:10.000',
    ].sort());
  });

  it('q12 counts bids per bidder in processing-time windows', async () => {
    const { rows } = await runQuery(12);
    const perBidder = new Map<string, number>();
    for (const r of rows) {
      const [bidder, count] = r.split(' ');
      perBidder.set(bidder, (perBidder.get(bidder) ?? 0) + Number(count));
      const [, , startDay, startTime, endDay, endTime] = r.split(' ');
      expect(Date.parse(`${endDay}T${endTime}Z`) - Date.parse(`${startDay}T${startTime}Z`)).toBe(10_000);
    }
    expect(Object.fromEntries(perBidder)).toEqual({ 2001: 3, 2002: 2, 2003: 1 });
  });

  it('q14 classifies the time of day and counts c characters (54 480 000 euros is over the limit)', async () => {
    const { rows } = await runQuery(14);
    expect(rows).toEqual([
      '1230 2002 1362000.000 nightTime 2024-01-02 22:00:00.000 c 1',
      '1230 2002 1816000.000 dayTime 2024-01-01 08:00:03.000 xcy 1',
    ]);
  });

  it('q15 reports bids, bidders and auctions per day (COUNT DISTINCT with FILTER)', async () => {
    const { rows, changelog } = await runQuery(15);
    expect(rows).toEqual([dailyReport('2024-01-01'), dailyReport('2024-01-02')]);
    expect(changelog[0]).toBe('+I 2024-01-01 1 1 0 0 1 1 0 0 1 1 0 0');
  });

  it('q16 reports per channel and day', async () => {
    const { rows } = await runQuery(16);
    const keys = [...new Set(BIDS.map((b) => `${b.channel} ${b.dateTime.slice(0, 10)}`))];
    const expected = keys.map((k) => {
      const [channel, day] = k.split(' ');
      const group = BIDS.filter((b) => b.channel === channel && b.dateTime.startsWith(day));
      const minute = group.map((b) => b.dateTime.slice(11, 16)).sort().at(-1);
      return `${channel} ${day} ${minute} ${reportCounts(group).join(' ')}`;
    }).sort();
    expect(rows).toEqual(expected);
  });

  it('q17 reports per auction and day with min, max, avg, sum', async () => {
    const { rows } = await runQuery(17);
    const keys = [...new Set(BIDS.map((b) => `${b.auction} ${b.dateTime.slice(0, 10)}`))];
    const expected = keys.map((k) => {
      const [auction, day] = k.split(' ');
      const g = BIDS.filter((b) => String(b.auction) === auction && b.dateTime.startsWith(day));
      const prices = g.map((b) => b.price);
      const sum = prices.reduce((a, b) => a + b, 0);
      const ranks = [g.length, g.filter((b) => b.price < 10_000).length, g.filter((b) => b.price >= 10_000 && b.price < 1_000_000).length, g.filter((b) => b.price >= 1_000_000).length];
      return `${auction} ${day} ${ranks.join(' ')} ${Math.min(...prices)} ${Math.max(...prices)} ${Math.trunc(sum / prices.length)} ${sum}`;
    }).sort();
    expect(rows).toEqual(expected);
  });

  it('q21 extracts channel ids', async () => {
    const { rows } = await runQuery(21);
    expect(rows).toEqual([
      '1000 2001 100 Google 1',
      '1000 2001 50000 Apple 0',
      '1107 2003 9999 Baidu 3',
      '1230 2002 1500000 channel-5 5',
      '1230 2002 2000000 channel-5 5',
    ]);
  });

  it('q22 splits URL directories', async () => {
    const { rows } = await runQuery(22);
    expect(rows).toContain('1000 2001 100 Google abc def ghi');
    expect(rows).toHaveLength(BIDS.length);
  });
});

function reportCounts(group: readonly Bid[]): number[] {
  const ranks = [
    (_: Bid): boolean => true,
    (b: Bid): boolean => b.price < 10_000,
    (b: Bid): boolean => b.price >= 10_000 && b.price < 1_000_000,
    (b: Bid): boolean => b.price >= 1_000_000,
  ];
  return [
    ...ranks.map((r) => group.filter(r).length),
    ...ranks.map((r) => new Set(group.filter(r).map((b) => b.bidder)).size),
    ...ranks.map((r) => new Set(group.filter(r).map((b) => b.auction)).size),
  ];
}

function dailyReport(day: string): string {
  return `${day} ${reportCounts(BIDS.filter((b) => b.dateTime.startsWith(day))).join(' ')}`;
}
