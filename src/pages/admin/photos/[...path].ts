import type { APIRoute } from 'astro';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { unauthorizedResponse } from '../../../lib/server/auth/admin-guard.ts';
import { getEnvironment } from '../../../lib/server/platform/env.ts';

export const prerender = false;

const contentTypes: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

/**
 * The reviewer's photo as uploaded (re-encoded, metadata stripped), for moderators only. Only
 * plain "folder/name.ext" paths are served, and only when they resolve inside UPLOAD_DIR.
 */
export const GET: APIRoute = async (context) => {
  if (!context.locals.user) return unauthorizedResponse();
  const notFound = () => new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const path = context.params.path ?? '';
  const match = /^[a-z0-9-]+\/[A-Za-z0-9_-]+\.(webp|jpe?g|png)$/.exec(path);
  if (!match) return notFound();
  const root = await realpath(resolve(getEnvironment().UPLOAD_DIR)).catch(() => null);
  if (!root) return notFound();
  const file = await realpath(resolve(root, path)).catch(() => null);
  const inside = file ? relative(root, file) : '';
  if (!file || !inside || inside.startsWith('..') || isAbsolute(inside)) return notFound();
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return notFound();
  return new Response(new Uint8Array(await readFile(file)), {
    headers: {
      'Content-Type': contentTypes[match[1]!]!,
      'Cache-Control': 'private, no-store',
      'Content-Disposition': 'inline',
    },
  });
};
