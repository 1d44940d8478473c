import { describe, expect, it } from 'vitest';
import { canonicalEncoding, guessCodePage, looksLikeWorkbook, previewLine, readByteOrderMark, Utf8Checker } from '../../../src/lib/listen/text-encodings.ts';

/** Bytes of `text` in a single-byte code page, built from the page's own decoding table. */
function encode(text: string, encoding: string): Uint8Array {
  const table = new Map<string, number>();
  const decoded = new TextDecoder(encoding).decode(Uint8Array.from({ length: 256 }, (_, byte) => byte));
  [...decoded].forEach((character, byte) => table.set(character, byte));
  return Uint8Array.from([...text].map((character) => table.get(character) ?? 0x3f));
}

describe('Utf8Checker', () => {
  it('accepts UTF-8 split anywhere across chunks', () => {
    const bytes = new TextEncoder().encode('email,name\nliga@example.com,Līga Bērziņa 👍\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const checker = new Utf8Checker();
      expect(checker.check(bytes.subarray(0, cut))).toBeNull();
      expect(checker.check(bytes.subarray(cut))).toBeNull();
      expect(checker.finish()).toBeNull();
      expect(checker.sawMultiByte).toBe(true);
    }
  });

  it('names the line and byte of the first invalid byte, with that line, even when the line spans chunks', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('email,name\nliga@example.com,L'), ...encode('īga', 'windows-1257'), 0x0a]);
    const checker = new Utf8Checker();
    expect(checker.check(bytes.subarray(0, 20))).toBeNull();
    const fault = checker.check(bytes.subarray(20));
    expect(fault).toMatchObject({ kind: 'invalid', line: 2, byte: 0xee });
    expect(new TextDecoder('windows-1257').decode(fault?.kind === 'invalid' ? fault.lineBytes : undefined)).toBe('liga@example.com,Līga');
  });

  it('refuses overlong forms, surrogates, a NUL byte and a sequence cut off by the end', () => {
    expect(new Utf8Checker().check(new Uint8Array([0xc0, 0xaf]))).toMatchObject({ kind: 'invalid', byte: 0xc0 });
    expect(new Utf8Checker().check(new Uint8Array([0xed, 0xa0, 0x80]))).toMatchObject({ kind: 'invalid', byte: 0xed });
    expect(new Utf8Checker().check(new Uint8Array([0x61, 0x0a, 0x00]))).toEqual({ kind: 'nul', line: 2 });
    const cut = new Utf8Checker();
    expect(cut.check(new Uint8Array([0x61, 0xe2, 0x82]))).toBeNull();
    expect(cut.finish()).toMatchObject({ kind: 'invalid', line: 1, byte: 0xe2 });
  });
});

describe('guessCodePage', () => {
  const guess = (text: string, encoding: string, defaultLanguage = 'en') => {
    const bytes = encode(text, encoding);
    return guessCodePage(bytes, bytes, defaultLanguage);
  };

  it.each([
    ['E-pasts;Vārds, uzvārds;Komentārs\r\nliga@example.com;Līga Bērziņa;Lielisks atbalsts, paldies!', 'windows-1257'],
    ['Adres e-mail;Imię i nazwisko\r\nmagda@example.com;Magdalena Wiśniewska;Świetna obsługa, szybka odpowiedź.', 'windows-1250'],
    ['Email;Имя\r\na@example.com;Ольга Смирнова;Отличная поддержка', 'windows-1251'],
    ['a@example.com;Оксана Шевченко;Непогано, але бракує інтеграцій.', 'windows-1251'],
    ['a@example.com;Десислава Димитрова;Страхотно обслужване, благодаря!', 'windows-1251'],
    ['a@example.com;María José Fernández;Très bien, schön', 'windows-1252'],
  ])('tells %j is %s', (text, encoding) => {
    expect(guess(text, encoding)).toBe(encoding);
  });

  it('tells KOI8-R from Windows-1251', () => {
    expect(guess('a@example.com;Ольга Смирнова;Отличная поддержка', 'koi8-r')).toBe('koi8-r');
  });

  it('falls back on a locale column, then on the business language; an English default says nothing', () => {
    const ambiguous = encode('a@example.com;Šarlote;lv', 'windows-1257');
    expect(guessCodePage(ambiguous, ambiguous, 'en')).toBe('windows-1257');
    const noHint = encode('a@example.com;Šarlote', 'windows-1257');
    expect(guessCodePage(noHint, noHint, 'pl')).toBe('windows-1250');
    expect(guessCodePage(noHint, noHint, 'en')).toBeNull();
  });

  it('previews the first field with letters beyond ASCII as the guess reads it', () => {
    expect(previewLine(encode('liga@example.com;Līga Bērziņa;lv', 'windows-1257'), 'windows-1257')).toBe('Līga Bērziņa');
  });
});

describe('byte-order marks, workbooks and encoding names', () => {
  it('reads byte-order marks', () => {
    expect(readByteOrderMark(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', length: 3 });
    expect(readByteOrderMark(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toEqual({ encoding: 'utf-16le', length: 2 });
    expect(readByteOrderMark(new Uint8Array([0xfe, 0xff, 0x00, 0x61]))).toEqual({ encoding: 'utf-16be', length: 2 });
    expect(readByteOrderMark(new Uint8Array([0x61]))).toBeNull();
  });

  it('knows .xlsx/.ods (ZIP) and .xls (OLE2) workbooks', () => {
    expect(looksLikeWorkbook(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe(true);
    expect(looksLikeWorkbook(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(true);
    expect(looksLikeWorkbook(new TextEncoder().encode('email,name'))).toBe(false);
  });

  it('names code pages canonically', () => {
    expect(canonicalEncoding('cp1257')).toBe('windows-1257');
    expect(canonicalEncoding(' Windows-1251 ')).toBe('windows-1251');
    expect(canonicalEncoding('latin1')).toBe('windows-1252');
    expect(canonicalEncoding('baltic')).toBeNull();
  });
});
