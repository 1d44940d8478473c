import type { Locale } from '../locales.ts';

/** Every text of the invitation email. `{name}` marks a value filled in when the email is rendered. */
export interface InviteEmailStrings {
  subject: string;
  greeting: string;
  greetingWithoutName: string;
  thanks: string;
  ask: string;
  /** Promises the incentive whatever the review says (FTC 16 CFR 465.4). */
  incentive: string;
  action: string;
  linkNote: string;
  footer: string;
  unsubscribe: string;
}

const en: InviteEmailStrings = {
  subject: 'Would you share your experience with {business}?',
  greeting: 'Hello {name},',
  greetingWithoutName: 'Hello,',
  thanks: 'Thank you for answering our recent survey and for your rating.',
  ask: 'Would you share your experience in a short review? Good or bad, it helps other customers decide, and it helps us improve. It takes about two minutes.',
  incentive:
    'As a thank-you for your time, you will receive {incentive} once you send your review, regardless of what your review says or how you rate us.',
  action: 'Write your review',
  linkNote: 'This link is personal, so please do not forward it. It works until {date}.',
  footer: 'You receive this one-time email because you answered a survey from {business}.',
  unsubscribe: 'Unsubscribe',
};

const pl: InviteEmailStrings = {
  subject: 'Podzielisz się opinią o {business}?',
  greeting: 'Dzień dobry, {name}!',
  greetingWithoutName: 'Dzień dobry!',
  thanks: 'Dziękujemy za udział w naszej ankiecie i za wystawioną ocenę.',
  ask: 'Czy zechcesz opisać swoje doświadczenia w krótkiej opinii? Dobra czy zła – pomoże innym klientom w wyborze, a nam w ulepszaniu naszych usług. Zajmie to około dwóch minut.',
  incentive:
    'W podziękowaniu za poświęcony czas po wysłaniu opinii otrzymasz {incentive} – niezależnie od tego, co w niej napiszesz i jak nas ocenisz.',
  action: 'Napisz opinię',
  linkNote: 'Ten link jest osobisty, prosimy nie przekazywać go dalej. Jest ważny do {date}.',
  footer: 'Ta jednorazowa wiadomość jest związana z Twoim udziałem w ankiecie {business}.',
  unsubscribe: 'Wypisz mnie',
};

const ru: InviteEmailStrings = {
  subject: 'Поделитесь впечатлениями о {business}?',
  greeting: 'Здравствуйте, {name}!',
  greetingWithoutName: 'Здравствуйте!',
  thanks: 'Спасибо, что ответили на наш опрос и поставили оценку.',
  ask: 'Не могли бы вы рассказать о своём опыте в коротком отзыве? Хороший он или плохой — отзыв поможет другим клиентам сделать выбор, а нам — стать лучше. Это займёт около двух минут.',
  incentive:
    'В благодарность за ваше время после отправки отзыва вы получите {incentive} — независимо от того, что вы напишете и какую оценку поставите.',
  action: 'Написать отзыв',
  linkNote: 'Это персональная ссылка, пожалуйста, не пересылайте её. Она действует до {date}.',
  footer: 'Это однократное письмо: вы ответили на опрос {business}.',
  unsubscribe: 'Отписаться',
};

const uk: InviteEmailStrings = {
  subject: 'Поділитеся враженнями про {business}?',
  greeting: 'Вітаємо, {name}!',
  greetingWithoutName: 'Вітаємо!',
  thanks: 'Дякуємо, що відповіли на наше опитування та поставили оцінку.',
  ask: 'Чи не могли б ви розповісти про свій досвід у короткому відгуку? Добрий він чи поганий — відгук допоможе іншим клієнтам зробити вибір, а нам — стати кращими. Це займе близько двох хвилин.',
  incentive:
    'На знак подяки за ваш час після надсилання відгуку ви отримаєте {incentive} — незалежно від того, що ви напишете і яку оцінку поставите.',
  action: 'Написати відгук',
  linkNote: 'Це персональне посилання, будь ласка, не пересилайте його. Воно дійсне до {date}.',
  footer: 'Це одноразовий лист: ви відповіли на опитування {business}.',
  unsubscribe: 'Відписатися',
};

