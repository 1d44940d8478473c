import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where in a file something went wrong: 1-based line, and column when known. */
interface Location {
  path: string;
  line: number;
  column?: number;
}

/** The config file as messages name it (`source`), where it is, and its text if it could be read. */
export interface FailedConfigFile {
  source: string;
  path: string;
  text?: string;
}

function toPath(pathOrUrl: string): string {
  return pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : pathOrUrl;
}

/**
 * The place a syntax error points at. Node puts it on the first line of the stack
 * ("/path/file.ts:3"), followed by the source line and a row of carets under the fault.
 */
function syntaxErrorLocation(stack: string, textOf: (path: string) => string | undefined): Location | null {
  const lines = stack.split('\n');
  const header = /^((?:file:\/\/)?\/.+|[A-Za-z]:\\.+):(\d+)$/.exec(lines[0]?.trim() ?? '');
  if (!header) return null;
  const path = toPath(header[1]!);
  const line = Number(header[2]);
  const caretIndex = lines.findIndex((text, index) => index > 0 && /^\s*\^+\s*$/.test(text));
  const sourceLine = textOf(path)?.split(/\r?\n/)[line - 1];
  // Only trust the carets when the line above them is the line the header names.
  if (caretIndex > 1 && sourceLine !== undefined && lines[caretIndex - 1] === sourceLine) {
    return { path, line, column: lines[caretIndex]!.indexOf('^') + 1 };
  }
  return { path, line };
}

/** The first stack frame inside `path`: where a config file threw while it was loaded. */
function thrownLocation(stack: string, path: string): Location | null {
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?\/[^\s()]+):(\d+):(\d+)\)?$/gm)) {
    if (toPath(match[1]!) === path) return { path, line: Number(match[2]), column: Number(match[3]) };
  }
  return null;
}

/** "file:line:column" with the file named as the person wrote it (or relative to the working directory). */
function formatLocation(location: Location, file: FailedConfigFile): string {
  const name = location.path === file.path ? file.source : isAbsolute(location.path) ? relative(process.cwd(), location.path) || location.path : location.path;
  return `${name}:${location.line}${location.column ? `:${location.column}` : ''}`;
}

/** A hint for the commonest slip, a missing comma: the parser only notices it on the next line. */
function missingCommaHint(message: string, location: Location, text: string | undefined): string {
  if (!/^Expected ','/.test(message) || !location.column || text === undefined) return '';
  const lines = text.split(/\r?\n/);
  const faultLine = lines[location.line - 1] ?? '';
  if (location.column !== faultLine.search(/\S/) + 1) return '';
  let previous = location.line - 1;
  while (previous > 0 && !(lines[previous - 1] ?? '').trim()) previous--;
  return previous > 0 ? ` (is a comma missing at the end of line ${previous}?)` : '';
}

/**
 * One line saying why a config file could not be loaded, naming the file, line and column where
 * Node reports them: a syntax error, an error thrown while the file runs, a missing import.
 * `textOf` reads a file's text (the config file's own text is in `file.text`).
 */
export function describeConfigLoadError(file: FailedConfigFile, error: unknown, textOf: (path: string) => string | undefined = () => undefined): string {
  const readText = (path: string) => (path === file.path ? file.text : textOf(path));
  if (!(error instanceof Error)) return `${file.source}: cannot be loaded: ${String(error).split('\n')[0]}`;
  const message = error.message.split('\n')[0]!.trim();
  const code = (error as NodeJS.ErrnoException).code;
  const stack = error.stack ?? '';

  if (error.name === 'SyntaxError' || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX' || code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    const location = syntaxErrorLocation(stack, readText);
    if (location) return `${formatLocation(location, file)}: syntax error: ${message}${missingCommaHint(message, location, readText(location.path))}`;
    return `${file.source}: syntax error: ${message}`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND') return `${file.source}: ${message}`;
  const location = thrownLocation(stack, file.path);
  const what = `${error.name}: ${message}`;
  return location ? `${formatLocation(location, file)}: fails while loading: ${what}` : `${file.source}: fails while loading: ${what}`;
}
