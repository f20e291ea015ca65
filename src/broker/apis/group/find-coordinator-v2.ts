/**
 * FindCoordinator v2 (API key 10): the same grammar as v1 (only throttling behaviour changed:
 * the broker answers before throttling).
 */
import { ApiKey } from '../api.ts';
import { defineCodec } from './define-codec.ts';
import { decodeFindCoordinatorRequestV1, encodeFindCoordinatorResponseV1 } from './find-coordinator-v1.ts';

export { decodeFindCoordinatorRequestV1 as decodeFindCoordinatorRequestV2, encodeFindCoordinatorResponseV1 as encodeFindCoordinatorResponseV2 };

export const findCoordinatorV2 = defineCodec(ApiKey.FindCoordinator, 2, decodeFindCoordinatorRequestV1, encodeFindCoordinatorResponseV1);
