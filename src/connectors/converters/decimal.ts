/**
 * Connect's Decimal: a decimal string in memory, the unscaled value as big-endian two's
 * complement bytes on the wire (Avro `decimal`, JsonConverter `decimal.format=BASE64`).
 */

/** `"-12.50"` at scale 2 → bytes of -1250. */
export function decimalToBytes(text: string, scale: number): Buffer {
  let unscaled = unscaledOf(text, scale);
  const negative = unscaled < 0n;
  const bytes: number[] = [];
  // Two's complement, minimal length.
  for (;;) {
    bytes.unshift(Number(unscaled & 0xffn));
    unscaled >>= 8n;
    const top = bytes[0] & 0x80;
    if ((unscaled === 0n && !negative && top === 0) || (unscaled === -1n && negative && top !== 0)) break;
  }
  return Buffer.from(bytes);
}

export function decimalFromBytes(buf: Buffer, scale: number): string {
  if (buf.length === 0) return '0';
  let v = 0n;
  for (const b of buf) v = (v << 8n) | BigInt(b);
  if (buf[0] & 0x80) v -= 1n << BigInt(buf.length * 8);
  return formatUnscaled(v, scale);
}

export function unscaledOf(text: string, scale: number): bigint {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
  const digits = `${m[2] || '0'}${frac}`;
  const v = BigInt(digits);
  return m[1] === '-' ? -v : v;
}

export function formatUnscaled(v: bigint, scale: number): string {
  const negative = v < 0n;
  let digits = (negative ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}
