// Astro Actions, grouped by resource. Each group lives in its own file and is added here.
import { adminIncentives } from './incentives.ts';
import { adminPublish } from './publish.ts';
import { review } from './review.ts';

export const server = { review, adminPublish, adminIncentives };
