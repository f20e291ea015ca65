/** The filesystem sink and bounded source of SQL tables with `'connector' = 'filesystem'` (Parquet through DuckDB). */
export { FileSystemSink, FileSystemSinkError, escapePartitionValue, DEFAULT_PARTITION_NAME, ROLL_ROWS_DEFAULT } from './filesystem-sink.ts';
export type { FileSystemSinkOptions } from './filesystem-sink.ts';
export { FileSystemSource, FileSystemSourceError } from './filesystem-source.ts';
export type { FileSystemSourceOptions } from './filesystem-source.ts';
