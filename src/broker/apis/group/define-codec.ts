/**
 * A small helper that builds a frozen, non-flexible {@link ApiVersionCodec} from a decode and an
 * encode function, so that a version whose grammar is unchanged can reuse the previous version's
 * functions under its own version number.
 */
import type { ApiVersionCodec } from '../api.ts';
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';

export function defineCodec<Req, Res>(
  apiKey: number,
  version: number,
  decodeRequest: (r: Reader) => Req,
  encodeResponse: (w: Writer, res: Res) => void,
): ApiVersionCodec<Req, Res> {
  return Object.freeze({ apiKey, version, flexible: false, decodeRequest, encodeResponse });
}
