// Astro Actions, grouped by resource. Each group lives in its own file and is added here.
import { adminPublish } from './publish.ts';
import { review } from './review.ts';

export const server = { review, adminPublish };
