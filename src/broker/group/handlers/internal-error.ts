/**
 * The handler boundary: anything thrown inside becomes a Kafka error code in the response, so
 * nothing is thrown across the wire.
 */
import { ErrorCode, KafkaProtocolError } from '../../protocol/error-codes.ts';

export function errorCodeOf(err: unknown): number {
  return err instanceof KafkaProtocolError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
}
