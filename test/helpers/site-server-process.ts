#!/usr/bin/env node
// A site server in a process of its own, for tests that need several: `node site-server-process.ts SITE_DIR`.
// Prints its URL on one line once it serves; stops on SIGTERM.
import { startSiteServer } from '../../src/lib/server/publish/site-server.ts';

const site = await startSiteServer({ siteDir: process.argv[2]!, host: '127.0.0.1', port: 0 });
console.log(site.url);
process.once('SIGTERM', () => void site.close().then(() => process.exit(0)));
