#!/usr/bin/env node
// npm install's last word: why npm's "EBADENGINE Unsupported engine" warnings are harmless.
//
// npm runs on the machine's own Node, which may be older than this project needs (Node 20 on
// Debian 13, say). npm checks every package's `engines` against that Node and warns, and no npm
// setting makes it check against another (npm 11 dropped `node-version`). The project itself
// runs on the Node 24 that the `node` devDependency puts in node_modules/.bin, where every npm
// script finds it first. Plain JavaScript, not TypeScript: this may run on that older Node.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const required = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;

/** The `vX.Y.Z` a Node binary reports, or null when it cannot run. */
function versionOf(executable) {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Whether `version` (vX.Y.Z) meets `range`, which package.json writes as ">=X.Y[.Z]". */
function satisfies(version, range) {
  const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!minimum) throw new Error(`postinstall: package.json engines.node should read ">=X.Y.Z", not "${range}"`);
  const have = version.replace(/^v/, '').split('.').map(Number);
  const want = minimum.slice(1).map((part) => Number(part ?? 0));
  for (let index = 0; index < 3; index++) {
    if (have[index] !== want[index]) return (have[index] ?? 0) > (want[index] ?? 0);
  }
  return true;
}

// npm tells its scripts which Node runs npm itself; outside npm there is nothing to explain.
const npmNode = process.env.npm_node_execpath ? versionOf(process.env.npm_node_execpath) : null;
if (npmNode && !satisfies(npmNode, required)) {
  const projectNode = existsSync(join(root, 'node_modules', '.bin', 'node')) ? versionOf(join(root, 'node_modules', '.bin', 'node')) : null;
  if (projectNode && satisfies(projectNode, required)) {
    console.log(
      `Note: the EBADENGINE warnings above are expected and harmless: npm runs on this machine's Node ${npmNode}, ` +
        `the project on its own Node ${projectNode} (node_modules/.bin/node, from the "node" devDependency), which every npm script uses.`,
    );
  } else {
    console.error(
      `postinstall: this project needs Node ${required}; npm runs on Node ${npmNode} and the "node" devDependency that brings ` +
        `its own Node is not installed (was it left out with --omit=dev?). Run plain "npm install".`,
    );
    process.exitCode = 1;
  }
}
