import { readFileSync } from 'node:fs';

/** An outbox message, decoded: headers (lower-case names, unfolded), subject, text and HTML parts. */
export interface DecodedEmail {
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

function splitHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`). */
export function decodeHeaderWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** Reads an `.eml` written by the outbox transport (nodemailer, multipart/alternative). */
export function readEml(path: string): DecodedEmail {
  const source = readFileSync(path, 'utf8');
  const split = source.search(/\r?\n\r?\n/);
  const headers = splitHeaders(source.slice(0, split));
  const body = source.slice(split).replace(/^\r?\n\r?\n/, '');
  const boundary = headers.get('content-type')?.match(/boundary="?([^";]+)"?/)?.[1];
  let text = '';
  let html = '';
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [body];
  for (const part of parts) {
    const partSplit = part.replace(/^\r?\n/, '').search(/\r?\n\r?\n/);
    const partSource = part.replace(/^\r?\n/, '');
    const partHeaders = boundary ? splitHeaders(partSource.slice(0, partSplit)) : headers;
    const content = decodeBody(boundary ? partSource.slice(partSplit).trim() : body, partHeaders.get('content-transfer-encoding'));
    if (partHeaders.get('content-type')?.startsWith('text/html')) html = content;
    else text = content;
  }
  return { headers, subject: decodeHeaderWords(headers.get('subject') ?? ''), text, html };
}
