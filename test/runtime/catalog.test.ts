import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayType, T } from '../../src/operators/index.ts';
import type { SqlType } from '../../src/operators/index.ts';
import { avroColumns, jsonSchemaColumns, parseAvroModel, sqlColumnsToAvro, sqlColumnsToJsonSchema } from '../../src/connectors/kafka/index.ts';
import { SqlRuntime } from '../../src/runtime/index.ts';
import type { ExecuteResult } from '../../src/runtime/index.ts';
import { SchemaRegistry } from '../../src/schema-registry/index.ts';
import { randomTopic } from '../helpers/broker.ts';
import { startEnv, type Env } from '../connectors/kafka/helpers.ts';

const show = (cols: { name: string; type: SqlType }[]) => cols.map((c) => `${c.name} ${displayType(c.type)}`);

describe('type mapping', () => {
  const sqlColumns = [
    { name: 'b', type: T.boolean(false) }, { name: 'ti', type: T.tinyint(false) }, { name: 'si', type: T.smallint(true) },
    { name: 'i', type: T.int(false) }, { name: 'l', type: T.bigint(true) }, { name: 'f', type: T.float(false) }, { name: 'd', type: T.double(true) },
    { name: 'dec', type: T.decimal(23, 3, true) }, { name: 's', type: T.string(false) }, { name: 'by', type: T.bytes(true) },
    { name: 'bin', type: T.binary(16, false) }, { name: 'dt', type: T.date(true) }, { name: 'tm', type: T.time(3, false) },
    { name: 'ts', type: T.timestamp(3, true) }, { name: 'tsu', type: T.timestamp(6, false) }, { name: 'ltz', type: T.timestampLtz(3, false) },
    { name: 'arr', type: T.array(T.int(true), true) }, { name: 'm', type: T.map(T.string(false), T.bigint(true), false) },
    { name: 'r', type: T.row([{ name: 'x', type: T.int(false) }, { name: 'y', type: T.row([{ name: 'z', type: T.string(true) }], true) }], true) },
  ];

  it('SQL -> Avro -> SQL gives the same types, nullability included', () => {
    const avro = sqlColumnsToAvro(sqlColumns, 't_value');
    // the schema is valid Avro for the registry
    expect(() => SchemaRegistry).not.toThrow();
    const back = avroColumns(parseAvroModel(avro), 'val');
    expect(show(back)).toEqual(show(sqlColumns));
  });

  it('Avro logical types map to SQL as Confluent Cloud does', () => {
    const cols = avroColumns(parseAvroModel({ type: 'record', name: 'r', fields: [
      { name: 'a', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'b', type: ['null', { type: 'long', logicalType: 'local-timestamp-micros' }] },
      { name: 'c', type: { type: 'string', logicalType: 'uuid' } },
      { name: 'd', type: { type: 'fixed', name: 'd', size: 10, logicalType: 'decimal', precision: 20, scale: 4 } },
      { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] } },
      { name: 'f', type: { type: 'map', values: { type: 'array', items: 'double' } } },
    ] }), 'val');
    expect(show(cols)).toEqual([
      'a TIMESTAMP_LTZ(3) NOT NULL', 'b TIMESTAMP(6)', 'c STRING NOT NULL', 'd DECIMAL(20, 4) NOT NULL', 'e STRING NOT NULL',
      'f MAP<STRING NOT NULL, ARRAY<DOUBLE NOT NULL> NOT NULL> NOT NULL',
    ]);
  });

  it('JSON Schema maps both ways', () => {
    const cols = [
      { name: 'id', type: T.bigint(false) }, { name: 'name', type: T.string(true) }, { name: 'at', type: T.timestampLtz(3, true) },
      { name: 'day', type: T.date(false) }, { name: 'tags', type: T.array(T.string(false), true) }, { name: 'ok', type: T.boolean(false) },
      { name: 'inner', type: T.row([{ name: 'x', type: T.double(false) }], true) }, { name: 'small', type: T.int(false) },
    ];
    expect(show(jsonSchemaColumns(sqlColumnsToJsonSchema(cols, 't'), 'val'))).toEqual(show(cols));
    expect(show(jsonSchemaColumns({ type: 'object', properties: { a: { type: ['integer', 'null'] }, m: { type: 'object', additionalProperties: { type: 'number' } }, any: {} }, required: ['m'] }, 'val')))
      .toEqual(['a BIGINT', 'm MAP<STRING NOT NULL, DOUBLE NOT NULL> NOT NULL', 'any STRING']);
  });
});

