/**
 * The messages of PostgreSQL's built-in `pgoutput` plugin, protocol version 1, as decoded by
 * `pgoutput-decoder.ts`. Spec: PostgreSQL 15 documentation, section 55.9 "Logical Replication
 * Message Formats".
 *
 * Tuple values stay in PostgreSQL's text output form (`'t'` columns); `type-mapping.ts` turns
 * them into Debezium's representations. `null` is SQL NULL, `undefined` an unchanged TOASTed
 * value the server did not send (`'u'`).
 */
import type { Lsn } from './lsn.ts';

/** One column value of a TupleData: text, SQL NULL, or `undefined` for an unchanged TOAST datum. */
export type TupleValue = string | null | undefined;

export interface RelationColumn {
  /** Bit 1: part of the replica identity key. */
  readonly flags: number;
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
}

export type ReplicaIdentity = 'default' | 'nothing' | 'full' | 'index';

export interface BeginMessage {
  readonly kind: 'begin';
  /** The final (commit) LSN of the transaction. */
  readonly finalLsn: Lsn;
  /** Microseconds since 1970-01-01 (converted from the 2000-01-01 wire epoch). */
  readonly commitTimeUs: bigint;
  readonly xid: number;
}

export interface CommitMessage {
  readonly kind: 'commit';
  readonly flags: number;
  readonly commitLsn: Lsn;
  /** The end LSN of the transaction: what a standby status update confirms. */
  readonly endLsn: Lsn;
  readonly commitTimeUs: bigint;
}

export interface OriginMessage {
  readonly kind: 'origin';
  readonly originLsn: Lsn;
  readonly name: string;
}

export interface RelationMessage {
  readonly kind: 'relation';
  readonly relationId: number;
  /** Empty for pg_catalog. */
  readonly namespace: string;
  readonly name: string;
  readonly replicaIdentity: ReplicaIdentity;
  readonly columns: readonly RelationColumn[];
}

export interface TypeMessage {
  readonly kind: 'type';
  readonly typeOid: number;
  readonly namespace: string;
  readonly name: string;
}

export interface InsertMessage {
  readonly kind: 'insert';
  readonly relationId: number;
  readonly newTuple: readonly TupleValue[];
}

export interface UpdateMessage {
  readonly kind: 'update';
  readonly relationId: number;
  /** 'K': only the replica identity columns (others null); 'O': the whole old row (REPLICA IDENTITY FULL); absent: not sent. */
  readonly oldKind: 'K' | 'O' | null;
  readonly oldTuple: readonly TupleValue[] | null;
  readonly newTuple: readonly TupleValue[];
}

export interface DeleteMessage {
  readonly kind: 'delete';
  readonly relationId: number;
  readonly oldKind: 'K' | 'O';
  readonly oldTuple: readonly TupleValue[];
}

export interface TruncateMessage {
  readonly kind: 'truncate';
  readonly cascade: boolean;
  readonly restartIdentity: boolean;
  readonly relationIds: readonly number[];
}

export interface LogicalDecodingMessage {
  readonly kind: 'message';
  readonly transactional: boolean;
  readonly lsn: Lsn;
  readonly prefix: string;
  readonly content: Buffer;
}

export type PgoutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalDecodingMessage;
