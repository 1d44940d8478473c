import type { Locale } from '../locales.ts';
import type { PluralForms } from '../plural.ts';

/** Every text of the NPS survey email and its reminder. `{name}` marks a value filled in by `fill`. */
export interface SurveyEmailStrings {
  subject: string;
  reminderSubject: string;
  greeting: string;
  greetingWithoutName: string;
  /** The NPS question itself. */
  question: string;
  howTo: string;
  reminderIntro: string;
  /** What 0 and 10 mean, under the scale. */
  lowLabel: string;
  highLabel: string;
  /** The accessible name of one score link. */
  scoreLabel: string;
  linkNote: string;
  footer: string;
  unsubscribe: string;
}

/** Texts of the answer pages at /s/TOKEN/SCORE and /s/TOKEN. */
export interface SurveyPageStrings {
  pageTitle: string;
  chosen: string;
  previous: string;
  send: string;
  otherScores: string;
  scaleLabel: string;
  thanksTitle: string;
  recorded: string;
  changeUntil: string;
  notAnswered: string;
  reasonLabel: string;
  /** By {max}. */
  reasonHint: PluralForms;
  reasonSend: string;
  reasonSaved: string;
  /** By {max}. */
  reasonTooLong: PluralForms;
  reviewTitle: string;
  reviewBody: string;
  reviewAction: string;
  notFoundTitle: string;
  notFoundBody: string;
  expiredTitle: string;
  /** By {days}. */
  expiredBody: PluralForms;
  rateLimited: string;
  unsubscribeDone: string;
}

/** The reminder for an unused review link: these lines, then the invitation's own. */
export interface ReviewReminderStrings {
  subject: string;
  intro: string;
}

/** All survey texts of one language. */
export interface SurveyStrings {
  email: SurveyEmailStrings;
  page: SurveyPageStrings;
  reviewReminder: ReviewReminderStrings;
}

const en: SurveyStrings = {
  email: {
    subject: 'How likely are you to recommend {business}?',
    reminderSubject: 'Reminder: how likely are you to recommend {business}?',
    greeting: 'Hello {name},',
    greetingWithoutName: 'Hello,',
    question: 'How likely are you to recommend {business} to a friend or colleague?',
    howTo: 'Choose a number from 0 (not at all likely) to 10 (extremely likely). A page opens where you confirm your answer.',
    reminderIntro: 'A few days ago we asked you one question. If you have a moment, your answer helps us a lot.',
    lowLabel: '0 = not at all likely',
    highLabel: '10 = extremely likely',
    scoreLabel: '{score} out of 10',
    linkNote: 'These links are personal, so please do not forward them. They work until {date}.',
    footer: 'You receive this email because you are a customer of {business}.',
    unsubscribe: 'Unsubscribe',
  },
  page: {
    pageTitle: 'Your answer — {business}',
    chosen: 'You chose {score} out of 10.',
    previous: 'Your answer so far is {previous}. Sending replaces it with {score}.',
    send: 'Send my answer',
    otherScores: 'Or choose another number:',
    scaleLabel: 'Scores from 0 (not at all likely) to 10 (extremely likely)',
    thanksTitle: 'Thank you!',
    recorded: 'We recorded your answer: {score} out of 10.',
    changeUntil: 'Changed your mind? You can change your answer until {date}:',
    notAnswered: 'You have not answered yet.',
    reasonLabel: 'What is the main reason for your score?',
    reasonHint: { one: 'Optional, up to {max} character.', other: 'Optional, up to {max} characters.' },
    reasonSend: 'Send',
    reasonSaved: 'Thank you for telling us.',
    reasonTooLong: { one: 'Please shorten your answer to {max} character.', other: 'Please shorten your answer to {max} characters.' },
    reviewTitle: 'Would you share your experience in a short review?',
    reviewBody: 'Good or bad, it helps other customers decide, and it takes about two minutes.',
    reviewAction: 'Write your review',
    notFoundTitle: 'Link not valid',
    notFoundBody: 'Please check that you opened the whole link from the email. If it still does not work, contact {business}.',
    expiredTitle: 'This survey has closed',
    expiredBody: { one: 'Survey links work for {days} day. Thank you all the same!', other: 'Survey links work for {days} days. Thank you all the same!' },
    rateLimited: 'Too many attempts in a short time. Nothing was saved. Please wait a few minutes and try again.',
    unsubscribeDone: 'You are unsubscribed. {business} will not send you any more surveys or review requests.',
  },
  reviewReminder: {
    subject: 'Reminder: would you share your experience with {business}?',
    intro: 'A few days ago we sent you a personal link to review {business}. If you have two minutes, we would be glad to hear from you.',
  },
};

