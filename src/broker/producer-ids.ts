/**
 * Allocates producer ids for InitProducerId. Ids are handed out from blocks reserved in the
 * metadata log, so an id is never reused after a restart (a reused id would let a new producer
 * be mistaken for an old one's retry).
 */
import type { InternalLog } from './internal-log.ts';

export const producerIdBlockSize = 1000n;
const blockKey = Buffer.from('producer-ids');

export class ProducerIdManager {
  private next = 0n;
  private blockEnd = 0n;
  private reserving: Promise<void> | null = null;

  constructor(private readonly metadata: InternalLog) {}

  /** Replays the last reserved block end from the metadata log. */
  replayRecord(key: string, value: Buffer | null): boolean {
    if (key !== 'producer-ids') return false;
    if (value !== null) {
      const end = BigInt(value.toString('utf8'));
      this.next = end;
      this.blockEnd = end;
    }
    return true;
  }

  async allocate(): Promise<bigint> {
    while (this.next >= this.blockEnd) {
      if (!this.reserving) {
        const end = this.blockEnd + producerIdBlockSize;
        this.reserving = this.metadata
          .append([{ key: blockKey, value: Buffer.from(end.toString()) }])
          .then(() => {
            this.blockEnd = end;
          })
          .finally(() => {
            this.reserving = null;
          });
      }
      await this.reserving;
    }
    return this.next++;
  }
}
