import type { Locale } from '../locales.ts';

/**
 * Texts of the invitation to post a review on public review sites, shown after sending a review.
 * Every reviewer sees the same words whatever their rating: offering it only to happy reviewers is
 * review gating, which Google forbids.
 */
export interface SharingStrings {
  heading: string;
  intro: string;
  /** The label of the read-only box holding the reviewer's own text. */
  textLabel: string;
  /** The copy button (with JavaScript only). */
  copy: string;
  /** Said once the text is on the clipboard. */
  copied: string;
  /** A link to one profile: `{site}` is its name ("G2"). */
  profileLink: string;
  /** After each link, for screen reader users: the site opens in a new tab. */
  newTab: string;
}

const strings: Record<Locale, SharingStrings> = {
  en: {
    heading: 'Share your review on other sites (optional)',
    intro: 'If you like, you can also post your review on a public review site. We show this to everyone who sends a review, whatever their rating.',
    textLabel: 'Your review, ready to copy',
    copy: 'Copy text',
    copied: 'Copied',
    profileLink: 'Post on {site}',
    newTab: '(opens in a new tab)',
  },
  pl: {
    heading: 'Udostępnij opinię w innych serwisach (opcjonalnie)',
    intro: 'Jeśli chcesz, możesz opublikować swoją opinię także w publicznym serwisie z opiniami. Pokazujemy to każdemu, kto wyśle opinię, niezależnie od oceny.',
    textLabel: 'Twoja opinia, gotowa do skopiowania',
    copy: 'Kopiuj tekst',
    copied: 'Skopiowano',
    profileLink: 'Opublikuj w serwisie {site}',
    newTab: '(otwiera się w nowej karcie)',
  },
  ru: {
    heading: 'Поделитесь отзывом на других сайтах (по желанию)',
    intro: 'Если хотите, вы можете опубликовать свой отзыв и на публичном сайте отзывов. Мы показываем это всем, кто отправил отзыв, независимо от оценки.',
    textLabel: 'Ваш отзыв, готовый к копированию',
    copy: 'Копировать текст',
    copied: 'Скопировано',
    profileLink: 'Оставить отзыв на {site}',
    newTab: '(откроется в новой вкладке)',
  },
  uk: {
    heading: 'Поділіться відгуком на інших сайтах (за бажанням)',
    intro: 'Якщо бажаєте, ви можете опублікувати свій відгук і на публічному сайті відгуків. Ми показуємо це всім, хто надіслав відгук, незалежно від оцінки.',
    textLabel: 'Ваш відгук, готовий до копіювання',
    copy: 'Копіювати текст',
    copied: 'Скопійовано',
    profileLink: 'Залишити відгук на {site}',
    newTab: '(відкриється в новій вкладці)',
  },
  lv: {
    heading: 'Dalieties ar atsauksmi citās vietnēs (pēc izvēles)',
    intro: 'Ja vēlaties, varat publicēt savu atsauksmi arī publiskā atsauksmju vietnē. Mēs to piedāvājam ikvienam, kas nosūta atsauksmi, neatkarīgi no vērtējuma.',
    textLabel: 'Jūsu atsauksme, gatava kopēšanai',
    copy: 'Kopēt tekstu',
    copied: 'Nokopēts',
    profileLink: 'Publicēt vietnē {site}',
    newTab: '(atveras jaunā cilnē)',
  },
  bg: {
    heading: 'Споделете отзива си в други сайтове (по желание)',
    intro: 'Ако желаете, можете да публикувате отзива си и в публичен сайт за отзиви. Показваме това на всеки, който изпрати отзив, независимо от оценката.',
    textLabel: 'Вашият отзив, готов за копиране',
    copy: 'Копиране на текста',
    copied: 'Копирано',
    profileLink: 'Публикувайте в {site}',
    newTab: '(отваря се в нов раздел)',
  },
};

/** The sharing texts in one of the supported languages. */
export function sharingStrings(locale: Locale): SharingStrings {
  return strings[locale];
}
