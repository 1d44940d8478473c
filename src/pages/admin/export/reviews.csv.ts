import type { APIRoute } from 'astro';
import { requireAdmin, unauthorizedResponse } from '../../../lib/server/auth/admin-guard.ts';
import { getDatabase } from '../../../lib/server/platform/database.ts';
import { csvDownload, exportFileName, exportReviewsCsv } from '../../../lib/server/moderate/export.ts';

export const prerender = false;

/** Every review with its customer's email: signed-in marketers only. */
export const GET: APIRoute = async (context) => {
  // The middleware already answered 401 without a session; checked again here (defence in depth).
  try {
    requireAdmin(context);
  } catch {
    return unauthorizedResponse();
  }
  return csvDownload(await exportReviewsCsv(await getDatabase()), exportFileName('reviews'));
};
