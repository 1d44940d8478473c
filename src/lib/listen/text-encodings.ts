/**
 * Telling how a spreadsheet export is encoded: byte-order marks, workbooks saved by mistake
 * instead of CSV, invalid UTF-8 (with the line of the first bad byte), and a best guess at the
 * Windows code page Excel used, so that a file is read right or refused with a useful hint.
 */

/** Code pages Excel's plain "CSV" uses in the regions we serve, as the `--encoding` hint names them. */
export const commonCodePages = [
  { encoding: 'windows-1257', region: 'Baltic' },
  { encoding: 'windows-1250', region: 'Central European' },
  { encoding: 'windows-1251', region: 'Cyrillic' },
  { encoding: 'windows-1252', region: 'Western' },
] as const;

/** The encoding a byte-order mark declares, and its length in bytes. */
export type ByteOrderMark = { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number };

/** The byte-order mark at the start of `bytes`, or null. */
export function readByteOrderMark(bytes: Uint8Array): ByteOrderMark | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** A workbook saved instead of a CSV: .xlsx and .ods are ZIP files, .xls an OLE2 compound file. */
export function looksLikeWorkbook(bytes: Uint8Array): boolean {
  const starts = (signature: number[]) => signature.every((value, index) => bytes[index] === value);
  return starts([0x50, 0x4b, 0x03, 0x04]) || starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
}

/** The canonical name of an encoding label (`cp1257` → `windows-1257`), or null if Node cannot decode it. */
export function canonicalEncoding(label: string): string | null {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/** Where a byte stream stops being UTF-8 text. */
export type Utf8Fault =
  | { kind: 'invalid'; line: number; byte: number; lineBytes: Uint8Array }
  | { kind: 'nul'; line: number };

const newline = 0x0a;
/** Bytes of a line kept for the hint; a longer line is cut. */
const maxLineBytes = 4096;

/**
 * Checks a byte stream, chunk by chunk, against the well-formed UTF-8 sequences of the Unicode
 * standard (table 3-7), counting lines so that the first bad byte can be named by its line. A NUL
 * byte is refused too: valid UTF-8, but never in a text CSV (it means UTF-16 without a BOM).
 */
export class Utf8Checker {
  private line = 1;
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private lead = { line: 1, byte: 0 };
  private lineStart: Uint8Array = new Uint8Array(0);
  /** Whether any multi-byte sequence was seen (so the text is not plain ASCII). */
  sawMultiByte = false;

  /** Checks the next chunk; returns the first fault, after which the checker must not be used. */
  check(chunk: Uint8Array): Utf8Fault | null {
    let lineStartIndex = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (this.needed === 0) {
        if (byte < 0x80) {
          if (byte === newline) {
            this.line++;
            lineStartIndex = index + 1;
            this.lineStart = new Uint8Array(0);
          } else if (byte === 0) {
            return { kind: 'nul', line: this.line };
          }
          continue;
        }
        this.lead = { line: this.line, byte };
        this.lower = 0x80;
        this.upper = 0xbf;
        if (byte >= 0xc2 && byte <= 0xdf) this.needed = 1;
        else if (byte === 0xe0) [this.needed, this.lower] = [2, 0xa0];
        else if (byte === 0xed) [this.needed, this.upper] = [2, 0x9f];
        else if (byte >= 0xe1 && byte <= 0xef) this.needed = 2;
        else if (byte === 0xf0) [this.needed, this.lower] = [3, 0x90];
        else if (byte === 0xf4) [this.needed, this.upper] = [3, 0x8f];
        else if (byte >= 0xf1 && byte <= 0xf3) this.needed = 3;
        else return this.fault(chunk, lineStartIndex, index);
        this.sawMultiByte = true;
        continue;
      }
      if (byte < this.lower || byte > this.upper) return this.fault(chunk, lineStartIndex, index);
      this.lower = 0x80;
      this.upper = 0xbf;
      this.needed--;
    }
    this.keepLineStart(chunk.subarray(lineStartIndex));
    return null;
  }

  /** Call at the end of the stream: a sequence cut off by the end is a fault too. */
  finish(): Utf8Fault | null {
    if (this.needed === 0) return null;
    return { kind: 'invalid', line: this.lead.line, byte: this.lead.byte, lineBytes: this.lineStart };
  }

  private keepLineStart(rest: Uint8Array) {
    if (this.lineStart.length >= maxLineBytes) return;
    const joined = new Uint8Array(Math.min(this.lineStart.length + rest.length, maxLineBytes));
    joined.set(this.lineStart);
    joined.set(rest.subarray(0, joined.length - this.lineStart.length), this.lineStart.length);
    this.lineStart = joined;
  }

  private fault(chunk: Uint8Array, lineStartIndex: number, index: number): Utf8Fault {
    // The line of the bad byte: its start (maybe in an earlier chunk) up to its end in this chunk.
    const end = chunk.indexOf(newline, index);
    this.keepLineStart(chunk.subarray(lineStartIndex, end === -1 ? chunk.length : end));
    const byte = this.needed > 0 ? this.lead.byte : chunk[index]!;
    return { kind: 'invalid', line: this.needed > 0 ? this.lead.line : this.line, byte, lineBytes: this.lineStart };
  }
}

