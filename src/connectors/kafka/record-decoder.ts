/**
 * Decodes the key or value part of records into column builders, one compiled decoder per writer
 * schema id: Avro through the generated Arrow decoder (the hot path), JSON Schema and Protobuf
 * through their parsers and `appendJs` (a slower path: one JS object per record).
 */
import protobuf from 'protobufjs';
import { decodeMessageIndexes, ProtobufSchema } from '../../schema-registry/index.ts';
import type { RegistryClient } from '../../schema-registry/index.ts';
import type { ColumnBuilder } from './arrow-builders.ts';
import { compileAvroDecoder } from './avro-arrow-decoder.ts';
import { parseAvroModel } from './formats/avro-model.ts';

/** Appends one framed payload (magic byte, schema id, body) to the target builders. */
type PayloadDecode = (buf: Buffer) => void;

/** Thrown for a record that cannot be decoded; says which topic, partition and offset. */
export class RecordDecodeError extends Error {}

/** Distinct schema ids one decoder keeps compiled code for. */
export const DECODERS_PER_SOURCE_MAX = 1024;

export class RecordPartDecoder {
  private readonly byId = new Map<number, PayloadDecode>();

  /** `targets`: field name -> builder. An empty map means the part is not read at all. */
  constructor(
    private readonly registry: RegistryClient,
    private readonly targets: ReadonlyMap<string, ColumnBuilder>,
  ) {}

  /** A record without this part (a null key): NULL in every target column. */
  nulls(): void {
    for (const b of this.targets.values()) b.nul();
  }

  get empty(): boolean {
    return this.targets.size === 0;
  }

  /** The decoder for a payload's schema id, if already compiled (then decoding is synchronous). */
  ready(buf: Buffer): PayloadDecode | undefined {
    if (buf.length < 5) return undefined;
    return this.byId.get(buf.readInt32BE(1));
  }

  async prepare(buf: Buffer): Promise<PayloadDecode> {
    if (buf.length < 5 || buf[0] !== 0) throw new RecordDecodeError(`payload is not in the Confluent wire format (magic byte ${buf[0]}, ${buf.length} bytes)`);
    const id = buf.readInt32BE(1);
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    if (this.byId.size >= DECODERS_PER_SOURCE_MAX) throw new RecordDecodeError(`more than ${DECODERS_PER_SOURCE_MAX} writer schemas in one topic`);
    const decode = await this.compile(id);
    this.byId.set(id, decode);
    return decode;
  }

  private async compile(id: number): Promise<PayloadDecode> {
    const schema = await this.registry.getById(id);
    if (schema.schemaType === 'AVRO') {
      const refs = await Promise.all(schema.references.map(async (r) => JSON.parse((await this.registry.getVersion(r.subject, r.version)).schema) as unknown));
      const decode = compileAvroDecoder(parseAvroModel(JSON.parse(schema.schema), refs), this.targets);
      return (buf) => {
        const end = decode(buf, 5);
        if (end !== buf.length) throw new RecordDecodeError(`Avro record of ${buf.length} bytes ended at ${end} (schema ${id})`);
      };
    }
    const entries = [...this.targets];
    const single = entries.length === 1 ? entries[0] : undefined;
    const append = (obj: unknown): void => {
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        if (single !== undefined) single[1].appendJs(obj);
        else for (const [, b] of entries) b.nul();
        return;
      }
      const o = obj as Record<string, unknown>;
      for (const [name, b] of entries) b.appendJs(o[name]);
    };
    if (schema.schemaType === 'JSON') {
      return (buf) => append(JSON.parse(buf.toString('utf8', 5)) as unknown);
    }
    const parsed = await this.registry.parsedById(id);
    if (!(parsed instanceof ProtobufSchema)) throw new RecordDecodeError(`schema ${id} is ${schema.schemaType}, not PROTOBUF`);
    return (buf) => {
      const { indexes, offset } = decodeMessageIndexes(buf, 5);
      const type: protobuf.Type = parsed.messageAt(indexes);
      append(type.toObject(type.decode(buf.subarray(offset)), { longs: Number, enums: String, defaults: true, bytes: Buffer as unknown as typeof String }));
    };
  }
}
