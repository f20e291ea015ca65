/** The transaction coordinator and the per-partition transaction state (KIP-98). */
export { TransactionCoordinator, transactionTimeoutMsMax } from './coordinator.ts';
export type { InitResult, PendingOffset, TopicPartitionRef, TxnEnvironment, TxnStore } from './coordinator.ts';
export type { TxnMetadata, TxnState } from './txn-metadata.ts';
export { PartitionTxns, controlType, loadedPartitionTxns, partitionTxns, txnIndexFile } from './partition-txns.ts';
export type { AbortedTxn } from './partition-txns.ts';
export { encodeMarker } from './markers.ts';
