import { describe, expect, it } from 'vitest';
import { MessageSplitter, unescapeFlag } from '../../src/cli/message-splitter.ts';
import { toMessage, parseHeaders } from '../../src/cli/produce.ts';

describe('MessageSplitter', () => {
  it('splits across chunk boundaries and keeps a trailing partial message', () => {
    const s = new MessageSplitter(Buffer.from('\n'), 1024);
    expect(s.push(Buffer.from('a\nb')).map(String)).toEqual(['a']);
    expect(s.push(Buffer.from('c\n\nd')).map(String)).toEqual(['bc', '']);
    expect(s.end().map(String)).toEqual(['d']);
  });

  it('splits on multi-byte delimiters', () => {
    const s = new MessageSplitter(unescapeFlag('\\r\\n'), 1024);
    expect(s.push(Buffer.from('x\r')).map(String)).toEqual([]);
    expect(s.push(Buffer.from('\ny\r\n')).map(String)).toEqual(['x', 'y']);
  });

  it('bounds a message without a delimiter', () => {
    const s = new MessageSplitter(Buffer.from('\n'), 4);
    expect(() => s.push(Buffer.from('12345'))).toThrow(/longer than 4 bytes/);
  });
});

describe('unescapeFlag', () => {
  it('turns escapes into bytes', () => {
    expect(unescapeFlag('\\t')).toEqual(Buffer.from('\t'));
    expect(unescapeFlag('a\\x00b')).toEqual(Buffer.from([97, 0, 98]));
    expect(unescapeFlag('::')).toEqual(Buffer.from('::'));
  });
});

describe('produce input', () => {
  it('splits key and value at the first separator', () => {
    expect(toMessage(Buffer.from('k:v:w'), Buffer.from(':'), null)).toEqual({ key: Buffer.from('k'), value: Buffer.from('v:w') });
    expect(toMessage(Buffer.from('nokey'), Buffer.from(':'), null)).toEqual({ key: null, value: Buffer.from('nokey') });
    expect(toMessage(Buffer.from('v'), null, Buffer.from('fixed'))).toEqual({ key: Buffer.from('fixed'), value: Buffer.from('v') });
  });

  it('parses headers, keeping repeated names', () => {
    expect(parseHeaders(['a=1', 'a=2', 'b=x=y', 'c='])).toEqual({ a: [Buffer.from('1'), Buffer.from('2')], b: [Buffer.from('x=y')], c: [Buffer.from('')] });
    expect(() => parseHeaders(['novalue'])).toThrow(/expected name=value/);
  });
});
