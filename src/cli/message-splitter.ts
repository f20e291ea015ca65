/**
 * Splits a byte stream (stdin) into messages at a delimiter, keeping bytes exact: no text
 * decoding, no line-ending rewriting. A message may span chunks; `messageBytesMax` bounds how
 * much is buffered while waiting for the delimiter.
 */
import { CliError } from './cli-error.ts';

/** Turns `\n`, `\t`, `\r`, `\0`, `\\` and `\xHH` in a flag value into the bytes they name. */
export function unescapeFlag(text: string): Buffer {
  const out: number[] = [];
  const bytes = Buffer.from(text, 'utf8');
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92 };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 92 && i + 1 < bytes.length) {
      const next = String.fromCharCode(bytes[i + 1]);
      const hex = bytes.subarray(i + 2, i + 4).toString('latin1');
      if (simple[next] !== undefined) {
        out.push(simple[next]);
        i++;
        continue;
      }
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 3;
        continue;
      }
    }
    out.push(c);
  }
  return Buffer.from(out);
}

export class MessageSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly delimiter: Buffer,
    private readonly messageBytesMax: number,
  ) {
    if (delimiter.length === 0) throw new CliError('the message delimiter is empty: pass -D with at least one character');
  }

  /** Adds a chunk and returns the messages it completed. */
  push(chunk: Buffer): Buffer[] {
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    let start = 0;
    for (let at = data.indexOf(this.delimiter, start); at >= 0; at = data.indexOf(this.delimiter, start)) {
      out.push(data.subarray(start, at));
      start = at + this.delimiter.length;
    }
    this.pending = data.subarray(start);
    if (this.pending.length > this.messageBytesMax) {
      throw new CliError(`a message is longer than ${this.messageBytesMax} bytes without a delimiter; check -D (the message delimiter)`);
    }
    return out;
  }

  /** The last message when the input does not end with the delimiter. */
  end(): Buffer[] {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest.length > 0 ? [rest] : [];
  }
}
