import type { Locale } from '../locales.ts';
import type { PluralForms } from '../plural.ts';

/**
 * Texts of the embeddable widget (/widget.js). They travel in the widget's feed, filled in where
 * they can be (the average), so the script itself stays small and speaks every enabled language.
 */
export interface WidgetStrings {
  /** The heading when every respondent was invited. */
  reviews: string;
  /** The heading when some were invited only as promoters: the wall's honest name for them. */
  selected: string;
  /** The average, by {count}; `{rating}` is the average with one decimal. */
  average: PluralForms;
  /** A card's star rating for screen readers; `{rating}` is 1–5. */
  rated: string;
  /** The link from a card to the whole testimonial. */
  readMore: string;
  /** The link to the page on how reviews are collected and verified. */
  howWeCollect: string;
  /** The carousel's buttons. */
  previous: string;
  next: string;
  /**
   * A card's incentive disclosure (FTC Endorsement Guides §255.5); `{incentive}` is what the
   * reviewer's invitation promised, in the words it was promised in.
   */
  offered: string;
  /** The incentive of an invitation sent before what it promised was recorded. */
  gift: string;
}

const strings: Record<Locale, WidgetStrings> = {
  en: {
    reviews: 'Reviews',
    selected: 'Selected testimonials',
    average: { one: '{rating} out of 5 from {count} review', other: '{rating} out of 5 from {count} reviews' },
    rated: 'Rated {rating} out of 5',
    readMore: 'Read more',
    howWeCollect: 'How we collect reviews',
    previous: 'Previous reviews',
    next: 'Next reviews',
    offered: 'Offered {incentive} for writing an honest review, regardless of rating.',
    gift: 'a thank-you gift',
  },
  pl: {
    reviews: 'Opinie',
    selected: 'Wybrane opinie',
    average: { other: 'Średnia {rating} na 5 z {count} opinii' },
    rated: 'Ocena: {rating} na 5',
    readMore: 'Czytaj dalej',
    howWeCollect: 'Jak zbieramy opinie',
    previous: 'Poprzednie opinie',
    next: 'Następne opinie',
    offered: 'Za napisanie szczerej opinii zaoferowano: {incentive}, niezależnie od oceny.',
    gift: 'upominek z podziękowaniem',
  },
  ru: {
    reviews: 'Отзывы',
    selected: 'Избранные отзывы',
    average: { one: '{rating} из 5 по {count} отзыву', other: '{rating} из 5 по {count} отзывам' },
    rated: 'Оценка: {rating} из 5',
    readMore: 'Читать дальше',
    howWeCollect: 'Как мы собираем отзывы',
    previous: 'Предыдущие отзывы',
    next: 'Следующие отзывы',
    offered: 'За честный отзыв предложено: {incentive}, независимо от оценки.',
    gift: 'подарок в благодарность',
  },
  uk: {
    reviews: 'Відгуки',
    selected: 'Вибрані відгуки',
    average: { one: '{rating} з 5 за {count} відгуком', other: '{rating} з 5 за {count} відгуками' },
    rated: 'Оцінка: {rating} з 5',
    readMore: 'Читати далі',
    howWeCollect: 'Як ми збираємо відгуки',
    previous: 'Попередні відгуки',
    next: 'Наступні відгуки',
    offered: 'За чесний відгук запропоновано: {incentive}, незалежно від оцінки.',
    gift: 'подарунок на подяку',
  },
  lv: {
    reviews: 'Atsauksmes',
    selected: 'Atlasītas atsauksmes',
    average: { one: '{rating} no 5 pēc {count} atsauksmes', other: '{rating} no 5 pēc {count} atsauksmēm' },
    rated: 'Vērtējums: {rating} no 5',
    readMore: 'Lasīt vairāk',
    howWeCollect: 'Kā mēs vācam atsauksmes',
    previous: 'Iepriekšējās atsauksmes',
    next: 'Nākamās atsauksmes',
    offered: 'Par godīgu atsauksmi piedāvāts: {incentive}, neatkarīgi no vērtējuma.',
    gift: 'pateicības dāvana',
  },
  bg: {
    reviews: 'Отзиви',
    selected: 'Избрани отзиви',
    average: { one: '{rating} от 5 от {count} отзив', other: '{rating} от 5 от {count} отзива' },
    rated: 'Оценка: {rating} от 5',
    readMore: 'Прочетете още',
    howWeCollect: 'Как събираме отзиви',
    previous: 'Предишни отзиви',
    next: 'Следващи отзиви',
    offered: 'За честен отзив е предложено: {incentive}, независимо от оценката.',
    gift: 'подарък в знак на благодарност',
  },
};

/** The widget's texts in one of the supported languages. */
export function widgetStrings(locale: Locale): WidgetStrings {
  return strings[locale];
}
