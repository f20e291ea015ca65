/**
 * Every codec against the grammar at the top of its own file: requests built by the grammar
 * decode to the values they were built from, responses encoded by the codec read back by the
 * grammar to the values given, and short or garbage requests fail with ProtocolDecodeError.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ProtocolDecodeError, Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';
import type { ApiVersionCodec } from '../../../src/broker/apis/api.ts';
import { allApis, kebab } from './all-apis.ts';
import type { Grammar, Obj } from './grammar.ts';
import { decodeByGrammar, encodeByGrammar, grammarOfFile, sampleOf } from './grammar.ts';

const apisDir = fileURLToPath(new URL('../../../src/broker/apis/', import.meta.url));

type AnyCodec = ApiVersionCodec<Obj, Obj>;

function decodeAll(codec: AnyCodec, bytes: Buffer): Obj {
  const r = new Reader(bytes);
  const req = codec.decodeRequest(r);
  expect(r.remaining).toBe(0);
  return req;
}

for (const { area, api } of allApis) {
  describe(`${api.name} (apiKey ${api.apiKey})`, () => {
    it('has contiguous codecs of its own apiKey', () => {
      const versions = api.codecs.map((c) => c.version);
      const min = versions[0];
      expect(versions).toEqual(versions.map((_v, i) => min + i));
      for (const c of api.codecs) expect(c.apiKey).toBe(api.apiKey);
    });

    for (const codec of api.codecs as unknown as AnyCodec[]) {
      const file = `${apisDir}${area}/${kebab(api.name)}-v${codec.version}.ts`;
      describe(`v${codec.version}`, () => {
        let grammar: Grammar;
        try {
          grammar = grammarOfFile(file);
        } catch (err) {
          it('opens with a grammar the tests can read', () => {
            throw err;
          });
          return;
        }

        it('opens with the grammar of this API and version', () => {
          expect(grammar.api).toBe(api.name);
          expect(grammar.version).toBe(codec.version);
          expect(grammar.request.tagged).toBe(codec.flexible);
          expect(grammar.response.tagged).toBe(codec.flexible);
        });

        for (const variant of ['full', 'nulls'] as const) {
          it(`decodes a request built by the grammar (${variant})`, () => {
            const req = sampleOf(grammar.request, variant);
            const w = new Writer();
            encodeByGrammar(w, grammar.request, req);
            expect(decodeAll(codec, w.toBuffer())).toEqual(req);
          });

          it(`encodes a response the grammar reads back (${variant})`, () => {
            const res = sampleOf(grammar.response, variant);
            const w = new Writer();
            codec.encodeResponse(w, res);
            expect(decodeByGrammar(w.toBuffer(), grammar.response)).toEqual(res);
          });
        }

        it('throws ProtocolDecodeError on every truncation of a request', () => {
          const w = new Writer();
          encodeByGrammar(w, grammar.request, sampleOf(grammar.request, 'full'));
          const bytes = w.toBuffer();
          for (let n = 0; n < bytes.length; n++) {
            expect(() => codec.decodeRequest(new Reader(bytes.subarray(0, n))), `${n} of ${bytes.length} bytes`).toThrow(ProtocolDecodeError);
          }
        });

        it('throws ProtocolDecodeError on garbage', () => {
          if (grammar.request.fields.length === 0) return; // an empty body has nothing to misread
          const garbage = Buffer.alloc(24, 0x7f);
          expect(() => codec.decodeRequest(new Reader(garbage))).toThrow(ProtocolDecodeError);
        });
      });
    }
  });
}
