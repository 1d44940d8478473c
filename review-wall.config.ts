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
    // How to claim it: the thank-you email says this under the incentive (and the gift code, if any).
    claimInstructions: {
      text: 'Redeem it at https://acme.example/gift within 12 months. Questions? Just reply to this email.',
      translations: {
        pl: 'Kartę zrealizujesz na stronie https://acme.example/gift w ciągu 12 miesięcy. Masz pytania? Po prostu odpowiedz na tę wiadomość.',
        ru: 'Активировать карту можно на https://acme.example/gift в течение 12 месяцев. Есть вопросы? Просто ответьте на это письмо.',
        uk: 'Активувати картку можна на https://acme.example/gift протягом 12 місяців. Маєте запитання? Просто дайте відповідь на цей лист.',
        lv: 'Karti varat izmantot vietnē https://acme.example/gift 12 mēnešu laikā. Jautājumi? Vienkārši atbildiet uz šo e-pastu.',
        bg: 'Можете да използвате картата на https://acme.example/gift в рамките на 12 месеца. Имате въпроси? Просто отговорете на този имейл.',
      },
    },
  },
  tokens: { lifetimeDays: 30 },
  publish: { automaticallyAfterApproval: false },
});
