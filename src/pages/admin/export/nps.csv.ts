import type { APIRoute } from 'astro';
import { requireAdmin, unauthorizedResponse } from '../../../lib/server/auth/admin-guard.ts';
import { getDatabase } from '../../../lib/server/platform/database.ts';
import { csvDownload, exportFileName, exportNpsAnswersCsv } from '../../../lib/server/moderate/export.ts';

export const prerender = false;

/** Every NPS answer with its customer, in the import format: signed-in marketers only. */
export const GET: APIRoute = async (context) => {
  // The middleware already answered 401 without a session; checked again here (defence in depth).
  try {
    requireAdmin(context);
  } catch {
    return unauthorizedResponse();
  }
  return csvDownload(await exportNpsAnswersCsv(await getDatabase()), exportFileName('nps-answers'));
};
