/**
 * The widget's source as served: without its comment lines and indentation. Not a minifier (the
 * names stay readable in the browser's tools), but it keeps /widget.js under its 3 KB gzip budget
 * (test/unit/publish/widget-script.test.ts, bench/widget.bench.ts) with the source commented.
 * Line breaks stay, so automatic semicolon insertion reads the code as written.
 */
export function compactScript(source: string): string {
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .join('\n')
    .concat('\n');
}
