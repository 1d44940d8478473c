// Astro Actions, grouped by resource. Each group lives in its own file and is added here.
// Admin groups are named admin… (admin, adminPublish, adminIncentives, adminErasure, adminSurveys, adminCampaign, adminNotifications, adminFollowUp): the middleware refuses any
// action whose group name starts with "admin" with 401 when nobody is signed in.
import { adminCampaign } from './campaign.ts';
import { adminErasure } from './erasure.ts';
import { adminFollowUp } from './follow-up.ts';
import { adminIncentives } from './incentives.ts';
import { admin } from './moderation.ts';
import { adminNotifications } from './notifications.ts';
import { adminPublish } from './publish.ts';
import { review } from './review.ts';
import { adminSurveys } from './surveys.ts';

export const server = { review, admin, adminPublish, adminIncentives, adminErasure, adminSurveys, adminCampaign, adminNotifications, adminFollowUp };