describe('RegistryCatalog and DDL', () => {
  let env: Env;
  let sql: SqlRuntime;
  beforeEach(async () => {
    env = await startEnv();
    sql = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
  });
  afterEach(async () => {
    await sql.close();
    await env.stop();
  });

  const rows = (r: ExecuteResult) => (r.kind === 'table' ? r.rows : []);

  it('turns every topic with a value schema into a table, with key columns and $rowtime', async () => {
    const topic = randomTopic('orders');
    await env.topics.createTopic(topic, { partitions: 2 });
    await env.registry.register(`${topic}-value`, { schema: JSON.stringify({ type: 'record', name: 'V', fields: [{ name: 'item', type: 'string' }, { name: 'qty', type: ['null', 'int'] }] }) });
    await env.registry.register(`${topic}-key`, { schema: JSON.stringify({ type: 'record', name: 'K', fields: [{ name: 'order_id', type: 'long' }] }) });
    await env.registry.register(`${topic}-nottopic-value`, { schema: '"string"' });
    await env.registry.register(`jsontab-value`, { schemaType: 'JSON', schema: JSON.stringify({ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }) });
    await env.topics.createTopic('jsontab', { partitions: 1 });
    expect(rows(await sql.execute('SHOW TABLES', {}))).toEqual([['jsontab'], [topic]]);
    expect(rows(await sql.execute(`DESCRIBE \`${topic}\``, {}))).toEqual([
      ['order_id', 'BIGINT', 'NOT NULL', 'BUCKET KEY'], ['item', 'STRING', 'NOT NULL', ''], ['qty', 'INT', 'NULL', ''],
    ]);
    const ext = rows(await sql.execute(`DESCRIBE EXTENDED \`${topic}\``, {}));
    expect(ext).toContainEqual(['$rowtime', 'TIMESTAMP_LTZ(3) *ROWTIME*', 'NOT NULL', 'METADATA FROM \'timestamp\' VIRTUAL, SYSTEM, WATERMARK AS SOURCE_WATERMARK()']);
    expect(ext).toContainEqual(['option value.format', 'avro-registry', '', '']);
    expect(rows(await sql.execute('DESCRIBE jsontab', {}))).toEqual([['a', 'BIGINT', 'NOT NULL', '']]);
  });

  it('CREATE TABLE creates the topic and registers key and value schemas; ALTER, DROP and views persist in _runnel_catalog', async () => {
    const r = await sql.execute(`CREATE TABLE clicks (
      user_id BIGINT, url STRING NOT NULL, amount DECIMAL(10, 2), ts TIMESTAMP(3),
      url_len AS CHAR_LENGTH(url),
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
      PRIMARY KEY (user_id) NOT ENFORCED
    ) DISTRIBUTED INTO 3 BUCKETS WITH ('retention' = 'forever')`, {});
    expect(r).toEqual({ kind: 'message', message: "Table 'clicks' created." });
    expect(await env.topics.partitionCount('clicks')).toBe(3);
    expect(JSON.parse(env.registry.getLatest('clicks-key').schema)).toMatchObject({ type: 'record', fields: [{ name: 'user_id', type: 'long' }] });
    expect(JSON.parse(env.registry.getLatest('clicks-value').schema).fields.map((f: { name: string }) => f.name)).toEqual(['url', 'amount', 'ts']);
    await expect(sql.execute('CREATE TABLE clicks (a INT)', {})).rejects.toThrow(/already exists/);
    expect(await sql.execute('CREATE TABLE IF NOT EXISTS clicks (a INT)', {})).toMatchObject({ kind: 'message' });
    const d = rows(await sql.execute('DESCRIBE clicks', {}));
    expect(d).toEqual([
      ['user_id', 'BIGINT', 'NOT NULL', 'PRIMARY KEY'], ['url', 'STRING', 'NOT NULL', ''], ['amount', 'DECIMAL(10, 2)', 'NULL', ''],
      ['ts', 'TIMESTAMP(3) *ROWTIME*', 'NULL', "WATERMARK AS ts - INTERVAL '5' SECOND"], ['url_len', '(computed)', 'NULL', 'AS CHAR_LENGTH(url)'],
    ]);
    const table = sql.catalog.getTable('clicks');
    expect(table?.changelogMode).toBe('upsert');
    expect(table?.primaryKey).toEqual(['user_id']);
    expect(table?.options.retention).toBe('forever');

    await sql.execute("ALTER TABLE clicks MODIFY WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE", {});
    await sql.execute("CREATE VIEW big AS SELECT * FROM clicks WHERE amount > 10", {});
    expect(rows(await sql.execute('SHOW VIEWS', {}))).toEqual([['big']]);
    expect(rows(await sql.execute("SHOW TABLES LIKE 'cl%'", {}))).toEqual([['clicks']]);

    // a second runtime on the same topics (a restart) sees the same catalog
    const again = await SqlRuntime.open({ topics: env.topics, registry: env.registry });
    const wm = again.catalog.getTable('clicks')?.watermark;
    expect(wm?.column).toBe('ts');
    expect(rows(await again.execute('DESCRIBE clicks', {}))[3][3]).toBe("WATERMARK AS ts - INTERVAL '1' MINUTE");
    expect(again.catalog.getView('big')?.kind).toBe('Query');
    await again.close();

    await sql.execute('DROP VIEW big', {});
    await sql.execute('DROP TABLE clicks', {});
    expect(rows(await sql.execute('SHOW TABLES', {}))).toEqual([]);
    expect(await env.topics.partitionCount('clicks')).toBe(null);
    await expect(sql.execute('DROP TABLE clicks', {})).rejects.toThrow(/does not exist/);
    expect(await sql.execute('DROP TABLE IF EXISTS clicks', {})).toMatchObject({ kind: 'message' });
  });

  it('ALTER TABLE MODIFY WATERMARK works on registry-only tables (queries/nexmark/setup.sql)', async () => {
    await env.topics.createTopic('bid', { partitions: 1 });
    await env.registry.register('bid-value', { schema: JSON.stringify({ type: 'record', name: 'Bid', fields: [{ name: 'price', type: 'long' }, { name: 'dateTime', type: { type: 'long', logicalType: 'timestamp-millis' } }] }) });
    await sql.execute("ALTER TABLE bid MODIFY WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND", {});
    expect(sql.catalog.getTable('bid')?.watermark?.column).toBe('dateTime');
    await expect(sql.execute("ALTER TABLE bid MODIFY WATERMARK FOR nope AS nope", {})).rejects.toThrow(/no column 'nope'/);
    await expect(sql.execute("ALTER TABLE missing MODIFY WATERMARK FOR a AS a", {})).rejects.toThrow(/does not exist/);
  });

  it('SET and RESET answer with the resulting session properties; SHOW FUNCTIONS lists built-ins', async () => {
    const s = await sql.execute("SET 'sql.tables.scan.idle-timeout' = '1 s'", { 'a.b': 'c' });
    expect(s).toMatchObject({ kind: 'table', properties: { 'a.b': 'c', 'sql.tables.scan.idle-timeout': '1 s' } });
    const all = await sql.execute('SET', { 'a.b': 'c' });
    expect(rows(all)).toContainEqual(['sql.state-ttl', '0']);
    expect(await sql.execute("RESET 'a.b'", { 'a.b': 'c', x: 'y' })).toMatchObject({ properties: { x: 'y' } });
    await expect(sql.execute("SET 'Bad Key' = 'v'", {})).rejects.toThrow(/not a property name/);
    expect(rows(await sql.execute('SHOW FUNCTIONS', {}))).toContainEqual(['UPPER']);
  });

  it('a filesystem table lives in the catalog only: listed, described, dropped; bad options say what to fix', async () => {
    const ddl = "CREATE TABLE logs (id BIGINT, msg STRING, dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', 'path' = 'out/logs', 'format' = 'parquet')";
    expect(await sql.execute(ddl, {})).toMatchObject({ kind: 'message' });
    expect(await env.topics.partitionCount('logs')).toBeNull();
    expect(rows(await sql.execute('SHOW TABLES', {}))).toContainEqual(['logs']);
    expect(rows(await sql.execute('DESCRIBE logs', {})).map((r) => r[0])).toEqual(['id', 'msg', 'dt']);
    const select = await sql.execute('SELECT * FROM logs', {});
    if (select.kind !== 'query') throw new Error('expected a query');
    const missing = await sql.runQuery(select.query, {}, () => undefined, new AbortController().signal);
    await expect(missing.done).rejects.toThrow(/out\/logs' does not exist/);
    await expect(sql.execute("CREATE TABLE l2 (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'x', 'format' = 'json')", {})).rejects.toThrow(/'format' = 'parquet'/);
    await expect(sql.execute("CREATE TABLE l2 (id BIGINT) WITH ('connector' = 'filesystem', 'format' = 'parquet')", {})).rejects.toThrow(/needs 'path'/);
    await expect(sql.execute("CREATE TABLE l2 (id BIGINT, dt STRING) PARTITIONED BY (d) WITH ('connector' = 'filesystem', 'path' = 'x', 'format' = 'parquet')", {})).rejects.toThrow(/column 'd'/);
    await expect(sql.execute("CREATE TABLE l2 (id BIGINT) WITH ('connector' = 'jdbc')", {})).rejects.toThrow(/not supported/);
    expect(await sql.execute('DROP TABLE logs', {})).toMatchObject({ message: expect.stringContaining('files stay') });
    expect(rows(await sql.execute('SHOW TABLES', {}))).not.toContainEqual(['logs']);
  });

  it('SELECT from a CSV filesystem table reads the file under the data directory and ends; a bad row names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runnel-csv-'));
    const files = await SqlRuntime.open({ topics: env.topics, registry: env.registry, fileRoot: dir });
    try {
      await mkdir(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'side.csv'), '1,one\n2,"two, too"\n3,\n');
      await files.execute("CREATE TABLE side (k BIGINT, v STRING) WITH ('connector' = 'filesystem', 'path' = 'data/side.csv', 'format' = 'csv')", {});
      const collect = async (text: string): Promise<unknown[]> => {
        const q = await files.execute(text, {});
        if (q.kind !== 'query') throw new Error('expected a query');
        const got: unknown[] = [];
        const run = await files.runQuery(q.query, {}, (rs) => { for (const r of rs) got.push([r.op, ...Object.values(r.row)]); }, new AbortController().signal);
        await run.done;
        return got;
      };
      expect(await collect('SELECT v, k * 10 AS k10 FROM side WHERE k > 1')).toEqual([['+I', 'two, too', 20], ['+I', null, 30]]);
      await writeFile(join(dir, 'data', 'side.csv'), '1,one\nx,bad\n');
      await expect(collect('SELECT * FROM side')).rejects.toThrow(/data\/side\.csv/);
    } finally {
      await files.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