const pl: SurveyStrings = {
  email: {
    subject: 'Jak bardzo prawdopodobne jest, że polecisz {business}?',
    reminderSubject: 'Przypomnienie: jak bardzo prawdopodobne jest, że polecisz {business}?',
    greeting: 'Dzień dobry, {name}!',
    greetingWithoutName: 'Dzień dobry!',
    question: 'Jak bardzo prawdopodobne jest, że polecisz {business} znajomemu lub współpracownikowi?',
    howTo: 'Wybierz liczbę od 0 (zupełnie nieprawdopodobne) do 10 (bardzo prawdopodobne). Otworzy się strona, na której potwierdzisz odpowiedź.',
    reminderIntro: 'Kilka dni temu zadaliśmy Ci jedno pytanie. Jeśli masz chwilę, Twoja odpowiedź bardzo nam pomoże.',
    lowLabel: '0 = zupełnie nieprawdopodobne',
    highLabel: '10 = bardzo prawdopodobne',
    scoreLabel: '{score} na 10',
    linkNote: 'Te linki są osobiste, prosimy nie przekazywać ich dalej. Są ważne do {date}.',
    footer: 'Otrzymujesz tę wiadomość, ponieważ jesteś klientem {business}.',
    unsubscribe: 'Wypisz mnie',
  },
  page: {
    pageTitle: 'Twoja odpowiedź — {business}',
    chosen: 'Wybrano {score} na 10.',
    previous: 'Twoja dotychczasowa odpowiedź to {previous}. Po wysłaniu zastąpi ją {score}.',
    send: 'Wyślij odpowiedź',
    otherScores: 'Albo wybierz inną liczbę:',
    scaleLabel: 'Oceny od 0 (zupełnie nieprawdopodobne) do 10 (bardzo prawdopodobne)',
    thanksTitle: 'Dziękujemy!',
    recorded: 'Zapisaliśmy Twoją odpowiedź: {score} na 10.',
    changeUntil: 'Zmiana zdania? Odpowiedź możesz zmienić do {date}:',
    notAnswered: 'Nie udzielono jeszcze odpowiedzi.',
    reasonLabel: 'Jaki jest główny powód Twojej oceny?',
    reasonHint: { one: 'Opcjonalnie, do {max} znaku.', few: 'Opcjonalnie, do {max} znaków.', many: 'Opcjonalnie, do {max} znaków.', other: 'Opcjonalnie, do {max} znaku.' },
    reasonSend: 'Wyślij',
    reasonSaved: 'Dziękujemy, że się tym z nami dzielisz.',
    reasonTooLong: { one: 'Skróć odpowiedź do {max} znaku.', few: 'Skróć odpowiedź do {max} znaków.', many: 'Skróć odpowiedź do {max} znaków.', other: 'Skróć odpowiedź do {max} znaku.' },
    reviewTitle: 'Czy zechcesz opisać swoje doświadczenia w krótkiej opinii?',
    reviewBody: 'Dobra czy zła – pomoże innym klientom w wyborze, a zajmie około dwóch minut.',
    reviewAction: 'Napisz opinię',
    notFoundTitle: 'Nieprawidłowy link',
    notFoundBody: 'Sprawdź, czy otwarto cały link z wiadomości e-mail. Jeśli nadal nie działa, skontaktuj się z {business}.',
    expiredTitle: 'Ankieta jest już zamknięta',
    expiredBody: { one: 'Linki do ankiety są ważne przez {days} dzień. Mimo to dziękujemy!', few: 'Linki do ankiety są ważne przez {days} dni. Mimo to dziękujemy!', many: 'Linki do ankiety są ważne przez {days} dni. Mimo to dziękujemy!', other: 'Linki do ankiety są ważne przez {days} dnia. Mimo to dziękujemy!' },
    rateLimited: 'Zbyt wiele prób w krótkim czasie. Nic nie zostało zapisane. Odczekaj kilka minut i spróbuj ponownie.',
    unsubscribeDone: 'Wypisano Cię. {business} nie będzie już wysyłać Ci ankiet ani próśb o opinię.',
  },
  reviewReminder: {
    subject: 'Przypomnienie: podzielisz się opinią o {business}?',
    intro: 'Kilka dni temu wysłaliśmy Ci osobisty link do napisania opinii o {business}. Jeśli masz dwie minuty, chętnie ją przeczytamy.',
  },
};

