/** The pages to show: the first, the last, the current one with its siblings, and `null` where pages are skipped. */
export const pageItems = (page: number, pageCount: number, siblings = 1): (number | null)[] => {
  const shown = new Set([1, pageCount]);
  for (let candidate = page - siblings; candidate <= page + siblings; candidate += 1) {
    if (candidate >= 1 && candidate <= pageCount) shown.add(candidate);
  }
  const sorted = [...shown].sort((a, b) => a - b);
  const items: (number | null)[] = [];
  sorted.forEach((candidate, index) => {
    const previous = sorted[index - 1];
    // One missing page is shown rather than replaced by dots.
    if (previous !== undefined && candidate - previous === 2) items.push(previous + 1);
    else if (previous !== undefined && candidate - previous > 2) items.push(null);
    items.push(candidate);
  });
  return items;
};
