import { describe, expect, it } from 'vitest';
import { compileRecordFormat, formatRecordJson, type ConsumedRecord } from '../../src/cli/record-format.ts';
import { CliError } from '../../src/cli/cli-error.ts';

const record: ConsumedRecord = {
  topic: 'orders',
  partition: 2,
  offset: '41',
  timestampMs: '1714564800000',
  key: Buffer.from('k1'),
  value: Buffer.from('hello'),
  headers: [
    ['a', Buffer.from('1')],
    ['b', Buffer.from('two')],
  ],
};

describe('compileRecordFormat', () => {
  it('prints kcat tokens', () => {
    const fmt = compileRecordFormat('%t/%p@%o %k=%s %T [%h] %K %S\\n');
    expect(fmt(record).toString()).toBe('orders/2@41 k1=hello 1714564800000 [a=1,b=two] 2 5\n');
  });

  it('treats %v as %s and %% as a percent sign', () => {
    expect(compileRecordFormat('%v 100%%').call(null, record).toString()).toBe('hello 100%');
  });

  it('prints null key and value as nothing, lengths as -1', () => {
    const fmt = compileRecordFormat('[%k][%s] %K %S');
    expect(fmt({ ...record, key: null, value: null }).toString()).toBe('[][] -1 -1');
  });

  it('understands escapes', () => {
    expect(compileRecordFormat('%s\\t%s\\r\\n\\x41\\\\').call(null, record).toString()).toBe('hello\thello\r\nA\\');
  });

  it('writes binary values byte for byte', () => {
    const value = Buffer.from([0, 255, 10, 128]);
    expect(compileRecordFormat('%s').call(null, { ...record, value }).equals(value)).toBe(true);
  });

  it('rejects unknown tokens', () => {
    expect(() => compileRecordFormat('%z')).toThrow(CliError);
    expect(() => compileRecordFormat('value %')).toThrow(/unknown format token/);
  });
});

describe('formatRecordJson', () => {
  it('prints one JSON object per line', () => {
    const line = formatRecordJson(record).toString();
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      topic: 'orders',
      partition: 2,
      offset: 41,
      timestamp: 1714564800000,
      key: 'k1',
      value: 'hello',
      headers: [
        { key: 'a', value: '1' },
        { key: 'b', value: 'two' },
      ],
    });
  });
});
