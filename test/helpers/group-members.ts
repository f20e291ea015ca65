/**
 * Long-running consumer-group members for tests that watch rebalances: each real client runs
 * as a member whose current assignment and received records the test can wait on. Python
 * members run `test/broker/clients/group_consumer.py`; kcat runs `kcat -G`; kafkajs runs in
 * this process. Every member commits what it received and leaves the group on `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { clientsDir, debianPython } from './broker.ts';

export interface MemberRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
}

export interface GroupMember {
  readonly name: string;
  /** The member's latest assignment (partitions of the one subscribed topic), sorted. */
  assignment(): number[];
  readonly records: MemberRecord[];
  /** Resolves once `check()` holds; rejects after `timeoutMs` with `what` and the member's log. */
  waitFor(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  /** The member's recent output, for failure messages. */
  history(): string;
  /** Commits, leaves the group and ends the member. */
  close(): Promise<void>;
  /** Ends the member at once without committing or leaving (afterAll cleanup). */
  kill(): void;
}

export interface GroupClient {
  name: string;
  /**
   * `label` names the member in timeout messages (e.g. `kcat#2`); `config` adds client
   * properties in the client's own spelling (python members only).
   */
  start(bootstrap: string, topic: string, group: string, label?: string, config?: Record<string, unknown>): Promise<GroupMember>;
}

/** Output lines kept per member for failure messages. */
const historyLinesMax = 200;

/** What a member has reported so far (assignment, records, output lines), and waiters on it. */
class MemberState {
  current: number[] = [];
  readonly records: MemberRecord[] = [];
  readonly log: string[] = [];

  note(line: string): void {
    this.log.push(line);
    if (this.log.length > historyLinesMax) this.log.splice(0, this.log.length - historyLinesMax);
  }
  private readonly waiters = new Set<() => void>();

  changed(): void {
    for (const w of [...this.waiters]) w();
  }

  waitFor(name: string, what: string, check: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        if (!check()) return;
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(done);
        resolve();
      };
      // Checks may look at other members too, whose changes do not wake this one.
      const poll = setInterval(done, 100);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters.delete(done);
        reject(new Error(`${name}: timed out waiting for ${what}; assignment [${this.current}], ${this.records.length} records\n${this.log.slice(-30).join('\n')}`));
      }, timeoutMs);
      this.waiters.add(done);
      done();
    });
  }
}

/** Splits a stream into lines and calls `onLine` for each complete one. */
function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) if (l.trim() !== '') onLine(l);
  });
}

