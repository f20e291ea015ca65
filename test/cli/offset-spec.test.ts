import { describe, expect, it } from 'vitest';
import { parseOffsetSpec, resolveRange, type PartitionWatermarks } from '../../src/cli/offset-spec.ts';
import { CliError } from '../../src/cli/cli-error.ts';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const W: PartitionWatermarks = { low: 10n, high: 100n };
const byTs = (ms: number) => BigInt(Math.floor(ms / 1000) % 1000);

function range(spec: string) {
  return resolveRange(parseOffsetSpec(spec, NOW), W, byTs);
}

describe('parseOffsetSpec', () => {
  it('reads start and end words', () => {
    for (const w of ['start', 'beginning', 'earliest', 'oldest']) expect(range(w)).toEqual({ from: 10n, until: null });
    for (const w of ['end', 'latest', 'newest']) expect(range(w)).toEqual({ from: 100n, until: null });
  });

  it('reads +N and -N relative to the log start and end, clamped', () => {
    expect(range('+5')).toEqual({ from: 15n, until: null });
    expect(range('-5')).toEqual({ from: 95n, until: null });
    expect(range('+500')).toEqual({ from: 100n, until: null });
    expect(range('-500')).toEqual({ from: 10n, until: null });
  });

  it('reads exact offsets and ranges', () => {
    expect(range('42')).toEqual({ from: 42n, until: null });
    expect(range('42:')).toEqual({ from: 42n, until: null });
    expect(range('42:50')).toEqual({ from: 42n, until: 50n });
    expect(range(':50')).toEqual({ from: 10n, until: 50n });
    expect(range(':end')).toEqual({ from: 10n, until: 100n });
    expect(range('-3:end')).toEqual({ from: 97n, until: 100n });
  });

  it('clamps an exact start to the log', () => {
    expect(range('3')).toEqual({ from: 10n, until: null });
    expect(range('300')).toEqual({ from: 100n, until: null });
  });

  it('reads timestamps in every accepted form', () => {
    expect(parseOffsetSpec('@1714564800000', NOW).from).toEqual({ kind: 'timestamp', ms: 1714564800000 });
    expect(parseOffsetSpec('@1714564800', NOW).from).toEqual({ kind: 'timestamp', ms: 1714564800000 });
    expect(parseOffsetSpec('@2024-05-01', NOW).from).toEqual({ kind: 'timestamp', ms: Date.UTC(2024, 4, 1) });
    expect(parseOffsetSpec('@2024-05-01T10:00:00Z', NOW).from).toEqual({ kind: 'timestamp', ms: Date.UTC(2024, 4, 1, 10) });
    expect(parseOffsetSpec('@2024-05-01T10:00:00.250+02:00', NOW).from).toEqual({ kind: 'timestamp', ms: Date.UTC(2024, 4, 1, 8, 0, 0, 250) });
    expect(parseOffsetSpec('@-1h', NOW).from).toEqual({ kind: 'timestamp', ms: NOW - 3_600_000 });
    expect(parseOffsetSpec('@-1m30s', NOW).from).toEqual({ kind: 'timestamp', ms: NOW - 90_000 });
  });

  it('reads timestamp ranges, including RFC 3339 times with colons', () => {
    const t1 = Date.UTC(2024, 4, 1, 10);
    expect(parseOffsetSpec('@2024-05-01T10:00:00Z:end', NOW)).toEqual({ from: { kind: 'timestamp', ms: t1 }, until: { kind: 'end' } });
    expect(parseOffsetSpec('@2024-05-01T10:00:00Z:1h', NOW)).toEqual({ from: { kind: 'timestamp', ms: t1 }, until: { kind: 'timestamp', ms: t1 + 3_600_000 } });
    expect(parseOffsetSpec('@-1h:-1m', NOW)).toEqual({ from: { kind: 'timestamp', ms: NOW - 3_600_000 }, until: { kind: 'timestamp', ms: NOW - 60_000 } });
    expect(parseOffsetSpec('@:2024-05-01', NOW)).toEqual({ from: { kind: 'start' }, until: { kind: 'timestamp', ms: Date.UTC(2024, 4, 1) } });
    expect(parseOffsetSpec('@2024-05-01:', NOW)).toEqual({ from: { kind: 'timestamp', ms: Date.UTC(2024, 4, 1) }, until: null });
  });

  it("accepts kcat's s@ and e@", () => {
    expect(parseOffsetSpec('s@1714564800000', NOW)).toEqual({ from: { kind: 'timestamp', ms: 1714564800000 }, until: null });
    expect(parseOffsetSpec('e@1714564800000', NOW)).toEqual({ from: { kind: 'start' }, until: { kind: 'timestamp', ms: 1714564800000 } });
  });

  it('resolves timestamps through the lookup', () => {
    expect(range('@1714564805000:1714564807000')).toEqual({ from: 805n, until: 807n });
  });

  it('rejects bad specs with the grammar in the message', () => {
    for (const bad of ['', 'soon', '+x', '5:3', '@yesterday', '@2024-13-45', '1:+2', '@2024-05-01:tomorrow', '--5']) {
      expect(() => parseOffsetSpec(bad, NOW), bad).toThrow(CliError);
    }
    expect(() => parseOffsetSpec('soon', NOW)).toThrow(/bad offset 'soon'.*start\|end\|\+N\|-N/);
  });
});
