/**
 * `npm run bench:broker`: a librdkafka producer (bench/clients/rdkafka_bench.c, compiled here
 * against Debian's librdkafka-dev, installed if missing) produces at least 1 GiB of 1 KiB
 * records with acks=all into an embedded broker, then a consumer reads them back. Printed beside
 * the disk's own sequential write speed with fdatasync, measured in the same run on the same
 * file system, and the produce throughput as a fraction of it.
 *
 * Then produce passes at half the peak rate give the ack latency under moderate load, each after
 * a warm-up second that is not measured, and each followed by the disk's own latency floor for
 * the same bytes at the same request cadence (the same group commit over a bare file), so each
 * figure has a reference from the same minute of a noisy disk; the summary is the medians of the
 * pairs. Two states: a new topic per pass (the log only grows), and a topic at its retention,
 * where each roll reuses the file of a segment retention deleted. What separates them is measured
 * first: the page cache's write speed into memory not used lately and into memory just freed. A
 * VM that returns free memory to its host (this one does) charges the first touch of memory,
 * which a log that only grows pays on every page, and a log at its retention, overwriting files
 * whose pages it has, does not.
 *
 * Each pass prints what the broker's main thread and the load client went through meanwhile
 * (event-loop delay, GC, time runnable but waiting for a CPU), so a figure from a shared machine
 * can be judged, and the broker's own share of it: per Produce request, from its frame being read
 * to its response being written, and within that the append and the wait for the group-commit
 * fdatasync. Where taskset (util-linux) is available, unpinned passes alternate with pinned ones,
 * the broker on CPU 0 and the client on CPU 1 (a real client runs on another machine; here they
 * share 2 cores), and each placement gets its medians.
 *
 * The client's librdkafka settings are printed with the results: linger.ms=0.5, as a
 * latency-conscious producer sets it (librdkafka's default is 5; 2 gave p99 12–14 ms here, 0.5
 * gave 7–10 ms at the same throughput), and paced in 250 µs ticks at a given rate.
 *
 * Environment: BENCH_MB (default 1024), BENCH_RECORD_BYTES (1024), BENCH_DIR (a temp dir),
 * BENCH_HALF_PASSES (3), RDKAFKA_BENCH_LINGER_MS (0.5) and RDKAFKA_BENCH_TICK_US (250) for the client.
 */
import { closeSync, fdatasync, fdatasyncSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { Broker } from '../src/broker/index.ts';
import { concurrentSyncsMax } from '../src/broker/log/group-commit.ts';

const totalMb = Number(process.env.BENCH_MB ?? 1024);
/** The client's linger.ms; the disk floor syncs the bytes of one such interval at a time. */
const lingerMs = Number(process.env.RDKAFKA_BENCH_LINGER_MS ?? 0.5);
process.env.RDKAFKA_BENCH_LINGER_MS = String(lingerMs);
const recordBytes = Number(process.env.BENCH_RECORD_BYTES ?? 1024);
/** Half-rate passes per state and placement. */
const halfPasses = Number(process.env.BENCH_HALF_PASSES ?? 3);
const baseDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'runnel-bench-'));
const source = new URL('./clients/rdkafka_bench.c', import.meta.url).pathname;
const client = join(baseDir, 'rdkafka_bench');

function compileClient(): void {
  try {
    execFileSync('sh', ['-c', 'test -f /usr/include/librdkafka/rdkafka.h || (apt-get install -y -qq librdkafka-dev >/dev/null)'], { stdio: 'inherit' });
    execFileSync('cc', ['-O2', '-o', client, source, '-lrdkafka'], { stdio: 'inherit' });
  } catch {
    console.error('bench:broker needs a C compiler and librdkafka-dev (apt-get install -y librdkafka-dev)');
    process.exit(1);
  }
}

function diskWriteMbPerSec(dir: string, mb: number, chunkBytes: number): number {
  const file = join(dir, 'disk-reference.bin');
  const chunk = Buffer.alloc(chunkBytes, 7);
  const fd = openSync(file, 'w');
  const start = performance.now();
  for (let written = 0; written < mb * 1024 * 1024; written += chunkBytes) {
    writeSync(fd, chunk);
    fdatasyncSync(fd);
  }
  const seconds = (performance.now() - start) / 1000;
  closeSync(fd);
  rmSync(file);
  return mb / seconds;
}

