import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatTable, render } from '../../src/cli/output.ts';

describe('output', () => {
  it('aligns table columns and prints missing cells as -', () => {
    expect(formatTable(['NAME', 'PARTITIONS'], [['orders', 3], ['a', null]])).toBe('NAME    PARTITIONS\norders  3\na       -\n');
  });

  it('renders the same data as JSON and YAML, bigints as strings', () => {
    const data = { name: 'orders', offset: 12n, tags: ['a'] };
    expect(JSON.parse(render('json', data, () => ''))).toEqual({ name: 'orders', offset: '12', tags: ['a'] });
    expect(parseYaml(render('yaml', data, () => ''))).toEqual({ name: 'orders', offset: '12', tags: ['a'] });
    expect(render('text', data, () => 'human\n')).toBe('human\n');
  });
});
