import { Worker } from 'node:worker_threads';

/**
 * Hard-links the files of unchanged pages from the previous build into the new one, on a thread of
 * its own, so a publish renders the changed pages meanwhile: on a 10,000-review wall an approval
 * links some 36,000 files and 10,000 folders, which took as long as rendering its few pages.
 * Resolves with the indexes of the pages whose files could not all be linked (gone from the
 * previous build, say an erasure took them); what was linked of those is removed again.
 */
export function linkPagesInWorker(from: string, to: string, pages: readonly (readonly string[])[]): Promise<number[]> {
  if (pages.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { from, to, pages } });
    worker.once('message', (failed: number[]) => resolve(failed));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the linking thread exited with ${code}`)));
  });
}

// Plain JavaScript: the thread runs it as it is. One plain mkdir per folder, parents only when
// missing (`recursive: true` took twice as long); EEXIST is fine, as the rendering thread makes
// folders too.
const workerSource = `
const { linkSync, mkdirSync, rmSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { from, to, pages } = workerData;
const folders = new Set();
const makeFolder = (folder) => {
  if (folders.has(folder)) return;
  try {
    mkdirSync(folder);
  } catch (error) {
    if (error.code === 'ENOENT' && dirname(folder) !== folder) {
      makeFolder(dirname(folder));
      try { mkdirSync(folder); } catch (again) { if (again.code !== 'EEXIST') throw again; }
    } else if (error.code !== 'EEXIST') throw error;
  }
  folders.add(folder);
};
const failed = [];
pages.forEach((files, index) => {
  const linked = [];
  try {
    for (const file of files) {
      const target = join(to, file);
      makeFolder(dirname(target));
      linkSync(join(from, file), target);
      linked.push(target);
    }
  } catch {
    for (const target of linked) rmSync(target, { force: true });
    failed.push(index);
  }
});
parentPort.postMessage(failed);
`;
