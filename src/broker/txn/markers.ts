/**
 * Transaction markers (KIP-98 "control batches"): one control record per marker, key
 * `version int16 (0), type int16 (0 abort, 1 commit)`, value `version int16 (0),
 * coordinatorEpoch int32`, in a batch with the transactional and control attributes set and the
 * producer's id and epoch.
 */
import { encodeBatch } from '../protocol/index.ts';
import { ControlType } from './partition-txns.ts';

/** This single broker is always the coordinator of its first (and only) epoch. */
export const coordinatorEpoch = 0;

export function encodeMarker(producerId: bigint, producerEpoch: number, commit: boolean): Promise<Buffer> {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? ControlType.commit : ControlType.abort, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return encodeBatch({ records: [{ key, value }], producerId, producerEpoch, baseSequence: -1, transactional: true, control: true });
}
