/**
 * Child process of crash.test.ts: appends and flushes in a loop, printing `ack <lastOffset>` for
 * every append whose flush resolved, until it is killed. Up to `inflightMax` appends wait for
 * their flush at once, so flushes share fsyncs as under real load.
 */
import { encodeBatch } from '../../../src/broker/protocol/index.ts';
import { PartitionLog } from '../../../src/broker/log/index.ts';
import { crashWriterConfig } from './helpers.ts';

const inflightMax = 8;
const appendsMax = 1_000_000;

const dir = process.argv[2];
/** `recycle`: segments of 1.2 MiB under retention.bytes 3 MiB, so rolls reuse deleted segments' files. */
const recycle = process.argv[3] === 'recycle';
const log = await PartitionLog.open(dir, crashWriterConfig(recycle));
let inflight = 0;
let n = 0;
const payload = Buffer.alloc(recycle ? 8000 : 700, 0x61);

async function one(): Promise<void> {
  const seq = n++;
  const batch = await encodeBatch({ records: [{ key: Buffer.from(`k${seq}`), value: Buffer.concat([Buffer.from(`${seq}:`), payload]) }, { key: Buffer.from(`k${seq}b`), value: Buffer.from(`${seq}b`) }] });
  const r = log.append([batch]);
  await log.flush();
  process.stdout.write(`ack ${r.lastOffset} ${seq}\n`);
  if (recycle && seq % 40 === 0) {
    await log.enforceRetention();
    process.stdout.write(`recycled ${log.segmentsRecycled}\n`);
  }
}

process.stdout.write(`ready ${log.logEndOffset}\n`);
while (n < appendsMax) {
  if (inflight >= inflightMax) {
    await new Promise((r) => setImmediate(r));
    continue;
  }
  inflight++;
  void one().finally(() => inflight--);
}
