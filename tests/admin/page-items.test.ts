import { pageItems } from '../../src/plugins/api-tokens/admin/src/utils/pageItems';

describe('pageItems', () => {
  it.each([
    [1, 1, [1]],
    [1, 2, [1, 2]],
    [2, 3, [1, 2, 3]],
    // One skipped page is shown; two or more become dots (null).
    [1, 4, [1, 2, 3, 4]],
    [1, 5, [1, 2, null, 5]],
    [3, 5, [1, 2, 3, 4, 5]],
    [5, 10, [1, null, 4, 5, 6, null, 10]],
    [10, 10, [1, null, 9, 10]],
    [4, 10, [1, 2, 3, 4, 5, null, 10]],
  ])('page %i of %i → %j', (page, pageCount, expected) => {
    expect(pageItems(page, pageCount)).toEqual(expected);
  });

  it('shows more siblings when asked', () => {
    expect(pageItems(10, 20, 2)).toEqual([1, null, 8, 9, 10, 11, 12, null, 20]);
  });
});
