import type { APIRoute, GetStaticPaths } from 'astro';
import { photoWidths } from '../../../lib/publish/review-presentation.ts';
import { getEnvironment } from '../../../lib/server/platform/env.ts';
import { renderPublishedPhoto, resolveStoredPhoto } from '../../../lib/server/publish/public-photos.ts';
import { loadPublicSite } from '../../../lib/server/publish/public-site.ts';

// Reviewers' photos are copied from UPLOAD_DIR into each build, resized for srcset, so the
// static site (or a CDN copy of it) needs nothing from the upload folder. Named by the review's
// public id, like its page.
export const getStaticPaths = (async () => {
  const { reviews } = await loadPublicSite();
  const uploadDir = getEnvironment().UPLOAD_DIR;
  return reviews.flatMap((review) => {
    const file = resolveStoredPhoto(uploadDir, review.photoPath);
    if (!file) return [];
    return photoWidths.map((width) => ({ params: { file: `${review.id}-${width}.webp` }, props: { file, width } }));
  });
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) => {
  const { file, width } = props as { file: string; width: number };
  return new Response(new Uint8Array(await renderPublishedPhoto(file, width)), { headers: { 'Content-Type': 'image/webp' } });
};
