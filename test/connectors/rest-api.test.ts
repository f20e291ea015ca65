import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTopicClient } from '../../src/client/in-process.ts';
import { rest, startTestPlatform, waitFor, type TestPlatform } from './platform.ts';

/** Kafka Connect's error body: exactly these two fields. */
function expectError(res: { status: number; body: unknown }, status: number, message: RegExp): void {
  expect(res.status).toBe(status);
  expect(Object.keys(res.body as object).sort()).toEqual(['error_code', 'message']);
  expect((res.body as { error_code: number }).error_code).toBe(status);
  expect((res.body as { message: string }).message).toMatch(message);
}

const gen = (topic: string) => ({ 'connector.class': 'DatagenSource', 'kafka.topic': topic, quickstart: 'pageviews', 'max.interval': '100', 'tasks.max': '2' });

describe('Kafka Connect REST API', () => {
  let p: TestPlatform;
  let u: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    u = p.connectUrl;
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('GET / and GET /connector-plugins', async () => {
    const root = await rest(u, 'GET', '/');
    expect(root.status).toBe(200);
    expect(Object.keys(root.body as object).sort()).toEqual(['commit', 'kafka_cluster_id', 'version']);
    const plugins = (await rest(u, 'GET', '/connector-plugins')).body as { class: string; type: string; version: string }[];
    const classes = plugins.map((x) => x.class);
    for (const c of ['io.confluent.kafka.connect.datagen.DatagenConnector', 'io.confluent.connect.jdbc.JdbcSinkConnector', 'io.runnel.connect.duckdb.DuckDBSinkConnector', 'io.runnel.connect.postgres.PostgresSinkConnector']) expect(classes).toContain(c);
    expect(plugins.every((x) => x.type === 'source' || x.type === 'sink')).toBe(true);
    const all = (await rest(u, 'GET', '/connector-plugins?connectorsOnly=false')).body as { class: string; type: string }[];
    expect(all.filter((x) => x.type === 'transformation').map((x) => x.class)).toEqual(
      expect.arrayContaining(['io.debezium.transforms.ExtractNewRecordState', 'org.apache.kafka.connect.transforms.RegexRouter', 'org.apache.kafka.connect.transforms.InsertField$Value', 'org.apache.kafka.connect.transforms.ReplaceField$Key', 'org.apache.kafka.connect.transforms.TimestampConverter$Value']),
    );
    const config = await rest(u, 'GET', '/connector-plugins/DatagenSource/config');
    expect((config.body as { name: string }[]).map((c) => c.name)).toContain('kafka.topic');
  });

  it('create, read, update and delete a connector', async () => {
    expect((await rest(u, 'GET', '/connectors')).body).toEqual([]);
    const created = await rest(u, 'POST', '/connectors', { name: 'pv', config: gen('pv') });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'pv', config: { ...gen('pv'), name: 'pv' }, tasks: [{ connector: 'pv', task: 0 }, { connector: 'pv', task: 1 }], type: 'source' });
    expectError(await rest(u, 'POST', '/connectors', { name: 'pv', config: gen('pv') }), 409, /^Connector pv already exists$/);
    expect((await rest(u, 'GET', '/connectors')).body).toEqual(['pv']);
    expect((await rest(u, 'GET', '/connectors/pv')).body).toMatchObject({ name: 'pv', type: 'source' });
    expect((await rest(u, 'GET', '/connectors/pv/config')).body).toEqual({ ...gen('pv'), name: 'pv' });
    const tasks = (await rest(u, 'GET', '/connectors/pv/tasks')).body as { id: { connector: string; task: number }; config: Record<string, string> }[];
    expect(tasks.map((t) => t.id)).toEqual([{ connector: 'pv', task: 0 }, { connector: 'pv', task: 1 }]);
    expect(tasks[1].config['task.id']).toBe('1');
    const status = await waitFor(async () => {
      const s = (await rest(u, 'GET', '/connectors/pv/status')).body as { connector: { state: string }; tasks: { state: string }[] };
      return s.tasks.every((t) => t.state === 'RUNNING') ? s : null;
    });
    expect(status).toMatchObject({ name: 'pv', connector: { state: 'RUNNING', worker_id: expect.stringMatching(/^127\.0\.0\.1:\d+$/) }, type: 'source' });
    expect((await rest(u, 'GET', '/connectors/pv/tasks/1/status')).body).toMatchObject({ id: 1, state: 'RUNNING' });

    const expanded = (await rest(u, 'GET', '/connectors?expand=status&expand=info')).body as Record<string, { status: unknown; info: unknown }>;
    expect(Object.keys(expanded.pv).sort()).toEqual(['info', 'status']);
    expect(Object.keys(((await rest(u, 'GET', '/connectors?expand=info')).body as Record<string, object>).pv)).toEqual(['info']);

    const updated = await rest(u, 'PUT', '/connectors/pv/config', { ...gen('pv'), 'tasks.max': '1' });
    expect(updated.status).toBe(200);
    expect((updated.body as { tasks: unknown[] }).tasks).toHaveLength(1);
    const createdByPut = await rest(u, 'PUT', '/connectors/pv2/config', gen('pv2'));
    expect(createdByPut.status).toBe(201);
    expectError(await rest(u, 'PUT', '/connectors/pv2/config', { ...gen('pv2'), name: 'other' }), 400, /doesn't match connector name in the URL/);
    const patched = await rest(u, 'PATCH', '/connectors/pv2/config', { 'max.interval': '200' });
    expect((patched.body as { config: Record<string, string> }).config['max.interval']).toBe('200');

    expect((await rest(u, 'DELETE', '/connectors/pv2')).status).toBe(204);
    expectError(await rest(u, 'GET', '/connectors/pv2'), 404, /^Connector pv2 not found$/);
    expectError(await rest(u, 'DELETE', '/connectors/pv2'), 404, /not found/);
  });

  it('pause, resume, stop, restart and task restart', async () => {
    expect((await rest(u, 'PUT', '/connectors/pv/pause')).status).toBe(202);
    await waitFor(async () => ((await rest(u, 'GET', '/connectors/pv/status')).body as { connector: { state: string }; tasks: { state: string }[] }).tasks.every((t) => t.state === 'PAUSED'));
    expect(((await rest(u, 'GET', '/connectors/pv/status')).body as { connector: { state: string } }).connector.state).toBe('PAUSED');
    expect((await rest(u, 'PUT', '/connectors/pv/resume')).status).toBe(202);
    expect(((await rest(u, 'GET', '/connectors/pv/status')).body as { connector: { state: string } }).connector.state).toBe('RUNNING');
    expect((await rest(u, 'POST', '/connectors/pv/restart')).status).toBe(204);
    const withTasks = await rest(u, 'POST', '/connectors/pv/restart?includeTasks=true');
    expect(withTasks.status).toBe(202);
    expect(withTasks.body).toMatchObject({ name: 'pv', connector: { state: expect.any(String) }, tasks: [{ id: 0 }] });
    const onlyFailed = await rest(u, 'POST', '/connectors/pv/restart?includeTasks=true&onlyFailed=true');
    expect(onlyFailed.status).toBe(202);
    expect((await rest(u, 'POST', '/connectors/pv/tasks/0/restart')).status).toBe(204);
    expectError(await rest(u, 'POST', '/connectors/pv/tasks/7/restart'), 404, /Task pv-7 not found/);
    expectError(await rest(u, 'GET', '/connectors/pv/tasks/7/status'), 404, /No status found for task pv-7/);
    expectError(await rest(u, 'PUT', '/connectors/nope/pause'), 404, /Connector nope not found/);

    expect((await rest(u, 'PUT', '/connectors/pv/stop')).status).toBe(202);
    const stopped = (await rest(u, 'GET', '/connectors/pv/status')).body as { connector: { state: string }; tasks: unknown[] };
    expect(stopped).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    expect((await rest(u, 'PUT', '/connectors/pv/resume')).status).toBe(202);
    await waitFor(async () => ((await rest(u, 'GET', '/connectors/pv/status')).body as { tasks: unknown[] }).tasks.length === 1);
  });

  it('offsets: GET any time, PATCH and DELETE only when stopped', async () => {
    const got = (await rest(u, 'GET', '/connectors/pv/offsets')).body as { offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[] };
    expect(Array.isArray(got.offsets)).toBe(true);
    expectError(await rest(u, 'DELETE', '/connectors/pv/offsets'), 400, /STOPPED state/);
    await rest(u, 'PUT', '/connectors/pv/stop');
    const patched = await rest(u, 'PATCH', '/connectors/pv/offsets', { offsets: [{ partition: { task: 0, topic: 'pv' }, offset: { iteration: 41 } }] });
    expect(patched).toEqual({ status: 200, body: { message: 'The offsets for this connector have been altered successfully' } });
    expect(((await rest(u, 'GET', '/connectors/pv/offsets')).body as { offsets: unknown[] }).offsets).toContainEqual({ partition: { task: 0, topic: 'pv' }, offset: { iteration: 41 } });
    expectError(await rest(u, 'PATCH', '/connectors/pv/offsets', {}), 400, /may not be null or empty/);
    expect(await rest(u, 'DELETE', '/connectors/pv/offsets')).toEqual({ status: 200, body: { message: 'The offsets for this connector have been reset successfully' } });
    expect((await rest(u, 'GET', '/connectors/pv/offsets')).body).toEqual({ offsets: [] });
    expectError(await rest(u, 'GET', '/connectors/nope/offsets'), 404, /not found/);
  });

  it('validation with per-field errors, and bad requests', async () => {
    const v = await rest(u, 'PUT', '/connector-plugins/io.confluent.kafka.connect.datagen.DatagenConnector/config/validate', { name: 'x', 'connector.class': 'DatagenSource', quickstart: 'planets', 'tasks.max': '0', transforms: 'r', 'transforms.r.type': 'org.apache.kafka.connect.transforms.RegexRouter' });
    expect(v.status).toBe(200);
    const body = v.body as { name: string; error_count: number; groups: string[]; configs: { definition: Record<string, unknown>; value: { name: string; errors: string[]; value: unknown } }[] };
    expect(body.name).toBe('io.confluent.kafka.connect.datagen.DatagenConnector');
    const errs = Object.fromEntries(body.configs.filter((c) => c.value.errors.length).map((c) => [c.value.name, c.value.errors[0]]));
    expect(errs).toEqual({
      'kafka.topic': 'Missing required configuration "kafka.topic" which has no default value.',
      quickstart: 'Invalid value planets for configuration quickstart: String must be one of: orders, users, pageviews, nexmark',
      'tasks.max': 'Invalid value 0 for configuration tasks.max: Value must be at least 1',
      'transforms.r.regex': 'Missing required configuration "regex" which has no default value.',
      'transforms.r.replacement': 'Missing required configuration "replacement" which has no default value.',
    });
    expect(body.error_count).toBe(5);
    expect(body.groups).toContain('Common');
    expect(Object.keys(body.configs[0].definition).sort()).toEqual(['default_value', 'dependents', 'display_name', 'documentation', 'group', 'importance', 'name', 'order', 'required', 'type', 'width']);
    expectError(await rest(u, 'PUT', '/connector-plugins/NoSuchConnector/config/validate', { 'connector.class': 'NoSuchConnector' }), 400, /Failed to find any class that implements Connector/);
    expectError(await rest(u, 'PUT', '/connector-plugins/DuckDBSink/config/validate', { 'connector.class': 'DatagenSource' }), 400, /does not match request type/);

    const invalid = await rest(u, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'DatagenSource', 'kafka.topic': 't', quickstart: 'planets' } });
    expectError(invalid, 400, /Connector configuration is invalid and contains the following 1 error\(s\):\nquickstart: Invalid value planets/);
    expectError(await rest(u, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'com.example.Missing' } }), 400, /Failed to find any class that implements Connector and which name matches com.example.Missing/);
    expectError(await rest(u, 'POST', '/connectors', { name: 'bad', config: {} }), 400, /contains no connector type/);
    expectError(await rest(u, 'POST', '/connectors', { config: gen('x') }), 400, /name must not be empty/);
    expectError(await rest(u, 'POST', '/connectors', { name: 'bad', config: gen('x'), initial_state: 'SLEEPING' }), 400, /Invalid initial state/);
    expectError(await rest(u, 'POST', '/connectors', { name: 'sink', config: { 'connector.class': 'DuckDBSink', 'duckdb.path': '/tmp/x.duckdb' } }), 400, /Must configure one of topics or topics.regex/);
    const raw = await fetch(`${u}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(raw.status).toBe(400);
    expect(Object.keys((await raw.json()) as object).sort()).toEqual(['error_code', 'message']);
    expectError(await rest(u, 'GET', '/no/such/path'), 404, /HTTP 404 Not Found/);
    expect((await rest(u, 'GET', '/connectors')).body).toEqual(['pv']);
  });
});

describe('DatagenSource nexmark', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('writes persons, auctions and bids into three topics and resumes by event count', async () => {
    const res = await rest(p.connectUrl, 'POST', '/connectors', { name: 'nx', config: { 'connector.class': 'DatagenSource', quickstart: 'nexmark', 'kafka.topic': 'nx.', 'max.interval': '0', iterations: '5000', 'datagen.batch.size': '1000' } });
    expect(res.status).toBe(201);
    const offsets = await waitFor(async () => {
      const o = (await rest(p.connectUrl, 'GET', '/connectors/nx/offsets')).body as { offsets: { offset: { event: number } }[] };
      return o.offsets[0]?.offset.event === 5000 ? o : null;
    });
    expect(offsets.offsets).toHaveLength(1);
    const client = new InProcessTopicClient(p.platform.broker);
    const counts = await Promise.all(['nx.person', 'nx.auction', 'nx.bid'].map(async (topic) => (await client.offsets(topic, 0)).end));
    // Nexmark's proportions: 1 person, 3 auctions, 46 bids in every 50 events.
    expect(counts).toEqual([100n, 300n, 4600n]);
    const bid = (await client.fetch('nx.bid', 0, 0n)).records[0];
    expect(JSON.parse(bid.value!.toString()).payload).toHaveProperty('price');
  });
});
