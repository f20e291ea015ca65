export * from './reader.ts';
export * from './writer.ts';
export * from './error-codes.ts';
export * from './crc32c.ts';
export * from './compression.ts';
export * from './record-batch.ts';