const ru: SurveyStrings = {
  email: {
    subject: 'Насколько вероятно, что вы порекомендуете {business}?',
    reminderSubject: 'Напоминание: насколько вероятно, что вы порекомендуете {business}?',
    greeting: 'Здравствуйте, {name}!',
    greetingWithoutName: 'Здравствуйте!',
    question: 'Насколько вероятно, что вы порекомендуете {business} другу или коллеге?',
    howTo: 'Выберите число от 0 (совсем маловероятно) до 10 (очень вероятно). Откроется страница, где вы подтвердите ответ.',
    reminderIntro: 'Несколько дней назад мы задали вам один вопрос. Если у вас есть минута, ваш ответ нам очень поможет.',
    lowLabel: '0 = совсем маловероятно',
    highLabel: '10 = очень вероятно',
    scoreLabel: '{score} из 10',
    linkNote: 'Это персональные ссылки, пожалуйста, не пересылайте их. Они действуют до {date}.',
    footer: 'Вы получили это письмо, потому что вы клиент {business}.',
    unsubscribe: 'Отписаться',
  },
  page: {
    pageTitle: 'Ваш ответ — {business}',
    chosen: 'Вы выбрали {score} из 10.',
    previous: 'Сейчас ваш ответ — {previous}. После отправки он заменится на {score}.',
    send: 'Отправить ответ',
    otherScores: 'Или выберите другое число:',
    scaleLabel: 'Оценки от 0 (совсем маловероятно) до 10 (очень вероятно)',
    thanksTitle: 'Спасибо!',
    recorded: 'Мы записали ваш ответ: {score} из 10.',
    changeUntil: 'Передумали? Ответ можно изменить до {date}:',
    notAnswered: 'Вы ещё не ответили.',
    reasonLabel: 'Какова главная причина вашей оценки?',
    reasonHint: { one: 'Необязательно, до {max} символа.', few: 'Необязательно, до {max} символов.', many: 'Необязательно, до {max} символов.', other: 'Необязательно, до {max} символа.' },
    reasonSend: 'Отправить',
    reasonSaved: 'Спасибо, что поделились.',
    reasonTooLong: { one: 'Пожалуйста, сократите ответ до {max} символа.', few: 'Пожалуйста, сократите ответ до {max} символов.', many: 'Пожалуйста, сократите ответ до {max} символов.', other: 'Пожалуйста, сократите ответ до {max} символа.' },
    reviewTitle: 'Не расскажете ли о своём опыте в коротком отзыве?',
    reviewBody: 'Хороший он или плохой — отзыв поможет другим клиентам сделать выбор. Это займёт около двух минут.',
    reviewAction: 'Написать отзыв',
    notFoundTitle: 'Ссылка недействительна',
    notFoundBody: 'Проверьте, что вы открыли ссылку из письма целиком. Если она всё равно не работает, свяжитесь с {business}.',
    expiredTitle: 'Опрос завершён',
    expiredBody: { one: 'Ссылки на опрос действуют {days} день. Всё равно спасибо!', few: 'Ссылки на опрос действуют {days} дня. Всё равно спасибо!', many: 'Ссылки на опрос действуют {days} дней. Всё равно спасибо!', other: 'Ссылки на опрос действуют {days} дня. Всё равно спасибо!' },
    rateLimited: 'Слишком много попыток за короткое время. Ничего не сохранено. Подождите несколько минут и попробуйте снова.',
    unsubscribeDone: 'Вы отписались. {business} больше не будет присылать вам опросы и просьбы об отзыве.',
  },
  reviewReminder: {
    subject: 'Напоминание: поделитесь впечатлениями о {business}?',
    intro: 'Несколько дней назад мы прислали вам персональную ссылку для отзыва о {business}. Если у вас есть две минуты, мы будем рады вашему отзыву.',
  },
};

