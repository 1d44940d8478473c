import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/app.ts';
import { anchorsOf, brokenLinks, headingSlug, markdownFilesUnder } from '../helpers/markdown-links.ts';

const pages = [join(projectRoot, 'README.md'), join(projectRoot, 'SECURITY.md'), ...markdownFilesUnder(join(projectRoot, 'docs'))];

describe('README and docs/', () => {
  it.each(pages.map((page) => [page.slice(projectRoot.length + 1), page]))('every relative link, image, #anchor and repository path in %s resolves', (_name, page) => {
    expect(brokenLinks(page, projectRoot)).toEqual([]);
  });

  it('the README links to every page in docs/', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#]+\.md)/g)].map((match) => match[1]));
    const docsPages = markdownFilesUnder(join(projectRoot, 'docs')).map((page) => page.slice(projectRoot.length + 1));
    expect(docsPages.filter((page) => !linked.has(page))).toEqual([]);
  });

  it('the README and docs/security.md link to SECURITY.md', () => {
    expect(readFileSync(join(projectRoot, 'README.md'), 'utf8')).toContain('](SECURITY.md)');
    expect(readFileSync(join(projectRoot, 'docs', 'security.md'), 'utf8')).toContain('](../SECURITY.md)');
  });

  it('the README stays a two-minute read: under 10 KB', () => {
    expect(statSync(join(projectRoot, 'README.md')).size).toBeLessThan(10 * 1024);
  });

  it('the Quick start has exactly the two commands: install and run, and every test', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const quickStart = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
    const commands = [...quickStart.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((match) => match[1]!.trim());
    expect(commands).toEqual(['npm install && npm start', 'npm test']);
  });
});

describe('the link checker', () => {
  const root = mkdtempSync(join(tmpdir(), 'review-wall-docs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'docs'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'here.ts'), '');
  writeFileSync(join(root, 'docs', 'topic.md'), '# Topic\n\n## `review-wall.config.ts`\n\n## Erasing a customer (GDPR)\n\n## Notes\n\n## Notes\n');

  it.each([
    ['a missing page', '[x](docs/gone.md)', 'no such file'],
    ['a missing heading', '[x](docs/topic.md#nowhere)', 'no heading for #nowhere in docs/topic.md'],
    ['a missing image', '![x](docs/screenshots/none.png)', 'no such file'],
    ['a missing HTML image', '<img src="docs/none.png" alt="x">', 'no such file'],
    ['a missing heading in the same page', '[x](#nowhere)', 'no heading for #nowhere in README.md'],
    ['a path outside the repository', '[x](../elsewhere.md)', 'points outside the repository'],
    ['a stale source path in a code span', 'see `src/lib/server/export.ts`', 'no such file in the repository'],
  ])('reports %s', (_case, markdown, reason) => {
    writeFileSync(join(root, 'README.md'), `# Title\n\n${markdown}\n`);
    expect(brokenLinks(join(root, 'README.md'), root)).toEqual([expect.objectContaining({ line: 3, reason })]);
  });

  it('accepts links that resolve, and ignores web links and code blocks', () => {
    writeFileSync(
      join(root, 'README.md'),
      [
        '# Title',
        '[a](docs/topic.md) [b](docs/topic.md#review-wallconfigts) [c](docs/topic.md#erasing-a-customer-gdpr)',
        '[d](docs/topic.md#notes-1) [e](#title) [f](https://example.com/#x) `src/here.ts` [g](src/)',
        '```md',
        '[h](docs/gone.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks(join(root, 'README.md'), root)).toEqual([]);
  });

  it('makes anchors as GitHub does', () => {
    expect(headingSlug('`npm run db:migrate`')).toBe('npm-run-dbmigrate');
    expect(headingSlug('Dashboard, exports and erasure')).toBe('dashboard-exports-and-erasure');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n')]).toEqual(['a', 'a-1']);
  });
});
