/**
 * The shape every protocol API takes in Runnel: one codec per API version (decoding the
 * request body, encoding the response body) and one handler per API that works on a
 * version-independent request/response type. The server reads the request header, picks the
 * codec for (apiKey, apiVersion), and writes the response header; codecs never see headers.
 *
 * Request header v1 (non-flexible):  apiKey int16, apiVersion int16, correlationId int32, clientId nullable string
 * Request header v2 (flexible):      the same, then a tagged-field section
 * Response header v0:                correlationId int32
 * Response header v1 (flexible):     correlationId int32, tagged-field section
 * ApiVersions responses always use response header v0, whatever the version.
 */
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';

export interface ApiVersionCodec<Req, Res> {
  readonly apiKey: number;
  readonly version: number;
  /** Flexible versions use request header v2, response header v1, compact types and tagged fields. */
  readonly flexible: boolean;
  decodeRequest(r: Reader): Req;
  encodeResponse(w: Writer, res: Res): void;
}

/** All the versions of one API that the broker implements, contiguous from min to max. */
export interface ApiDefinition<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly codecs: readonly ApiVersionCodec<Req, Res>[];
  /** A response that answers every part of `req` with `errorCode` (used when a handler fails). */
  errorResponse(req: Req, errorCode: number): Res;
}

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  WriteTxnMarkers: 27,
  TxnOffsetCommit: 28,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  OffsetDelete: 47,
  DescribeCluster: 60,
} as const;
