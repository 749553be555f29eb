import { dataParams } from '../../src/plugins/api-tokens/admin/src/api/data-params';

describe('dataParams', () => {
  it('encodes names and values, so an option such as "R&D" stays one value', () => {
    const query = dataParams({ inputs: { team: 'R&D', 'a b': 'x=y#z' } });
    expect(query).toBe('inputs%5Bteam%5D=R%26D&inputs%5Ba+b%5D=x%3Dy%23z');
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({ 'inputs[team]': 'R&D', 'inputs[a b]': 'x=y#z' });
  });

  it('repeats a multi-select as name[]', () => {
    expect([...new URLSearchParams(dataParams({ inputs: { channel: ['online', 'retail'] } }))]).toEqual([
      ['inputs[channel][]', 'online'],
      ['inputs[channel][]', 'retail'],
    ]);
  });

  it('leaves an undefined input out (its default applies) and sends a cleared one empty (no filter)', () => {
    const params = new URLSearchParams(dataParams({ inputs: { a: undefined, b: '', c: [] } }));
    expect([...params]).toEqual([
      ['inputs[b]', ''],
      ['inputs[c]', ''],
    ]);
  });

  it('adds the page and its size', () => {
    expect(dataParams({ page: 2, pageSize: 50 })).toBe('page=2&pageSize=50');
    expect(dataParams({})).toBe('');
  });
});
