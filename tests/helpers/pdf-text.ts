import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF reader to test what a renderer drew: the objects of a PDF as pdfkit writes it (no object
 * streams, direct stream lengths), each page's text runs decoded through its fonts' ToUnicode maps (pdfkit embeds
 * TrueType fonts as Identity-H, so the content holds glyph ids, not text), and the document's Info title.
 */
interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

const objectsOf = (pdf: Buffer) => {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = header.lastIndex;
    const end = text.indexOf('endobj', start);
    const streamAt = />>\s*stream\r?\n/g;
    streamAt.lastIndex = start;
    const stream = streamAt.exec(text);
    if (stream && stream.index < end) {
      const dict = text.slice(start, stream.index + 2);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const from = stream.index + stream[0].length;
      const raw = pdf.subarray(from, from + length);
      objects.set(Number(match[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
      header.lastIndex = from + length;
    } else {
      objects.set(Number(match[1]), { dict: text.slice(start, end), stream: null });
      header.lastIndex = end;
    }
  }
  return objects;
};

const refOf = (dict: string, key: string) => {
  const match = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return match ? Number(match[1]) : null;
};

const utf16 = (hex: string) => {
  let out = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return out;
};

/** A ToUnicode CMap as glyph code → text (bfrange with arrays or offsets, and bfchar). */
const cmapOf = (cmap: string) => {
  const map = new Map<number, string>();
  for (const [, block] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, target] of block.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi)) {
      const first = parseInt(lo, 16);
      if (target.startsWith('[')) {
        // An entry may hold several UTF-16 units, space-separated (a ligature: `<0066 0069>` is "fi").
        [...target.matchAll(/<([0-9a-f ]+)>/gi)].forEach(([, hex], i) => map.set(first + i, utf16(hex.replace(/ /g, ''))));
      } else {
        const base = parseInt(target.slice(1, -1), 16);
        for (let code = first; code <= parseInt(hi, 16); code += 1) map.set(code, String.fromCharCode(base + code - first));
      }
    }
  }
  for (const [, block] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, hex] of block.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f ]+)>/gi)) {
      map.set(parseInt(code, 16), utf16(hex.replace(/ /g, '')));
    }
  }
  return map;
};

type Decoder = (hex: string) => string;

/** A font resource's decoder: through its ToUnicode map (2-byte codes), or else as single-byte WinAnsi ≈ Latin-1. */
const decoderOf = (objects: Map<number, PdfObject>, fontId: number): Decoder => {
  const toUnicode = refOf(objects.get(fontId)?.dict ?? '', 'ToUnicode');
  const stream = toUnicode === null ? null : objects.get(toUnicode)?.stream;
  if (!stream) {
    return (hex) => hex.replace(/[0-9a-f]{2}/gi, (byte) => String.fromCharCode(parseInt(byte, 16)));
  }
  const map = cmapOf(stream.toString('latin1'));
  return (hex) => hex.replace(/[0-9a-f]{4}/gi, (code) => map.get(parseInt(code, 16)) ?? '\uFFFD');
};

/** Each page's text runs (one per text-showing operator), in page order. */
export const pdfPages = (pdf: Buffer): string[][] => {
  const objects = objectsOf(pdf);
  const root = [...objects.values()].find((object) => /\/Type \/Pages\b/.test(object.dict) && !/\/Parent/.test(object.dict));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(root?.dict ?? '')?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  return kids.map((pageId) => {
    const page = objects.get(pageId)!.dict;
    const resourcesId = refOf(page, 'Resources');
    const resources = resourcesId === null ? page : objects.get(resourcesId)!.dict;
    const fonts = new Map<string, Decoder>();
    for (const [, name, id] of (/\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) {
      fonts.set(name, decoderOf(objects, Number(id)));
    }
    const content = objects.get(refOf(page, 'Contents')!)!.stream!.toString('latin1');
    const runs: string[] = [];
    let decode: Decoder = () => '';
    for (const [, font, array, single] of content.matchAll(/\/(\S+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (font) decode = fonts.get(font) ?? decode;
      else if (array !== undefined) runs.push([...array.matchAll(/<([0-9a-fA-F]*)>/g)].map(([, hex]) => decode(hex)).join(''));
      else runs.push(decode(single));
    }
    return runs;
  });
};

/** A PDF literal string's bytes as text (UTF-16BE when it starts with a BOM, else Latin-1). */
const literal = (source: string) => {
  const body = source.slice(source.indexOf('(') + 1, source.lastIndexOf(')'));
  const bytes = body.replace(/\\([0-7]{1,3}|[nrtbf()\\])/g, (_, escape: string) => {
    const named: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
    return /^[0-7]/.test(escape) ? String.fromCharCode(parseInt(escape, 8)) : (named[escape] ?? escape);
  });
  return bytes.startsWith('\xfe\xff') ? utf16(Buffer.from(bytes.slice(2), 'latin1').toString('hex')) : bytes;
};

/** The document's Info Title, as written by pdfkit (an indirect string object). */
export const pdfTitle = (pdf: Buffer): string | null => {
  const objects = objectsOf(pdf);
  const trailer = pdf.toString('latin1').slice(pdf.toString('latin1').lastIndexOf('trailer'));
  const info = objects.get(refOf(trailer, 'Info') ?? -1)?.dict ?? '';
  const titleId = refOf(info, 'Title');
  if (titleId !== null) return literal(objects.get(titleId)!.dict);
  const direct = /\/Title (\((?:\\.|[^\\)])*\))/.exec(info);
  return direct ? literal(direct[1]) : null;
};
