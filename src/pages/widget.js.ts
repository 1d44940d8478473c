import type { APIRoute } from 'astro';
import source from '../widget/review-wall-widget.js?raw';
import { compactScript } from '../lib/publish/widget-script.ts';
import { notPublished, publicPageProps } from '../lib/server/publish/public-pages.ts';

export const prerender = false;

const served = compactScript(source);

/** The embeddable widget (see src/widget/review-wall-widget.js and docs/publishing.md). */
export const GET: APIRoute = (context) =>
  publicPageProps(context, 'widget') ? new Response(served, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }) : notPublished();
