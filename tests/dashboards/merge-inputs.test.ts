import { MAX_INPUT_OPTIONS, mergeInputs } from '../../src/plugins/api-tokens/server/src/shared/merge-inputs';
import type { ReportInputOptions } from '../../src/plugins/api-tokens/server/src/shared/types';

const input = (over: Partial<ReportInputOptions> & Pick<ReportInputOptions, 'name'>): ReportInputOptions => ({
  column: over.name,
  type: 'single-select',
  default: null,
  required: false,
  options: [],
  ...over,
});

describe('mergeInputs', () => {
  it('keeps inputs of different names apart, in first-seen order', () => {
    const merged = mergeInputs([[input({ name: 'channel' })], [input({ name: 'region' }), input({ name: 'channel' })]]);
    expect(merged.map((item) => item.name)).toEqual(['channel', 'region']);
  });

  it('takes the first report’s column and default, and the first default when the first has none', () => {
    const merged = mergeInputs([
      [input({ name: 'c', column: 'channel' })],
      [input({ name: 'c', column: 'other', default: 'online' })],
      [input({ name: 'c', default: 'retail' })],
    ]);
    expect(merged).toEqual([expect.objectContaining({ column: 'channel', default: 'online' })]);
  });

  it('is a single-select when any report’s is one, and required when any requires it', () => {
    const [merged] = mergeInputs([
      [input({ name: 'c', type: 'multi-select' })],
      [input({ name: 'c', type: 'single-select', required: true })],
      [input({ name: 'c', type: 'multi-select' })],
    ]);
    expect(merged).toMatchObject({ type: 'single-select', required: true });
    expect(
      mergeInputs([[input({ name: 'c', type: 'multi-select' })], [input({ name: 'c', type: 'multi-select' })]])
    ).toEqual([expect.objectContaining({ type: 'multi-select', required: false })]);
  });

  it('unites the options, sorted (numbers as numbers) and capped', () => {
    const [text] = mergeInputs([
      [input({ name: 'c', options: ['retail', 'online'] })],
      [input({ name: 'c', options: ['partner', 'online'] })],
    ]);
    expect(text.options).toEqual(['online', 'partner', 'retail']);
    const [numbers] = mergeInputs([[input({ name: 'n', options: [10, 2] })], [input({ name: 'n', options: [1, 2] })]]);
    expect(numbers.options).toEqual([1, 2, 10]);
    const many = (from: number) => Array.from({ length: MAX_INPUT_OPTIONS }, (_, index) => from + index);
    const [capped] = mergeInputs([[input({ name: 'n', options: many(0) })], [input({ name: 'n', options: many(5) })]]);
    expect(capped.options).toHaveLength(MAX_INPUT_OPTIONS);
  });

  it('does not change the lists it merges', () => {
    const first = input({ name: 'c', options: ['b'] });
    mergeInputs([[first], [input({ name: 'c', options: ['a'], required: true })]]);
    expect(first).toEqual(input({ name: 'c', options: ['b'] }));
  });
});
