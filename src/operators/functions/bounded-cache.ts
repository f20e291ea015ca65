/** A Map with a fixed maximum number of entries; the oldest entry goes first. */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly entriesMax: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.entriesMax) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }
}