function processMember(name: string, child: ChildProcess, state: MemberState, closeSignal: 'stdin' | NodeJS.Signals): GroupMember {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    state.note(`exited code=${code} signal=${signal}`);
    state.changed();
  });
  return {
    name,
    assignment: () => state.current,
    records: state.records,
    history: () => state.log.slice(-30).join('\n'),
    waitFor: (what, check, timeoutMs = 30_000) => state.waitFor(name, what, check, timeoutMs),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (closeSignal === 'stdin') child.stdin!.end();
      else child.kill(closeSignal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

interface PythonEvent {
  event: 'assigned' | 'revoked' | 'record' | 'closed';
  partitions?: number[];
  partition?: number;
  offset?: number;
  key?: string | null;
  value?: string | null;
}

function pythonClient(name: string, lib: 'confluent' | 'kafka-python'): GroupClient {
  return {
    name,
    async start(bootstrap, topic, group, label, config = {}) {
      const child = spawn(debianPython, [clientsDir + 'group_consumer.py', lib, bootstrap, topic, group, JSON.stringify(config), '120'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const state = new MemberState();
      onLines(child.stdout!, (line) => {
        state.note(line);
        const e = JSON.parse(line) as PythonEvent;
        if (e.event === 'assigned') state.current = e.partitions!;
        else if (e.event === 'revoked') state.current = [];
        else if (e.event === 'record') state.records.push({ partition: e.partition!, offset: e.offset!, key: e.key ?? null, value: e.value ?? null });
        state.changed();
      });
      onLines(child.stderr!, (line) => state.note(`stderr: ${line}`));
      return processMember(label ?? name, child, state, 'stdin');
    },
  };
}

export const confluentGroupClient = pythonClient('python3-confluent-kafka', 'confluent');
export const kafkaPythonGroupClient = pythonClient('kafka-python', 'kafka-python');

interface KcatMessage {
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
}

/**
 * `kcat -G` reports rebalances on stderr ("% Group g rebalanced (memberid m): assigned: t [0], t [2]")
 * and commits through librdkafka's auto-commit, which runs again when SIGTERM closes it.
 */
export const kcatGroupClient: GroupClient = {
  name: 'kcat',
  async start(bootstrap, topic, group, label) {
    const args = ['-b', bootstrap, '-G', group, topic, '-J', '-u', '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=6000', '-X', 'heartbeat.interval.ms=500', '-X', 'auto.commit.interval.ms=200'];
    const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const state = new MemberState();
    onLines(child.stdout!, (line) => {
      state.note(line);
      const m = JSON.parse(line) as KcatMessage;
      state.records.push({ partition: m.partition, offset: m.offset, key: m.key, value: m.payload });
      state.changed();
    });
    onLines(child.stderr!, (line) => {
      state.note(`stderr: ${line}`);
      const assigned = /rebalanced .*: assigned: (.*)$/.exec(line);
      if (assigned) state.current = [...assigned[1].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
      else if (/rebalanced .*: revoked/.test(line)) state.current = [];
      state.changed();
    });
    return processMember(label ?? 'kcat', child, state, 'SIGTERM');
  },
};

export const kafkajsGroupClient: GroupClient = {
  name: 'kafkajs',
  async start(bootstrap, topic, group, label) {
    const kafka = new Kafka({ clientId: 'runnel-group-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const consumer: Consumer = kafka.consumer({ groupId: group, sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 200, metadataMaxAge: 1000 });
    const state = new MemberState();
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      state.current = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      state.note(`joined: [${state.current}]`);
      state.changed();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      state.note(`crash: ${String(e.payload.error)}`);
      state.changed();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async ({ partition, message }) => {
        state.records.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
        state.note(`record ${partition}@${message.offset}`);
        state.changed();
      },
    });
    let closed = false;
    return {
      name: label ?? 'kafkajs',
      assignment: () => state.current,
      records: state.records,
      history: () => state.log.slice(-30).join('\n'),
      waitFor: (what, check, timeoutMs = 30_000) => state.waitFor(label ?? 'kafkajs', what, check, timeoutMs),
      async close() {
        if (closed) return;
        closed = true;
        await consumer.disconnect();
      },
      kill() {
        if (closed) return;
        closed = true;
        void consumer.disconnect().catch(() => undefined);
      },
    };
  },
};

/** Produces `n` records spread evenly over `partitions` partitions with kafkajs; values are `<tag>-<i>`. */
export async function produceSpread(bootstrap: string, topic: string, tag: string, n: number, partitions: number): Promise<void> {
  const producer = new Kafka({ clientId: 'group-test-producer', brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}`, partition: i % partitions })) });
  } finally {
    await producer.disconnect();
  }
}

/** Waits on several members at once; a timeout reports every member's history. */
export async function waitAll(members: readonly GroupMember[], what: string, check: () => boolean): Promise<void> {
  try {
    await Promise.all(members.map((m) => m.waitFor(what, check)));
  } catch (err) {
    throw new Error(`${(err as Error).message.split('\n')[0]}\n${members.map((m) => `--- ${m.name}\n${m.history()}`).join('\n')}`);
  }
}

/** The values of records produced with `tag` (see {@link produceSpread}). */
export function taggedValues(records: readonly MemberRecord[], tag: string): string[] {
  return records.map((r) => r.value!).filter((v) => v.startsWith(`${tag}-`));
}
