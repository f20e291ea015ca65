/**
 * What a group API handler knows about the request besides its body. The broker fills it in
 * from the request header and the connection.
 */
export interface GroupRequestContext {
  readonly clientId: string;
  /** The client's address as Kafka shows it, e.g. "/127.0.0.1". */
  readonly clientHost: string;
  readonly apiVersion: number;
}

export interface BrokerNode {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface FindCoordinatorContext extends GroupRequestContext {
  /** This broker, which coordinates every group and transaction. */
  readonly node: BrokerNode;
}

export interface OffsetCommitContext extends GroupRequestContext {
  /** Commits to partitions that do not exist are refused with UNKNOWN_TOPIC_OR_PARTITION. */
  partitionExists(topic: string, partition: number): boolean;
}
