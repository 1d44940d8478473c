import type { APIRoute } from 'astro';
import source from '../widget/review-wall-widget.js?raw';
import { notPublished, publicPageProps } from '../lib/server/publish/public-pages.ts';

export const prerender = false;

/** The embeddable widget (see src/widget/review-wall-widget.js and docs/publishing.md). */
export const GET: APIRoute = (context) =>
  publicPageProps(context, 'widget') ? new Response(source, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }) : notPublished();
