import { nameKey } from '../../utils/unique-name';

/** Excel's limit on a sheet name, in UTF-16 units. */
const MAX_LENGTH = 31;

/** The longest prefix of `text` within `max` UTF-16 units that does not split a character. */
const clip = (text: string, max: number) => {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
};

/**
 * Sheet names from titles, in order: none of `[]:*?/\`, no leading or trailing apostrophe, at most 31 characters, not
 * Excel's reserved `History`, and unique case-insensitively (` (2)`, ` (3)`… within the 31).
 */
export const uniqueSheetNames = (titles: string[]): string[] => {
  const taken = new Set<string>(['history']);
  return titles.map((title) => {
    const base =
      clip(
        title
          // eslint-disable-next-line no-control-regex
          .replace(/[[\]:*?/\\\u0000-\u001f\u007f]+/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .replace(/^'+|'+$/g, '')
          .trim(),
        MAX_LENGTH
      ).trim() || 'Sheet';
    let name = base;
    for (let n = 2; taken.has(nameKey(name)); n += 1) {
      const suffix = ` (${n})`;
      name = `${clip(base, MAX_LENGTH - suffix.length).trim()}${suffix}`;
    }
    taken.add(nameKey(name));
    return name;
  });
};
