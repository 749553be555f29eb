import { nameKey } from '../../utils/unique-name';

const MAX_BASE_LENGTH = 100;

/**
 * A file name from a title: no path separators, reserved or control characters (Windows' rules, the strictest a
 * recipient may save under), trimmed and bounded; `report` when nothing is left.
 */
export const fileBaseName = (title: string): string => {
  const cleaned = title
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    // Windows drops trailing dots and spaces; a leading dot hides the file.
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const base = Array.from(cleaned).slice(0, MAX_BASE_LENGTH).join('').trim() || 'report';
  // Names Windows keeps for devices, whatever the extension.
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(base) ? `${base}_` : base;
};

/** `title.ext` for each title, made unique case-insensitively by ` (2)`, ` (3)`… in order. */
export const uniqueFileNames = (titles: string[], extension: string): string[] => {
  const taken = new Set<string>();
  return titles.map((title) => {
    const base = fileBaseName(title);
    let name = `${base}.${extension}`;
    for (let n = 2; taken.has(nameKey(name)); n += 1) name = `${base} (${n}).${extension}`;
    taken.add(nameKey(name));
    return name;
  });
};
