/**
 * Child process of crash.test.ts: appends and flushes in a loop, printing `ack <lastOffset>` for
 * every append whose flush resolved, until it is killed. Up to `inflightMax` appends wait for
 * their flush at once, so flushes share fsyncs as under real load.
 */
import { encodeBatch } from '../../../src/broker/protocol/index.ts';
import { PartitionLog, parseTopicConfigs } from '../../../src/broker/log/index.ts';

const inflightMax = 8;
const appendsMax = 1_000_000;

const dir = process.argv[2];
const log = await PartitionLog.open(dir, parseTopicConfigs({ 'segment.bytes': '65536', 'index.interval.bytes': '512' }));
let inflight = 0;
let n = 0;
const payload = Buffer.alloc(700, 0x61);

async function one(): Promise<void> {
  const seq = n++;
  const batch = await encodeBatch({ records: [{ key: Buffer.from(`k${seq}`), value: Buffer.concat([Buffer.from(`${seq}:`), payload]) }, { key: Buffer.from(`k${seq}b`), value: Buffer.from(`${seq}b`) }] });
  const r = log.append([batch]);
  await log.flush();
  process.stdout.write(`ack ${r.lastOffset} ${seq}\n`);
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