/** Windows code page most likely used for text in each language (ISO 639-1). */
const codePageOfLanguage: Record<string, string> = {
  lv: 'windows-1257', lt: 'windows-1257', et: 'windows-1257',
  pl: 'windows-1250', cs: 'windows-1250', sk: 'windows-1250', hu: 'windows-1250', sl: 'windows-1250', hr: 'windows-1250', ro: 'windows-1250',
  ru: 'windows-1251', uk: 'windows-1251', bg: 'windows-1251', be: 'windows-1251', sr: 'windows-1251', mk: 'windows-1251',
  en: 'windows-1252', de: 'windows-1252', fr: 'windows-1252', es: 'windows-1252', it: 'windows-1252', pt: 'windows-1252', nl: 'windows-1252',
};

const isAsciiLetter = (byte: number) => (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);

/** Letters of the languages each Latin code page serves that the other two pages do not decode to from the same bytes. */
const lettersOfCodePage: [string, string][] = [
  ['windows-1257', 'āēīūģķļņėįųĀĒĪŪĢĶĻŅĖĮŲõÕ'],
  ['windows-1250', 'ąćęłńśźżěřůťďňĺľŕőűĄĆĘŁŃŚŹŻĚŘŮŤĎŇĹĽŔŐŰ'],
  ['windows-1252', 'éèêëàâäöüßçñåæøÉÈÊÀÄÖÜÇÑÅÆØ'],
];

/** The Latin code page under which `bytes` read as the most letters of the languages it serves, or null on a tie. */
function guessLatinCodePage(bytes: Uint8Array): string | null {
  const scores = lettersOfCodePage.map(([encoding, letters]) => {
    let score = 0;
    for (const character of new TextDecoder(encoding).decode(bytes)) if (letters.includes(character)) score++;
    return { encoding, score };
  });
  scores.sort((a, b) => b.score - a.score);
  return scores[0]!.score > 0 && scores[0]!.score > scores[1]!.score ? scores[0]!.encoding : null;
}

/**
 * The code page a file that is not UTF-8 was most likely written in, or null when the bytes
 * cannot tell. `sample` is as much of the file as was read around the first bad byte, `lineBytes`
 * that byte's line. Cyrillic shows itself: words made almost entirely of bytes above 0x7F
 * (windows-1251 puts lower case at 0xE0–0xFF, KOI8-R at 0xC0–0xDF). Latin scripts share byte
 * values (Latvian "ā" in windows-1257 is "â" in windows-1252), so the page under which the sample
 * reads as the most letters of its own languages wins; on a tie a language code in the line (a
 * locale column) or the business's default language decides.
 */
export function guessCodePage(sample: Uint8Array, lineBytes: Uint8Array, defaultLanguage?: string): string | null {
  let high = 0;
  let letters = 0;
  let lowerCyrillic1251 = 0;
  let lowerKoi8 = 0;
  let word: number[] = [];
  const endWord = () => {
    if (word.some((byte) => byte >= 0x80)) {
      letters += word.length;
      for (const byte of word) {
        if (byte < 0x80) continue;
        high++;
        if (byte >= 0xe0) lowerCyrillic1251++;
        else if (byte >= 0xc0) lowerKoi8++;
      }
    }
    word = [];
  };
  for (const byte of sample) {
    if (byte >= 0x80 || isAsciiLetter(byte)) word.push(byte);
    else endWord();
  }
  endWord();
  if (letters > 0 && high / letters > 0.6) return lowerCyrillic1251 >= lowerKoi8 ? 'windows-1251' : 'koi8-r';

  const latin = guessLatinCodePage(sample);
  if (latin) return latin;
  const fields = new TextDecoder('windows-1252').decode(lineBytes).split(/[,;\t]/);
  for (const field of fields) {
    const code = field.trim().replace(/^"|"$/g, '').toLowerCase().split(/[-_]/)[0]!;
    if (field.trim().length <= 7 && codePageOfLanguage[code]) return codePageOfLanguage[code]!;
  }
  const fallback = defaultLanguage ? codePageOfLanguage[defaultLanguage.toLowerCase()] : undefined;
  // An English-speaking business's default says nothing about its customers' accented names.
  return fallback && fallback !== 'windows-1252' ? fallback : null;
}

/** The first field of a line with non-ASCII text, decoded in `encoding`, to show how the guess reads. */
export function previewLine(lineBytes: Uint8Array, encoding: string): string | null {
  const text = new TextDecoder(encoding).decode(lineBytes);
  const field = text.split(/[,;\t]/).map((part) => part.trim().replace(/^"|"$/g, '')).find((part) => /[^\x00-\x7f]/.test(part));
  if (!field) return null;
  return field.length > 40 ? `${field.slice(0, 40)}…` : field;
}