/**
 * GiB/s of writes into the page cache alone (no fdatasync) of `mb` MiB into a new file, which is
 * then unlinked (its data never reached the disk, so the unlink frees no blocks and sends no
 * discard). Done twice, the second into the memory the first just freed: on a VM that hands free
 * memory back to its host (free page reporting, as on this one), memory not used lately costs a
 * fault in the host at first touch. A new topic's log grows into such memory; a topic at its
 * retention overwrites files whose pages it has already (recycled segments, partition-log.ts).
 */
function pageCacheWriteGibPerSec(dir: string, mb: number): { untouched: number; reused: number } {
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const once = (name: string): number => {
    const file = join(dir, name);
    const fd = openSync(file, 'w');
    const start = performance.now();
    for (let i = 0; i < mb; i++) writeSync(fd, chunk);
    const seconds = (performance.now() - start) / 1000;
    closeSync(fd);
    rmSync(file);
    return mb / 1024 / seconds;
  };
  return { untouched: once('memory-reference-1.bin'), reused: once('memory-reference-2.bin') };
}

/**
 * The disk's own latency floor for group commit at a given rate, with no broker in the way: the
 * bytes the broker received are written at the cadence its Produce requests arrived (one write
 * every `writeIntervalMs`), and fdatasyncs run in the threadpool as the broker's group commit runs
 * them (up to concurrentSyncsMax at once, each covering everything written before it). The
 * cadence matters: on ext4 every fdatasync of an appended file commits the journal, and twice the
 * syncs per second at the same bytes per second gave p99 5–74 ms instead of 2–5 ms here. A write's
 * latency counts from when it was due to when a sync covering it ended, so a stalled sync shows in
 * every write waiting behind it. (Timing a serial write+fdatasync from the write's own start, as
 * this floor did before, hides stalls: the writes due meanwhile are simply late, and are timed
 * from when they finally happen.) The first `warmupSeconds` are written but not measured, as the
 * client's warm-up messages are not.
 */
let floorFiles = 0;
async function diskCommitLatencyMs(
  dir: string,
  bytesPerSec: number,
  seconds: number,
  writeIntervalMs: number,
  warmupSeconds: number,
): Promise<{ p50: number; p99: number; max: number }> {
  const file = join(dir, `disk-latency-${floorFiles++}.bin`);
  const chunk = Buffer.alloc(Math.max(512, Math.round((bytesPerSec * writeIntervalMs) / 1000)), 7);
  const fd = openSync(file, 'w');
  const intervalMs = (chunk.length / bytesPerSec) * 1000;
  const latencies: number[] = [];
  const waiting: { end: number; due: number }[] = [];
  let written = 0;
  let inFlight = 0;
  let again = false;
  const start = performance.now();
  const measuredFrom = start + warmupSeconds * 1000;
  const stop = measuredFrom + seconds * 1000;
  const sync = (): void => {
    if (inFlight >= concurrentSyncsMax) { again = true; return; }
    inFlight++;
    const covers = written;
    fdatasync(fd, () => {
      inFlight--;
      const now = performance.now();
      while (waiting.length > 0 && waiting[0].end <= covers) {
        const { due } = waiting.shift() as { due: number };
        if (due >= measuredFrom) latencies.push(now - due);
      }
      if (again) { again = false; sync(); }
    });
  };
  let due = start;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      while (due <= performance.now() && due < stop) {
        writeSync(fd, chunk);
        written += chunk.length;
        waiting.push({ end: written, due });
        due += intervalMs;
        sync();
      }
      if (due < stop) setImmediate(tick);
      else {
        const drain = (): void => (waiting.length === 0 && inFlight === 0 ? resolve() : void setTimeout(drain, 5));
        drain();
      }
    };
    tick();
  });
  // Deleted with the rest at the end: deleting a file here frees its blocks, and on a file system
  // mounted with discard (this one is) the next journal commits then stall on the TRIM, which the
  // next pass would pay for.
  closeSync(fd);
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)], max: latencies[latencies.length - 1] };
}

/** "p50 x ms, p99 y ms" of latencies in milliseconds. */
function percentiles(ms: number[]): string {
  if (ms.length === 0) return 'none';
  const sorted = Float64Array.from(ms).sort();
  const at = (q: number): string => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
}

