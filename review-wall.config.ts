import { defineReviewWallConfig } from './src/lib/config-schema.ts';

// The one file a business edits. Every key is checked when the site builds or starts.
export default defineReviewWallConfig({
  business: {
    name: 'Acme Support Desk',
    website: 'https://acme.example',
    logo: '/logo.svg',
    colors: { primary: '#1f5fbf', accent: '#b45309' },
  },
  // The schema.org type of what customers review; see docs/configuration.md, "itemReviewed".
  itemReviewed: { type: 'SoftwareApplication', name: 'Acme Helpdesk' },
  locales: { default: 'en', enabled: ['en', 'pl', 'ru', 'uk', 'lv', 'bg'] },
  // 'promoters' invites scores 9–10 only (the wall then says "selected testimonials");
  // 'all' invites every respondent and allows an average rating.
  invite: { audience: 'promoters' },
  incentive: {
    text: 'a $10 gift card',
    translations: {
      pl: 'kartę podarunkową o wartości 10 USD',
      ru: 'подарочную карту на 10 $',
      uk: 'подарункову картку на 10 $',
      lv: '10 $ dāvanu karti',
      bg: 'подаръчна карта за 10 $',
    },
  },
  tokens: { lifetimeDays: 30 },
  publish: { automaticallyAfterApproval: false },
});
