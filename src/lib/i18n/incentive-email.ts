import type { Locale } from '../locales.ts';

/** Every text of the incentive (thank-you) email. `{name}` marks a value filled in by `fill`. */
export interface IncentiveEmailStrings {
  subject: string;
  greeting: string;
  greetingWithoutName: string;
  thanks: string;
  code: string;
  independence: string;
  footer: string;
}

const en: IncentiveEmailStrings = {
  subject: 'Thank you for your review — {business}',
  greeting: 'Hello {name},',
  greetingWithoutName: 'Hello,',
  thanks: 'Thank you for taking the time to write a review of {business}. As promised, you receive {incentive}.',
  code: 'Your code: {code}',
  independence:
    'You receive this thank-you because you sent a review. It did not depend on your rating, on what you wrote or on whether your review is published.',
  footer: 'This is a one-time email: you wrote a review for {business}.',
};

const pl: IncentiveEmailStrings = {
  subject: 'Dziękujemy za Twoją opinię — {business}',
  greeting: 'Dzień dobry, {name}!',
  greetingWithoutName: 'Dzień dobry!',
  thanks: 'Dziękujemy za poświęcony czas i napisanie opinii o {business}. Zgodnie z obietnicą otrzymujesz {incentive}.',
  code: 'Twój kod: {code}',
  independence:
    'To podziękowanie otrzymujesz za wysłanie opinii. Nie zależało ono od Twojej oceny, od treści opinii ani od tego, czy zostanie opublikowana.',
  footer: 'To jednorazowa wiadomość z podziękowaniem za opinię o {business}.',
};

const ru: IncentiveEmailStrings = {
  subject: 'Спасибо за ваш отзыв — {business}',
  greeting: 'Здравствуйте, {name}!',
  greetingWithoutName: 'Здравствуйте!',
  thanks: 'Спасибо, что нашли время написать отзыв о {business}. Как и обещали, вы получаете {incentive}.',
  code: 'Ваш код: {code}',
  independence:
    'Эту благодарность вы получаете за отправленный отзыв. Она не зависела ни от вашей оценки, ни от того, что вы написали, ни от того, будет ли отзыв опубликован.',
  footer: 'Это однократное письмо: вы написали отзыв о {business}.',
};

const uk: IncentiveEmailStrings = {
  subject: 'Дякуємо за ваш відгук — {business}',
  greeting: 'Вітаємо, {name}!',
  greetingWithoutName: 'Вітаємо!',
  thanks: 'Дякуємо, що знайшли час написати відгук про {business}. Як і обіцяли, ви отримуєте {incentive}.',
  code: 'Ваш код: {code}',
  independence:
    'Цю подяку ви отримуєте за надісланий відгук. Вона не залежала ні від вашої оцінки, ні від того, що ви написали, ні від того, чи буде відгук опубліковано.',
  footer: 'Це одноразовий лист: ви написали відгук про {business}.',
};

const lv: IncentiveEmailStrings = {
  subject: 'Paldies par jūsu atsauksmi — {business}',
  greeting: 'Labdien, {name}!',
  greetingWithoutName: 'Labdien!',
  thanks: 'Paldies, ka veltījāt laiku atsauksmei par {business}. Kā solīts, jūs saņemat {incentive}.',
  code: 'Jūsu kods: {code}',
  independence:
    'Šo pateicību jūs saņemat par atsauksmes nosūtīšanu. Tā nebija atkarīga ne no jūsu vērtējuma, ne no tā, ko uzrakstījāt, ne no tā, vai atsauksme tiks publicēta.',
  footer: 'Šī ir vienreizēja vēstule: jūs uzrakstījāt atsauksmi par {business}.',
};

const bg: IncentiveEmailStrings = {
  subject: 'Благодарим ви за отзива — {business}',
  greeting: 'Здравейте, {name}!',
  greetingWithoutName: 'Здравейте!',
  thanks: 'Благодарим ви, че отделихте време да напишете отзив за {business}. Както обещахме, получавате {incentive}.',
  code: 'Вашият код: {code}',
  independence:
    'Получавате тази благодарност, защото изпратихте отзив. Тя не зависеше нито от оценката ви, нито от това, което написахте, нито от това дали отзивът ще бъде публикуван.',
  footer: 'Това е еднократно писмо: написахте отзив за {business}.',
};

const strings: Record<Locale, IncentiveEmailStrings> = { en, pl, ru, uk, lv, bg };

/** The incentive email's texts in one of the supported languages. */
export function incentiveEmailStrings(locale: Locale): IncentiveEmailStrings {
  return strings[locale];
}
