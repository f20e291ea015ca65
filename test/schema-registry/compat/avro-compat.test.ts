import { describe, expect, it } from 'vitest';
import { parseAvro } from '../../../src/schema-registry/formats/avro.ts';
import { avroCases } from './avro-cases.ts';

describe('Avro compatibility table', () => {
  it('has at least 100 cases', () => {
    expect(avroCases.length).toBeGreaterThanOrEqual(100);
  });
  for (const c of avroCases) {
    it(c.rule, () => {
      const oldSchema = parseAvro(JSON.stringify(c.old), []);
      const newSchema = parseAvro(JSON.stringify(c.new), []);
      expect({ backward: newSchema.backwardIncompatibilities(oldSchema), forward: oldSchema.backwardIncompatibilities(newSchema) }).toEqual({
        backward: c.backward ? [] : expect.arrayContaining([expect.stringMatching(/errorType:'[A-Z_]+'/)]),
        forward: c.forward ? [] : expect.arrayContaining([expect.stringMatching(/errorType:'[A-Z_]+'/)]),
      });
    });
  }
});
