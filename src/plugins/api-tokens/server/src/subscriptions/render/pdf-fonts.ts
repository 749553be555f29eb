import { existsSync } from 'node:fs';
import path from 'node:path';

export interface PdfFonts {
  /** A registered font name or one of PDF's standard fonts. */
  regular: string;
  bold: string;
  /** Font files to register with pdfkit, by name. */
  files: Record<string, string>;
}

/** Where Debian, Ubuntu, Alpine, Fedora and Arch put DejaVu. */
const DEJAVU_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
  '/usr/share/fonts/dejavu-sans-fonts',
];

let found: PdfFonts | undefined;

/**
 * DejaVu Sans when the system has it (embedded and subset: any script it covers), or else Helvetica, whose
 * WinAnsi encoding covers Western European text only.
 */
export const pdfFonts = (): PdfFonts => {
  if (found) return found;
  const dir = DEJAVU_DIRS.find((candidate) => existsSync(path.join(candidate, 'DejaVuSans.ttf')));
  const bold = dir && path.join(dir, 'DejaVuSans-Bold.ttf');
  found = dir
    ? {
        regular: 'DejaVuSans',
        bold: bold && existsSync(bold) ? 'DejaVuSans-Bold' : 'DejaVuSans',
        files: {
          DejaVuSans: path.join(dir, 'DejaVuSans.ttf'),
          ...(bold && existsSync(bold) ? { 'DejaVuSans-Bold': bold } : {}),
        },
      }
    : { regular: 'Helvetica', bold: 'Helvetica-Bold', files: {} };
  return found;
};