const uk: SurveyStrings = {
  email: {
    subject: 'Наскільки ймовірно, що ви порекомендуєте {business}?',
    reminderSubject: 'Нагадування: наскільки ймовірно, що ви порекомендуєте {business}?',
    greeting: 'Вітаємо, {name}!',
    greetingWithoutName: 'Вітаємо!',
    question: 'Наскільки ймовірно, що ви порекомендуєте {business} другові або колезі?',
    howTo: 'Оберіть число від 0 (зовсім малоймовірно) до 10 (дуже ймовірно). Відкриється сторінка, де ви підтвердите відповідь.',
    reminderIntro: 'Кілька днів тому ми поставили вам одне запитання. Якщо маєте хвилинку, ваша відповідь дуже нам допоможе.',
    lowLabel: '0 = зовсім малоймовірно',
    highLabel: '10 = дуже ймовірно',
    scoreLabel: '{score} з 10',
    linkNote: 'Це персональні посилання, будь ласка, не пересилайте їх. Вони дійсні до {date}.',
    footer: 'Ви отримали цей лист, бо ви клієнт {business}.',
    unsubscribe: 'Відписатися',
  },
  page: {
    pageTitle: 'Ваша відповідь — {business}',
    chosen: 'Ви обрали {score} з 10.',
    previous: 'Зараз ваша відповідь — {previous}. Після надсилання її замінить {score}.',
    send: 'Надіслати відповідь',
    otherScores: 'Або оберіть інше число:',
    scaleLabel: 'Оцінки від 0 (зовсім малоймовірно) до 10 (дуже ймовірно)',
    thanksTitle: 'Дякуємо!',
    recorded: 'Ми записали вашу відповідь: {score} з 10.',
    changeUntil: 'Передумали? Відповідь можна змінити до {date}:',
    notAnswered: 'Ви ще не відповіли.',
    reasonLabel: 'Яка головна причина вашої оцінки?',
    reasonHint: { one: 'Необов’язково, до {max} символу.', few: 'Необов’язково, до {max} символів.', many: 'Необов’язково, до {max} символів.', other: 'Необов’язково, до {max} символу.' },
    reasonSend: 'Надіслати',
    reasonSaved: 'Дякуємо, що поділилися.',
    reasonTooLong: { one: 'Будь ласка, скоротіть відповідь до {max} символу.', few: 'Будь ласка, скоротіть відповідь до {max} символів.', many: 'Будь ласка, скоротіть відповідь до {max} символів.', other: 'Будь ласка, скоротіть відповідь до {max} символу.' },
    reviewTitle: 'Чи не розповісте про свій досвід у короткому відгуку?',
    reviewBody: 'Добрий він чи поганий — відгук допоможе іншим клієнтам зробити вибір. Це займе близько двох хвилин.',
    reviewAction: 'Написати відгук',
    notFoundTitle: 'Посилання недійсне',
    notFoundBody: 'Перевірте, чи ви відкрили посилання з листа повністю. Якщо воно все одно не працює, зверніться до {business}.',
    expiredTitle: 'Опитування завершено',
    expiredBody: { one: 'Посилання на опитування дійсні {days} день. Все одно дякуємо!', few: 'Посилання на опитування дійсні {days} дні. Все одно дякуємо!', many: 'Посилання на опитування дійсні {days} днів. Все одно дякуємо!', other: 'Посилання на опитування дійсні {days} дня. Все одно дякуємо!' },
    rateLimited: 'Забагато спроб за короткий час. Нічого не збережено. Зачекайте кілька хвилин і спробуйте ще раз.',
    unsubscribeDone: 'Ви відписалися. {business} більше не надсилатиме вам опитувань і прохань про відгук.',
  },
  reviewReminder: {
    subject: 'Нагадування: поділитеся враженнями про {business}?',
    intro: 'Кілька днів тому ми надіслали вам персональне посилання для відгуку про {business}. Якщо маєте дві хвилини, ми будемо раді вашому відгуку.',
  },
};

