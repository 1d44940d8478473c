import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';

/** A link or path in a Markdown file that does not lead anywhere. */
export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  reason: string;
}

/** Every Markdown file under `directory`, recursively. */
export function markdownFilesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return markdownFilesUnder(path);
    return extname(name) === '.md' ? [path] : [];
  });
}

/** The text with fenced code blocks blanked out (line numbers kept), so examples are not links. */
function withoutCodeBlocks(text: string): string {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers: one per heading (repeats get -1, -2, … as on GitHub). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(text).split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      const slug = headingSlug(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
  }
  return anchors;
}

// Code spans that name a file of the repository, e.g. `src/lib/server/moderate/export.ts`, but
// not patterns with a placeholder in capitals such as `bench/results/NAME.json`.
const repositoryPath = /^(?:src|test|scripts|db|bench|docs|public)\/[\w.\-/[\]]*$/;
const placeholder = /(?:^|[/.])[A-Z]{2,}(?=[/.]|$)/;

/**
 * Every relative link (Markdown links and images, HTML src/href) and every repository path in a
 * code span of `file` that does not resolve: a missing file, a missing heading for `#anchor`, or
 * a target outside `root`. Web links (http:, mailto:, …) are not followed.
 */
export function brokenLinks(file: string, root: string): BrokenLink[] {
  const text = readFileSync(file, 'utf8');
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (path: string) => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(readFileSync(path, 'utf8')));
    return anchorCache.get(path)!;
  };
  withoutCodeBlocks(text)
    .split('\n')
    .forEach((line, index) => {
      const report = (target: string, reason: string) => broken.push({ file: relative(root, file), line: index + 1, target, reason });
      const codeSpans = [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
      for (const span of codeSpans) {
        if (repositoryPath.test(span) && !placeholder.test(span) && !existsSync(join(root, span))) report(span, 'no such file in the repository');
      }
      const prose = line.replace(/`[^`]*`/g, '');
      const targets = [
        ...[...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!),
        ...[...prose.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!),
      ];
      for (const target of targets) {
        if (/^[a-z][a-z\d+.-]*:/i.test(target)) continue;
        const [pathPart = '', anchor] = target.split('#', 2);
        const path = pathPart === '' ? file : resolve(dirname(file), decodeURI(pathPart));
        if (relative(root, path).startsWith('..')) {
          report(target, 'points outside the repository');
        } else if (!existsSync(path)) {
          report(target, 'no such file');
        } else if (anchor !== undefined) {
          if (extname(path) !== '.md') report(target, 'an #anchor into a file that is not Markdown');
          else if (!anchorsIn(path).has(anchor)) report(target, `no heading for #${anchor} in ${relative(root, path)}`);
        }
      }
    });
  return broken;
}