/** Percentiles over records of per-append times: each append counts once per record it held. */
function recordPercentiles(appends: { ms: number; records: number }[]): string {
  if (appends.length === 0) return 'none';
  const sorted = [...appends].sort((a, b) => a.ms - b.ms);
  const total = sorted.reduce((n, a) => n + a.records, 0);
  const at = (q: number): string => {
    let seen = 0;
    for (const a of sorted) if ((seen += a.records) > total * q) return a.ms.toFixed(2);
    return sorted[sorted.length - 1].ms.toFixed(2);
  };
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

/**
 * What the broker's main thread went through while `run` ran, to judge a latency figure on a
 * shared machine: event-loop delay, GC pauses, and the share of wall time the thread was
 * runnable but waiting for a CPU (/proc schedstat: run time, run-queue wait, timeslices).
 */
async function observeBroker<T>(run: () => Promise<T>): Promise<{ result: T; report: string }> {
  const schedFile = `/proc/self/task/${process.pid}/schedstat`;
  const sched = (): number[] | null => {
    try {
      return readFileSync(schedFile, 'utf8').trim().split(/\s+/).map(Number);
    } catch {
      return null;
    }
  };
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let gcMs = 0;
  let gcMaxMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) (gcMs += e.duration), (gcMaxMs = Math.max(gcMaxMs, e.duration));
  });
  const before = sched();
  const start = performance.now();
  delay.enable();
  gc.observe({ entryTypes: ['gc'] });
  const result = await run();
  delay.disable();
  gc.disconnect();
  const wallMs = performance.now() - start;
  const after = sched();
  const waited = before && after ? `runnable but waiting for a CPU ${(((after[1] - before[1]) / 1e6 / wallMs) * 100).toFixed(0)}% of wall time` : 'run-queue wait unknown (no /proc schedstat)';
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  const report =
    `broker main thread meanwhile: event-loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
    `GC ${gcMs.toFixed(0)} ms (longest ${gcMaxMs.toFixed(1)} ms); ${waited}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`;
  return { result, report };
}

/** Nanoseconds the threads of process `pid` have run and waited runnable for a CPU, or null. */
function processSched(pid: number): { runNs: number; waitNs: number } | null {
  try {
    let runNs = 0;
    let waitNs = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      runNs += run;
      waitNs += wait;
    }
    return { runNs, waitNs };
  } catch {
    return null;
  }
}

/**
 * Runs the C client (on the CPUs listed in `cpus`, if given); resolves to its JSON line plus `sched`, the CPU time its threads ran and
 * waited runnable (sampled every 50 ms while it runs, so the last sample before exit counts).
 */
function loadClient<T>(args: string[], cpus: string | null = null): Promise<T & { sched: { runNs: number; waitNs: number } | null }> {
  return new Promise((resolve, reject) => {
    // taskset execs the client, so the child's pid is the client's.
    const child = cpus === null ? spawn(client, args, { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn('taskset', ['-c', cpus, client, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let sched: { runNs: number; waitNs: number } | null = null;
    const sampler = setInterval(() => (sched = processSched(child.pid!) ?? sched), 50);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code === 0) resolve({ ...(JSON.parse(out) as T), sched });
      else reject(new Error(`bench client exited ${code}`));
    });
  });
}

interface ProduceResult {
  seconds: number;
  p50_ms: number;
  p99_ms: number;
  settings: string;
}

/** All CPUs, as taskset writes a list, or null when taskset is missing or there is one CPU. */
const allCpus = ((): string | null => {
  if (availableParallelism() < 2) return null;
  try {
    return execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' }).trim().split(/:\s*/).pop()!;
  } catch {
    return null;
  }
})();
const pinnable = allCpus !== null;

/** Sets the CPU list of every thread of this process (the broker's). */
function pinBroker(cpus: string): void {
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(process.pid)], { stdio: 'ignore' });
}

/**
 * One produce pass at `rate` into a new topic, with what the broker and the client went through
 * meanwhile. `pin`: the broker's threads on CPU 0 and the client on CPU 1, as when the client runs
 * on another machine (on a shared machine other processes still use both).
 */
async function halfPass(
  topic: string,
  rate: number,
  records: number,
  warmup: number,
  pin: boolean,
): Promise<{ text: string; p99: number; requestIntervalMs: number; seconds: number }> {
  if (broker.topics.get(topic) === undefined) await broker.topics.create(topic, 1);
  const answers: number[] = [];
  const appends: number[] = [];
  const syncs: number[] = [];
  const passStart = performance.now();
  // Broker-side figures leave out the client's warm-up second too (timed from the client's start).
  const measuredFrom = passStart + (warmup / rate) * 1000;
  let measuredRequests = 0;
  const unobserveAnswers = broker.stats.onAnswered((api, seconds) => {
    if (api !== 'Produce') return;
    measuredRequests++;
    if (performance.now() >= measuredFrom) answers.push(seconds * 1000);
  });
  const durable: { ms: number; records: number }[] = [];
  const unobserveAppends = broker.stats.onAppend((t, records, appendSeconds, syncSeconds) => {
    if (t !== topic || performance.now() < measuredFrom) return;
    appends.push(appendSeconds * 1000);
    if (syncSeconds !== null) syncs.push(syncSeconds * 1000);
    durable.push({ ms: (appendSeconds + (syncSeconds ?? 0)) * 1000, records });
  });
  if (pin) pinBroker('0');
  let passMs = 0;
  let observed: { result: ProduceResult & { sched: { runNs: number; waitNs: number } | null }; report: string };
  try {
    observed = await observeBroker(() => loadClient<ProduceResult>(['produce', bootstrap, topic, String(records), String(recordBytes), String(rate), String(warmup)], pin ? '1' : null));
  } finally {
    if (pin) pinBroker(allCpus!);
    passMs = performance.now() - passStart;
    unobserveAnswers();
    unobserveAppends();
  }
  const half = observed.result;
  const lines = [
    `${pin ? 'PINNED (broker threads on CPU 0, client on CPU 1)' : 'unpinned (broker and client share all CPUs)'}: ack latency p50 ${half.p50_ms.toFixed(2)} ms, p99 ${half.p99_ms.toFixed(2)} ms (target p99 < 10 ms)`,
    `  broker side after the warm-up, per Produce request (${answers.length}): frame read to response written ${percentiles(answers)}; ` +
      `of which split+CRC+write ${percentiles(appends)}, waiting for the group-commit fdatasync ${percentiles(syncs)}`,
    `  broker side, per record (weighted as the client's figure is): append start to durable ${recordPercentiles(durable)}`,
    `  ${observed.report}`,
  ];
  if (half.sched !== null) {
    lines.push(
      `  load client meanwhile (all its threads): ran ${(half.sched.runNs / 1e6).toFixed(0)} ms and waited runnable for a CPU ${(half.sched.waitNs / 1e6).toFixed(0)} ms in ${(half.seconds * 1000).toFixed(0)} ms of wall time`,
    );
  }
  return { text: lines.join('\n'), p99: half.p99_ms, requestIntervalMs: passMs / Math.max(1, measuredRequests), seconds: half.seconds };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

