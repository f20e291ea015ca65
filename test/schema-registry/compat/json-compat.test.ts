import { describe, expect, it } from 'vitest';
import { parseJsonSchema } from '../../../src/schema-registry/formats/json-schema.ts';
import { jsonCases } from './json-cases.ts';

describe('JSON Schema compatibility table', () => {
  it('has at least 100 cases', () => {
    expect(jsonCases.length).toBeGreaterThanOrEqual(100);
  });
  for (const c of jsonCases) {
    it(c.rule, () => {
      const oldSchema = parseJsonSchema(JSON.stringify(c.old), []);
      const newSchema = parseJsonSchema(JSON.stringify(c.new), []);
      const backward = newSchema.backwardIncompatibilities(oldSchema);
      const forward = oldSchema.backwardIncompatibilities(newSchema);
      expect({ backward: backward.length === 0, forward: forward.length === 0, reasons: [...backward, ...forward] }).toEqual({ backward: c.backward, forward: c.forward, reasons: expect.any(Array) });
    });
  }
});