const lv: InviteEmailStrings = {
  subject: 'Vai pastāstīsiet par savu pieredzi ar {business}?',
  greeting: 'Labdien, {name}!',
  greetingWithoutName: 'Labdien!',
  thanks: 'Paldies, ka atbildējāt uz mūsu aptauju un novērtējāt mūs.',
  ask: 'Vai jūs varētu īsā atsauksmē pastāstīt par savu pieredzi? Laba vai slikta – tā palīdzēs citiem klientiem izvēlēties, bet mums – kļūt labākiem. Tas aizņems apmēram divas minūtes.',
  incentive:
    'Pateicībā par veltīto laiku pēc atsauksmes nosūtīšanas jūs saņemsiet {incentive} – neatkarīgi no tā, ko tajā uzrakstīsiet un kā mūs novērtēsiet.',
  action: 'Rakstīt atsauksmi',
  linkNote: 'Šī saite ir personīga, lūdzu, nepārsūtiet to. Tā ir derīga līdz {date}.',
  footer: 'Šī ir vienreizēja vēstule: jūs atbildējāt uz {business} aptauju.',
  unsubscribe: 'Atteikties no vēstulēm',
};

const bg: InviteEmailStrings = {
  subject: 'Ще споделите ли впечатленията си от {business}?',
  greeting: 'Здравейте, {name}!',
  greetingWithoutName: 'Здравейте!',
  thanks: 'Благодарим ви, че отговорихте на нашата анкета и ни оценихте.',
  ask: 'Бихте ли разказали за своя опит в кратък отзив? Добър или лош – отзивът ще помогне на другите клиенти да изберат, а на нас – да станем по-добри. Ще отнеме около две минути.',
  incentive:
    'В знак на благодарност за отделеното време ще получите {incentive}, след като изпратите отзива си – независимо от това какво пишете в него и каква оценка ни давате.',
  action: 'Напишете отзив',
  linkNote: 'Тази връзка е лична, моля, не я препращайте. Валидна е до {date}.',
  footer: 'Това е еднократно писмо: отговорихте на анкета на {business}.',
  unsubscribe: 'Отписване',
};

const strings: Record<Locale, InviteEmailStrings> = { en, pl, ru, uk, lv, bg };

/** The invitation email's texts in one of the supported languages. */
export function inviteEmailStrings(locale: Locale): InviteEmailStrings {
  return strings[locale];
}

/** Texts of the unsubscribe page reached from the invitation email. */
export interface UnsubscribePageStrings {
  title: string;
  question: string;
  button: string;
  done: string;
  notFoundTitle: string;
  notFound: string;
}

const unsubscribePages: Record<Locale, UnsubscribePageStrings> = {
  en: {
    title: 'Unsubscribe',
    question: 'Do you want to stop receiving emails from {business}?',
    button: 'Unsubscribe',
    done: 'You are unsubscribed. {business} will not send you any more review requests.',
    notFoundTitle: 'Link not valid',
    notFound: 'This link is not valid. Please check that you copied the whole address from the email.',
  },
  pl: {
    title: 'Wypisz się',
    question: 'Czy chcesz przestać otrzymywać wiadomości od {business}?',
    button: 'Wypisz mnie',
    done: 'Wypisano Cię. {business} nie będzie już wysyłać Ci próśb o opinię.',
    notFoundTitle: 'Nieprawidłowy link',
    notFound: 'Ten link jest nieprawidłowy. Sprawdź, czy skopiowano cały adres z wiadomości.',
  },
  ru: {
    title: 'Отписаться',
    question: 'Вы хотите больше не получать письма от {business}?',
    button: 'Отписаться',
    done: 'Вы отписались. {business} больше не будет присылать вам просьбы об отзыве.',
    notFoundTitle: 'Ссылка недействительна',
    notFound: 'Эта ссылка недействительна. Проверьте, что вы скопировали весь адрес из письма.',
  },
  uk: {
    title: 'Відписатися',
    question: 'Ви хочете більше не отримувати листи від {business}?',
    button: 'Відписатися',
    done: 'Ви відписалися. {business} більше не надсилатиме вам прохань про відгук.',
    notFoundTitle: 'Посилання недійсне',
    notFound: 'Це посилання недійсне. Перевірте, чи ви скопіювали всю адресу з листа.',
  },
  lv: {
    title: 'Atteikties no vēstulēm',
    question: 'Vai vēlaties vairs nesaņemt vēstules no {business}?',
    button: 'Atteikties',
    done: 'Gatavs: {business} jums vairs nesūtīs lūgumus pēc atsauksmes.',
    notFoundTitle: 'Saite nav derīga',
    notFound: 'Šī saite nav derīga. Pārbaudiet, vai nokopējāt visu adresi no vēstules.',
  },
  bg: {
    title: 'Отписване',
    question: 'Искате ли да спрете да получавате писма от {business}?',
    button: 'Отпишете ме',
    done: 'Отписахте се. {business} няма да ви изпраща повече молби за отзив.',
    notFoundTitle: 'Невалидна връзка',
    notFound: 'Тази връзка е невалидна. Проверете дали сте копирали целия адрес от писмото.',
  },
};

/** The unsubscribe page's texts in one of the supported languages. */
export function unsubscribePageStrings(locale: Locale): UnsubscribePageStrings {
  return unsubscribePages[locale];
}