compileClient();
const count = Math.ceil((totalMb * 1024 * 1024) / recordBytes);
{
  // Nothing is deleted until the end (a deletion stalls the next passes, see diskCommitLatencyMs):
  // the peak topic, each new-topic pass and every pass's floor file stay, each about 1.3x BENCH_MB.
  const passes = halfPasses * 2;
  const neededMb = totalMb * (1 + 1.3 * (passes + passes * 2 + 1)) + 2048;
  const stat = statfsSync(baseDir);
  const freeMb = (stat.bavail * stat.bsize) / 1024 / 1024;
  if (freeMb < neededMb) {
    console.error(`bench:broker needs about ${(neededMb / 1024).toFixed(0)} GiB free in ${baseDir}, which has ${(freeMb / 1024).toFixed(1)} GiB: set BENCH_DIR, or lower BENCH_HALF_PASSES or BENCH_MB`);
    rmSync(baseDir, { recursive: true, force: true });
    process.exit(1);
  }
}
console.log(`bench:broker — ${count} records of ${recordBytes} B (${totalMb} MiB), acks=all, data in ${baseDir}`);

const diskMbps = diskWriteMbPerSec(baseDir, Math.min(256, totalMb), 1024 * 1024);
console.log(`disk sequential write, fdatasync every 1 MiB: ${diskMbps.toFixed(1)} MB/s`);
const memory = pageCacheWriteGibPerSec(baseDir, 2048);
console.log(
  `page-cache write (no fdatasync), 2 GiB: into memory not used lately ${memory.untouched.toFixed(2)} GiB/s, into memory just freed ${memory.reused.toFixed(2)} GiB/s ` +
    `(${(memory.reused / memory.untouched).toFixed(1)}x; a log that only grows pays the first)`,
);

