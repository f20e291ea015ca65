/**
 * Converters without a registry: Kafka's `StringConverter`, `ByteArrayConverter` and
 * `JsonConverter` (with `schemas.enable`, default true: the `{"schema": ..., "payload": ...}`
 * envelope; false: plain JSON, read back without a schema).
 */
import type { ConnectorConfig, Converter } from '../api.ts';
import type { ConnectSchema } from '../data.ts';
import { Schemas } from '../data.ts';
import { ConnectError } from '../errors.ts';
import { connectSchemaToJsonEnvelope, connectToJsonValue, jsonEnvelopeToConnectSchema, jsonToConnectValue } from './json-data.ts';

/** One schema object for every record, so consumers that cache by schema identity hit. */
const optionalString = Schemas.string({ optional: true });
const optionalBytes = Schemas.bytes({ optional: true });

export class StringConverter implements Converter {
  configure(): void {}
  async fromConnectData(_topic: string, _schema: ConnectSchema | null, value: unknown): Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value;
    if (typeof value === 'object') return Buffer.from(JSON.stringify(connectToJsonValue(null, value)));
    return Buffer.from(String(value));
  }
  async toConnectData(topic: string, bytes: Buffer | null): Promise<{ schema: ConnectSchema | null; value: unknown }> {
    return this.toConnectDataSync(topic, bytes);
  }
  toConnectDataSync(_topic: string, bytes: Buffer | null): { schema: ConnectSchema | null; value: unknown } {
    return { schema: optionalString, value: bytes === null ? null : bytes.toString('utf8') };
  }
}

export class ByteArrayConverter implements Converter {
  configure(): void {}
  async fromConnectData(_topic: string, _schema: ConnectSchema | null, value: unknown): Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (!Buffer.isBuffer(value)) throw new ConnectError('data', 'ByteArrayConverter is not compatible with objects of type ' + typeof value);
    return value;
  }
  async toConnectData(topic: string, bytes: Buffer | null): Promise<{ schema: ConnectSchema | null; value: unknown }> {
    return this.toConnectDataSync(topic, bytes);
  }
  toConnectDataSync(_topic: string, bytes: Buffer | null): { schema: ConnectSchema | null; value: unknown } {
    return { schema: optionalBytes, value: bytes };
  }
}

/** Distinct envelope schemas a JsonConverter keeps (so equal schemas are one object). */
const envelopeSchemasMax = 1_000;

export class JsonConverter implements Converter {
  private schemasEnabled = true;
  private readonly schemas = new Map<string, ConnectSchema>();
  configure(config: ConnectorConfig, _isKey = false): void {
    this.schemasEnabled = (config['schemas.enable'] ?? 'true').toLowerCase() !== 'false';
  }
  async fromConnectData(_topic: string, schema: ConnectSchema | null, value: unknown): Promise<Buffer | null> {
    if (value === null || value === undefined) return this.schemasEnabled && schema !== null ? Buffer.from(JSON.stringify({ schema: connectSchemaToJsonEnvelope(schema), payload: null })) : null;
    const payload = connectToJsonValue(schema, value);
    if (!this.schemasEnabled) return Buffer.from(JSON.stringify(payload));
    return Buffer.from(JSON.stringify({ schema: schema === null ? null : connectSchemaToJsonEnvelope(schema), payload }));
  }
  async toConnectData(topic: string, bytes: Buffer | null): Promise<{ schema: ConnectSchema | null; value: unknown }> {
    return this.toConnectDataSync(topic, bytes);
  }
  toConnectDataSync(_topic: string, bytes: Buffer | null): { schema: ConnectSchema | null; value: unknown } {
    if (bytes === null || bytes.length === 0) return { schema: null, value: null };
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new ConnectError('data', `Converting byte[] to Kafka Connect data failed due to serialization error: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!this.schemasEnabled) return { schema: null, value: json };
    if (json === null || typeof json !== 'object' || !('schema' in json) || !('payload' in json) || Object.keys(json).length !== 2) {
      throw new ConnectError(
        'data',
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      );
    }
    const env = json as { schema: unknown; payload: unknown };
    if (env.schema === null) return { schema: null, value: env.payload };
    const text = JSON.stringify(env.schema);
    let schema = this.schemas.get(text);
    if (schema === undefined) {
      if (this.schemas.size >= envelopeSchemasMax) this.schemas.clear();
      schema = jsonEnvelopeToConnectSchema(env.schema);
      this.schemas.set(text, schema);
    }
    return { schema, value: jsonToConnectValue(schema, env.payload) };
  }
}