const lv: SurveyStrings = {
  email: {
    subject: 'Cik ticams, ka jūs ieteiktu {business}?',
    reminderSubject: 'Atgādinājums: cik ticams, ka jūs ieteiktu {business}?',
    greeting: 'Labdien, {name}!',
    greetingWithoutName: 'Labdien!',
    question: 'Cik ticams, ka jūs ieteiktu {business} draugam vai kolēģim?',
    howTo: 'Izvēlieties skaitli no 0 (pavisam neticami) līdz 10 (ļoti ticami). Atvērsies lapa, kurā apstiprināsiet savu atbildi.',
    reminderIntro: 'Pirms dažām dienām mēs jums uzdevām vienu jautājumu. Ja jums ir brīdis, jūsu atbilde mums ļoti palīdzēs.',
    lowLabel: '0 = pavisam neticami',
    highLabel: '10 = ļoti ticami',
    scoreLabel: '{score} no 10',
    linkNote: 'Šīs saites ir personīgas, lūdzu, nepārsūtiet tās. Tās ir derīgas līdz {date}.',
    footer: 'Jūs saņemat šo vēstuli, jo esat {business} klients.',
    unsubscribe: 'Atteikties no vēstulēm',
  },
  page: {
    pageTitle: 'Jūsu atbilde — {business}',
    chosen: 'Jūs izvēlējāties {score} no 10.',
    previous: 'Pašlaik jūsu atbilde ir {previous}. Pēc nosūtīšanas to aizstās {score}.',
    send: 'Nosūtīt atbildi',
    otherScores: 'Vai izvēlieties citu skaitli:',
    scaleLabel: 'Vērtējumi no 0 (pavisam neticami) līdz 10 (ļoti ticami)',
    thanksTitle: 'Paldies!',
    recorded: 'Mēs saglabājām jūsu atbildi: {score} no 10.',
    changeUntil: 'Pārdomājāt? Atbildi varat mainīt līdz {date}:',
    notAnswered: 'Jūs vēl neesat atbildējis.',
    reasonLabel: 'Kāds ir galvenais jūsu vērtējuma iemesls?',
    reasonHint: { zero: 'Nav obligāti, līdz {max} rakstzīmēm.', one: 'Nav obligāti, līdz {max} rakstzīmei.', other: 'Nav obligāti, līdz {max} rakstzīmēm.' },
    reasonSend: 'Nosūtīt',
    reasonSaved: 'Paldies, ka pastāstījāt.',
    reasonTooLong: { zero: 'Lūdzu, saīsiniet atbildi līdz {max} rakstzīmēm.', one: 'Lūdzu, saīsiniet atbildi līdz {max} rakstzīmei.', other: 'Lūdzu, saīsiniet atbildi līdz {max} rakstzīmēm.' },
    reviewTitle: 'Vai jūs pastāstītu par savu pieredzi īsā atsauksmē?',
    reviewBody: 'Laba vai slikta – tā palīdzēs citiem klientiem izvēlēties, un tas aizņems apmēram divas minūtes.',
    reviewAction: 'Rakstīt atsauksmi',
    notFoundTitle: 'Saite nav derīga',
    notFoundBody: 'Pārbaudiet, vai atvērāt visu saiti no vēstules. Ja tā joprojām nedarbojas, sazinieties ar {business}.',
    expiredTitle: 'Aptauja ir slēgta',
    expiredBody: { zero: 'Aptaujas saites ir derīgas {days} dienas. Tik un tā paldies!', one: 'Aptaujas saites ir derīgas {days} dienu. Tik un tā paldies!', other: 'Aptaujas saites ir derīgas {days} dienas. Tik un tā paldies!' },
    rateLimited: 'Pārāk daudz mēģinājumu īsā laikā. Nekas netika saglabāts. Lūdzu, pagaidiet dažas minūtes un mēģiniet vēlreiz.',
    unsubscribeDone: 'Gatavs: {business} jums vairs nesūtīs aptaujas un lūgumus pēc atsauksmes.',
  },
  reviewReminder: {
    subject: 'Atgādinājums: vai pastāstīsiet par savu pieredzi ar {business}?',
    intro: 'Pirms dažām dienām mēs jums nosūtījām personīgu saiti atsauksmei par {business}. Ja jums ir divas minūtes, mēs labprāt to izlasītu.',
  },
};

