/**
 * Topics as SQL sources and sinks: records decoded straight into Arrow columns through the
 * registry's schemas (a compiled Avro decoder on the hot path), result batches encoded back, and
 * the type mappings between Avro / JSON Schema / Protobuf and SQL types the catalog uses.
 */
export { KafkaTopicSource, BATCH_ROWS_MAX_DEFAULT, FETCH_BYTES_MAX_DEFAULT } from './topic-source.ts';
export type { TopicSourceOptions, SourceColumn, SourceColumnOrigin, TopicSourceProgress } from './topic-source.ts';
export { KafkaTopicSink, SinkError, PRODUCE_RECORDS_MAX, PRODUCE_BYTES_MAX } from './topic-sink.ts';
export type { TopicSinkOptions } from './topic-sink.ts';
export { RecordDecodeError } from './record-decoder.ts';
export { createBuilder, ColumnBuilder } from './arrow-builders.ts';
export { compileAvroDecoder, AvroDecodeCompileError } from './avro-arrow-decoder.ts';
export type { AvroArrowDecode } from './avro-arrow-decoder.ts';
export { parseAvroModel, AvroModelError } from './formats/avro-model.ts';
export type { AvroNode, AvroField } from './formats/avro-model.ts';
export { avroToSql, avroColumns, sqlColumnsToAvro, avroName, UnsupportedTypeError } from './formats/avro-types.ts';
export { jsonSchemaToSql, jsonSchemaColumns, sqlColumnsToJsonSchema, JsonSchemaTypeError } from './formats/json-schema-types.ts';
export { protobufMessageColumns, ProtobufTypeError } from './formats/protobuf-types.ts';
export { toFormatValue, bigEndianBytes } from './row-values.ts';
