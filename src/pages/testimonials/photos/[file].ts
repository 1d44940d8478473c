import type { APIRoute } from 'astro';
import { renderPublishedPhoto } from '../../../lib/server/publish/public-photos.ts';
import { notPublished, publicPageProps } from '../../../lib/server/publish/public-pages.ts';

// Reviewers' photos are copied from UPLOAD_DIR into each build, resized for srcset, so the
// static site (or a CDN copy of it) needs nothing from the upload folder. Named by the review's
// public id, like its page.
export const prerender = false;

export const GET: APIRoute = async (context) => {
  const props = publicPageProps(context, 'photo');
  if (!props) return notPublished();
  return new Response(new Uint8Array(await renderPublishedPhoto(props.file, props.width)), { headers: { 'Content-Type': 'image/webp' } });
};
