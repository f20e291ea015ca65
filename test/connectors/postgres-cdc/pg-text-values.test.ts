import { describe, expect, it } from 'vitest';
import * as v from '../../../src/connectors/postgres-cdc/pg-text-values.ts';

describe('PostgreSQL text → Debezium values', () => {
  it('dates are days since the epoch, including before 1970 and BC', () => {
    expect(v.parseDateDays('1970-01-01')).toBe(0);
    expect(v.parseDateDays('2024-02-29')).toBe(19782);
    expect(v.parseDateDays('1969-12-31')).toBe(-1);
    expect(v.parseDateDays('0001-01-01')).toBe(-719162);
    expect(v.parseDateDays('0001-12-31 BC')).toBe(-719163);
  });

  it('timestamps keep microseconds', () => {
    expect(v.parseTimestampMicros('1970-01-01 00:00:00')).toBe(0);
    expect(v.parseTimestampMicros('2024-01-02 03:04:05.000006')).toBe(1704164645000006);
    expect(v.parseTimestampMicros('2024-01-02 03:04:05.5')).toBe(1704164645500000);
    expect(v.parseTimestampMicros('1969-12-31 23:59:59.999999')).toBe(-1);
  });

  it('timestamptz becomes a UTC ISO string with the column precision in digits', () => {
    expect(v.parseTimestamptzIso('2024-01-02 03:04:05.5+00', 6)).toBe('2024-01-02T03:04:05.500000Z');
    expect(v.parseTimestamptzIso('2024-01-02 03:04:05+00', 6)).toBe('2024-01-02T03:04:05.000000Z');
    expect(v.parseTimestamptzIso('2024-01-02 03:04:05.120+00', 3)).toBe('2024-01-02T03:04:05.120Z');
    expect(v.parseTimestamptzIso('2024-01-02 03:04:05+00', 0)).toBe('2024-01-02T03:04:05Z');
    expect(v.parseTimestamptzIso('2024-01-02 05:04:05.25+02', 6)).toBe('2024-01-02T03:04:05.250000Z');
  });

  it('times, timetz and intervals', () => {
    expect(v.parseTimeMicros('13:45:00.123456')).toBe(49_500_123_456);
    expect(v.parseTimeMicros('24:00:00')).toBe(86_400_000_000);
    expect(v.parseTimetzIso('13:45:00.5+02')).toBe('11:45:00.5Z');
    expect(v.parseTimetzIso('01:00:00-03:30')).toBe('04:30:00Z');
    expect(v.parseIntervalMicros('P1Y2M3DT4H5M6.5S')).toBe(Math.trunc(((((14 * 365.25) / 12 + 3) * 24 + 4) * 60 + 5) * 60 * 1e6 + 6.5e6));
    expect(v.parseIntervalMicros('PT-1H')).toBe(-3_600_000_000);
  });

  it('numerics: fixed scale strings and variable-scale two’s complement', () => {
    expect(v.decimalWithScale('12.5', 2)).toBe('12.50');
    expect(v.decimalWithScale('12', 2)).toBe('12.00');
    expect(v.parseVariableScaleDecimal('-1.5')).toEqual({ scale: 1, value: Buffer.from([0xf1]) });
    expect(v.parseVariableScaleDecimal('128')).toEqual({ scale: 0, value: Buffer.from([0x00, 0x80]) });
    expect(v.bigIntToTwosComplement(-128n)).toEqual(Buffer.from([0x80]));
    expect(v.bigIntToTwosComplement(-129n)).toEqual(Buffer.from([0xff, 0x7f]));
    expect(v.bigIntToTwosComplement(0n)).toEqual(Buffer.from([0]));
    expect(v.parseMoney('-$1,234.56')).toBe('-1234.56');
  });

  it('bytea, bits, int8 and arrays', () => {
    expect(v.parseBytea('\\x0aff')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(v.parseBits('0000000100000010', 16)).toEqual(Buffer.from([0x02, 0x01]));
    expect(v.parseInt64('9223372036854775807')).toBe(9223372036854775807n);
    expect(v.parseInt64('-42')).toBe(-42);
    expect(v.parseArray('{1,NULL,3}')).toEqual(['1', null, '3']);
    expect(v.parseArray('{"a b","c\\"d",NULL,"NULL"}')).toEqual(['a b', 'c"d', null, 'NULL']);
    expect(v.parseArray('{{1,2},{3,4}}')).toEqual(['1', '2', '3', '4']);
    expect(v.parseArray('{}')).toEqual([]);
  });
});
