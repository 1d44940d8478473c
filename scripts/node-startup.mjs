// Loaded with `node --import` before every command, the server, the renderer and the test workers.
//
// Node 24 finds the module format of each `.js` file in node_modules by reading its package's
// package.json again, and deserialises that file's whole `exports` map each time. drizzle-orm's
// package.json is 178 KB and a command loads 115 of its files: 1.2 of a `--help`'s 2.4 s went
// there (a CPU profile shows `package_json_reader.get`). This resolve hook answers the relative
// imports inside node_modules itself, reading each package's `type` once, so a command starts in
// under a second. Anything else, and any file that does not exist, goes to Node's own resolver.
import * as nodeModule from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {Map<string, 'module' | 'commonjs'>} */
const typeByDirectory = new Map();

/**
 * The `type` of the package.json nearest to a directory, as Node reads it.
 * @param {string} directory
 * @returns {'module' | 'commonjs'}
 */
function packageType(directory) {
  /** @type {string[]} */
  const visited = [];
  /** @type {'module' | 'commonjs' | undefined} */
  let type;
  for (let current = directory; type === undefined; current = dirname(current)) {
    const known = typeByDirectory.get(current);
    if (known) {
      type = known;
      break;
    }
    visited.push(current);
    try {
      type = JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')).type === 'module' ? 'module' : 'commonjs';
    } catch (error) {
      // No package.json here: look one folder up. A package.json Node cannot parse is left to Node.
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
      if (dirname(current) === current) type = 'commonjs';
    }
  }
  for (const folder of visited) typeByDirectory.set(folder, type);
  return type;
}

/**
 * Whether a path is a file that exists (Node's own resolver then reports a missing one).
 * @param {string} path
 */
function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// registerHooks is Node 22.15+; on an older Node (running a test file directly) this does nothing.
nodeModule.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (
      (specifier.startsWith('./') || specifier.startsWith('../')) &&
      /\.[cm]?js$/.test(specifier) &&
      parent?.startsWith('file:') &&
      parent.includes('/node_modules/')
    ) {
      try {
        const url = new URL(specifier, parent);
        const path = fileURLToPath(url);
        if (isFile(path)) {
          /** @type {'module' | 'commonjs'} */
          const format = path.endsWith('.mjs') ? 'module' : path.endsWith('.cjs') ? 'commonjs' : packageType(dirname(path));
          return { url: url.href, format, shortCircuit: true };
        }
      } catch {
        // Anything unusual (an unreadable package.json, an odd URL) is Node's to judge.
      }
    }
    return nextResolve(specifier, context);
  },
});
