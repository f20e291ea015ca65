/**
 * Kafka's default partitioner for keyed records: murmur2 of the key bytes (seed 0x9747b28c),
 * made positive, modulo the partition count — the Java client's `Utils.murmur2`, so a key lands
 * on the same partition whichever client wrote it through Runnel. Hand-written: it is a dozen
 * lines, and the npm murmur packages implement murmur3 or a different murmur2 variant.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8) | ((data[i + 2] & 0xff) << 16) | ((data[i + 3] & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= (data[length4 + 2] & 0xff) << 16;
  if (rest >= 2) h ^= (data[length4 + 1] & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[length4] & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's Java client picks for a key. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
