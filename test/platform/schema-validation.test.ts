/**
 * The platform as users run it (`runnel start`): the registry listens beside the broker, and a
 * topic with confluent.value.schema.validation=true refuses records that do not carry a schema
 * id registered for the topic's value subject (poison pills), with Kafka's INVALID_RECORD.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsDir, debianPython, randomTopic, run } from '../helpers/broker.ts';
import { startPlatformProcess, type PlatformProcess } from '../helpers/platform-process.ts';

let platform: PlatformProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'runnel-platform-'));
  platform = await startPlatformProcess(['--data-dir', dataDir, '--kafka-port', '0', '--registry-port', '0', '--log-level', 'warn']);
});
afterAll(async () => {
  expect(await platform?.stop()).toBe(0);
  await rm(dataDir, { recursive: true, force: true });
});

async function produceHex(topic: string, values: string[]): Promise<{ error: string | null; offset: number }[]> {
  const res = await run(debianPython, [clientsDir + 'produce_hex.py', platform.endpoints.kafka, topic, ...values]);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as { error: string | null; offset: number }[];
}

describe('broker-side schema validation', () => {
  it('prints the ready line with every running listener', () => {
    expect(platform.endpoints.kafka).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(platform.endpoints.registry).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts records with a registered schema id and refuses poison pills with INVALID_RECORD', async () => {
    const topic = randomTopic('validated');
    const schema = JSON.stringify({ type: 'record', name: 'Reading', fields: [{ name: 'n', type: 'long' }] });
    const reg = await fetch(`${platform.endpoints.registry}/subjects/${topic}-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema }),
    });
    expect(reg.status).toBe(200);
    const { id } = (await reg.json()) as { id: number };

    const created = await run('kcat', ['-b', platform.endpoints.kafka, '-L', '-t', topic]);
    expect(created.code).toBe(0); // auto-creates the topic
    const alter = await run(debianPython, [
      '-c',
      `from confluent_kafka.admin import AdminClient, ConfigResource
a = AdminClient({"bootstrap.servers": "${platform.endpoints.kafka}"})
r = ConfigResource("topic", "${topic}", set_config={"confluent.value.schema.validation": "true"})
for f in a.alter_configs([r]).values(): f.result()`,
    ]);
    expect(alter.code, alter.stderr).toBe(0);

    const idHex = id.toString(16).padStart(8, '0');
    const good = `00${idHex}02`; // magic 0, schema id, Avro long 1
    const unknownId = '00000f423f02'; // id 999999 was never registered
    const noMagic = Buffer.from('not avro').toString('hex');
    const truncated = `00${idHex}`; // header but no Avro body
    const results = await produceHex(topic, [good, noMagic, unknownId, truncated, good]);
    expect(results.map((r) => r.error)).toEqual([null, 'INVALID_RECORD', 'INVALID_RECORD', 'INVALID_RECORD', null]);
    expect(results[4].offset).toBe(1); // nothing of the refused records entered the log

    const consumed = await run('kcat', ['-b', platform.endpoints.kafka, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%o\n']);
    expect(consumed.stdout.trim().split('\n')).toEqual(['0', '1']);
  });
});