const bg: SurveyStrings = {
  email: {
    subject: 'Колко вероятно е да препоръчате {business}?',
    reminderSubject: 'Напомняне: колко вероятно е да препоръчате {business}?',
    greeting: 'Здравейте, {name}!',
    greetingWithoutName: 'Здравейте!',
    question: 'Колко вероятно е да препоръчате {business} на приятел или колега?',
    howTo: 'Изберете число от 0 (изобщо не е вероятно) до 10 (много вероятно). Ще се отвори страница, на която да потвърдите отговора си.',
    reminderIntro: 'Преди няколко дни ви зададохме един въпрос. Ако имате минута, отговорът ви много ще ни помогне.',
    lowLabel: '0 = изобщо не е вероятно',
    highLabel: '10 = много вероятно',
    scoreLabel: '{score} от 10',
    linkNote: 'Тези връзки са лични, моля, не ги препращайте. Валидни са до {date}.',
    footer: 'Получавате това писмо, защото сте клиент на {business}.',
    unsubscribe: 'Отписване',
  },
  page: {
    pageTitle: 'Вашият отговор — {business}',
    chosen: 'Избрахте {score} от 10.',
    previous: 'Досегашният ви отговор е {previous}. След изпращане ще бъде заменен с {score}.',
    send: 'Изпратете отговора',
    otherScores: 'Или изберете друго число:',
    scaleLabel: 'Оценки от 0 (изобщо не е вероятно) до 10 (много вероятно)',
    thanksTitle: 'Благодарим ви!',
    recorded: 'Записахме отговора ви: {score} от 10.',
    changeUntil: 'Размислихте ли? Можете да промените отговора си до {date}:',
    notAnswered: 'Все още не сте отговорили.',
    reasonLabel: 'Коя е основната причина за вашата оценка?',
    reasonHint: { one: 'По желание, до {max} знак.', other: 'По желание, до {max} знака.' },
    reasonSend: 'Изпратете',
    reasonSaved: 'Благодарим ви, че споделихте.',
    reasonTooLong: { one: 'Моля, съкратете отговора си до {max} знак.', other: 'Моля, съкратете отговора си до {max} знака.' },
    reviewTitle: 'Бихте ли разказали за своя опит в кратък отзив?',
    reviewBody: 'Добър или лош – отзивът ще помогне на другите клиенти да изберат и ще отнеме около две минути.',
    reviewAction: 'Напишете отзив',
    notFoundTitle: 'Невалидна връзка',
    notFoundBody: 'Проверете дали сте отворили цялата връзка от писмото. Ако пак не работи, свържете се с {business}.',
    expiredTitle: 'Анкетата е приключила',
    expiredBody: { one: 'Връзките към анкетата са валидни {days} ден. Все пак благодарим!', other: 'Връзките към анкетата са валидни {days} дни. Все пак благодарим!' },
    rateLimited: 'Твърде много опити за кратко време. Нищо не е запазено. Изчакайте няколко минути и опитайте отново.',
    unsubscribeDone: 'Отписахте се. {business} няма да ви изпраща повече анкети и молби за отзив.',
  },
  reviewReminder: {
    subject: 'Напомняне: ще споделите ли впечатленията си от {business}?',
    intro: 'Преди няколко дни ви изпратихме лична връзка за отзив за {business}. Ако имате две минути, ще се радваме да го прочетем.',
  },
};

const strings: Record<Locale, SurveyStrings> = { en, pl, ru, uk, lv, bg };

/** The survey's texts (email, answer pages, review reminder) in one of the supported languages. */
export function surveyStrings(locale: Locale): SurveyStrings {
  return strings[locale];
}
