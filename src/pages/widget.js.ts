import type { APIRoute } from 'astro';
import source from '../widget/review-wall-widget.js?raw';

/** The embeddable widget (see src/widget/review-wall-widget.js and docs/publishing.md). */
export const GET: APIRoute = () =>
  new Response(source, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