// Retention checked every second, for the topic at its retention below (Kafka checks every 5 min).
const broker = await Broker.start({ dataDir: join(baseDir, 'data'), host: '127.0.0.1', port: 0, maintenanceIntervalMs: 1000 });
const bootstrap = `127.0.0.1:${broker.port}`;
try {
  await broker.topics.create('bench', 1);
  const peak = await loadClient<ProduceResult>(['produce', bootstrap, 'bench', String(count), String(recordBytes), '0']);
  const produceMbps = (count * recordBytes) / 1024 / 1024 / peak.seconds;
  const consumed = await loadClient<{ seconds: number; bytes: number }>(['consume', bootstrap, 'bench', String(count)]);
  const consumeMbps = consumed.bytes / 1024 / 1024 / consumed.seconds;

  const halfRate = Math.floor(count / peak.seconds / 2);
  const halfCount = Math.min(count, halfRate * 10);
  // One second at the rate before the measured records: connection, metadata and the topic's
  // first allocations are not the steady state (OpenMessaging Benchmark warms up likewise).
  const warmup = halfRate;
  console.log(`produce: ${produceMbps.toFixed(1)} MB/s (${(count / peak.seconds).toFixed(0)} records/s), ack latency p50 ${peak.p50_ms.toFixed(2)} ms, p99 ${peak.p99_ms.toFixed(2)} ms at peak`);
  console.log(`produce / disk fdatasync write: ${((produceMbps / diskMbps) * 100).toFixed(0)}% (target >= 60%)`);
  console.log(`consume: ${consumeMbps.toFixed(1)} MB/s = ${(consumeMbps / produceMbps).toFixed(2)}x produce (target >= 2x)`);
  console.log(`client: ${peak.settings}`);
  console.log(`at half the peak rate (${halfRate} records/s, ${halfCount} records measured after ${warmup} warm-up records):`);
  // The figure: passes each followed by the disk's own floor for the same bytes at the same
  // request cadence, so every pass has a reference from the same minute of this noisy disk;
  // medians of the pairs. Where taskset exists, unpinned and pinned passes alternate (pinned: a
  // client on another machine would not take the broker's CPU, but the broker then has one CPU
  // for its main thread and its fdatasync threads; neither is the real setup, so both are shown).
  const passes = halfPasses;
  const placements = pinnable ? [false, true] : [false];
  const measure = async (label: string, topic: (i: number) => string): Promise<void> => {
    const pairs = new Map<boolean, { broker: number; floor: number }[]>(placements.map((pin) => [pin, []]));
    let n = 0;
    for (let i = 1; i <= passes; i++) {
      for (const pin of placements) {
        const pass = await halfPass(topic(++n), halfRate, halfCount, warmup, pin);
        const floor = await diskCommitLatencyMs(baseDir, halfRate * recordBytes, pass.seconds, pass.requestIntervalMs, warmup / halfRate);
        pairs.get(pin)!.push({ broker: pass.p99, floor: floor.p99 });
        console.log(`${label}, pass ${i} of ${passes}, ${pass.text}`);
        console.log(
          `  disk floor right after (the same bytes appended to a new file every ${pass.requestIntervalMs.toFixed(2)} ms as the requests came, fdatasyncs as group commit runs them, timed from when the data was due): ` +
            `p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms, max ${floor.max.toFixed(2)} ms`,
        );
      }
    }
    for (const [pin, ps] of pairs) {
      console.log(
        `${label}: half-rate ack latency, median of ${passes} ${pin ? 'pinned' : 'unpinned'} passes: p99 ${median(ps.map((p) => p.broker)).toFixed(2)} ms (target < 10 ms); ` +
          `disk floor p99 ${median(ps.map((p) => p.floor)).toFixed(2)} ms; broker / floor ${median(ps.map((p) => p.broker / p.floor)).toFixed(2)}x (median of the pairs)`,
      );
    }
  };
  // A new topic each pass: the log only grows, every fdatasync extends a new file.
  await measure('NEW TOPIC', (i) => `bench-half-${i}`);
  // A topic at its retention, as a broker runs for good: each roll is matched by a segment that
  // retention deletes, whose file the roll reuses (recycled segments, partition-log.ts). Small
  // segments and a 1 s file.delete.delay.ms (Kafka's default is 60 s) reach that state within the
  // bench; a first pass fills the topic past retention.bytes and is not counted.
  const steady = 'bench-steady';
  await broker.topics.create(steady, 1, { 'segment.bytes': String(128 << 20), 'retention.bytes': String(512 << 20), 'file.delete.delay.ms': '1000' });
  const fill = await halfPass(steady, halfRate, halfCount, warmup, false);
  console.log(`AT RETENTION (segment.bytes 128 MiB, retention.bytes 512 MiB), filling pass, not counted: ack latency p99 ${fill.p99.toFixed(2)} ms`);
  await measure('AT RETENTION', () => steady);
} finally {
  await broker.stop();
  rmSync(baseDir, { recursive: true, force: true });
}
