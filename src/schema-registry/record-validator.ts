/**
 * Broker-side schema validation (integration point for the broker): for topics with
 * `confluent.value.schema.validation=true` (or `confluent.key.schema.validation=true`) the broker
 * calls the validator for each record's value (or key) and answers INVALID_RECORD when it returns
 * a message. A record passes when it is framed in Confluent's wire format with a schema id
 * registered under the topic's subject (`<topic>-value` / `<topic>-key`, TopicNameStrategy) and
 * its payload decodes with that schema, so poison pills never enter the topic. Null keys and
 * values (tombstones) pass.
 */
import { SerializationError } from './errors.ts';
import type { SchemaRegistry } from './registry.ts';
import { createDecoder, type Decoder } from './serdes/codecs.ts';
import { headerBytes, magicByte } from './serdes/wire-format.ts';

/** Decoders kept by schema id. */
const decoderCacheMax = 10_000;

export type RecordValidator = (topic: string, isKey: boolean, payload: Buffer | null) => Promise<string | null>;

export function createRecordValidator(registry: SchemaRegistry): RecordValidator {
  const decoders = new Map<number, Decoder>();
  return async (topic, isKey, payload) => {
    if (payload === null) return null;
    const what = isKey ? 'key' : 'value';
    if (payload.length < headerBytes) return `${what} of ${payload.length} bytes carries no schema id (Confluent wire format needs a 5-byte header)`;
    if (payload[0] !== magicByte) return `${what} does not start with magic byte 0 (found ${payload[0]}): not in Confluent wire format`;
    const id = payload.readInt32BE(1);
    const subject = `${topic}-${what}`;
    let versions: Array<{ subject: string }>;
    try {
      versions = registry.versionsForId(id);
    } catch {
      return `${what} carries schema id ${id}, which is not registered`;
    }
    if (!versions.some((v) => v.subject === subject)) return `${what} carries schema id ${id}, which is not registered under subject '${subject}'`;
    try {
      let decoder = decoders.get(id);
      if (decoder === undefined) {
        decoder = createDecoder(registry.getParsedById(id), { validate: true });
        if (decoders.size >= decoderCacheMax) decoders.delete(decoders.keys().next().value as number);
        decoders.set(id, decoder);
      }
      decoder.decode(payload);
    } catch (err) {
      const reason = err instanceof SerializationError || err instanceof Error ? err.message : String(err);
      return `${what} does not decode with schema id ${id}: ${reason}`;
    }
    return null;
  };
}
