import type { Locale } from '../locales.ts';
import type { ReviewFormErrorKey } from '../collect/review-submission.ts';

/** Every text of the review form and its link pages. `{name}` marks a value filled in by `fill`. */
export interface ReviewFormStrings {
  pageTitle: string;
  heading: string;
  intro: string;
  incentiveNotice: string;
  honestyNotice: string;
  languageLabel: string;
  required: string;
  optional: string;
  ratingLegend: string;
  starLabels: [string, string, string, string, string];
  bodyLabel: string;
  bodyHint: string;
  nameDisplayLegend: string;
  nameFull: string;
  nameFirstInitial: string;
  nameAnonymous: string;
  anonymousName: string;
  shownAs: string;
  roleLabel: string;
  companyLabel: string;
  photoLabel: string;
  photoHint: string;
  photoCurrent: string;
  removePhoto: string;
  photoChooseAgain: string;
  consentLabel: string;
  submit: string;
  saveChanges: string;
  errorSummaryTitle: string;
  errors: Record<ReviewFormErrorKey, string>;
  rateLimited: string;
  formTooLarge: string;
  alreadyModerated: string;
  serverError: string;
  savedTitle: string;
  savedBody: string;
  editingNotice: string;
  notFoundTitle: string;
  notFoundBody: string;
  expiredTitle: string;
  expiredBody: string;
  statusTitle: string;
  statusApproved: string;
  statusNotPublished: string;
  statusIncentive: string;
}

const en: ReviewFormStrings = {
  pageTitle: 'Write a review — {business}',
  heading: 'How was your experience with {business}?',
  intro: 'Thank you for answering our survey. We would love to hear about your experience, good or bad.',
  incentiveNotice: 'As a thank-you for your time you will receive {incentive}.',
  honestyNotice: 'You get it for sending a review: it does not depend on your rating or on what you write.',
  languageLabel: 'Language',
  required: 'required',
  optional: 'optional',
  ratingLegend: 'Your rating',
  starLabels: ['1 star', '2 stars', '3 stars', '4 stars', '5 stars'],
  bodyLabel: 'Your review',
  bodyHint: 'Between {min} and {max} characters. What went well, and what could be better?',
  nameDisplayLegend: 'How should your name appear with the review?',
  nameFull: 'Full name',
  nameFirstInitial: 'First name and initial',
  nameAnonymous: 'Anonymous',
  anonymousName: 'A verified customer',
  shownAs: 'Shown as:',
  roleLabel: 'Your role',
  companyLabel: 'Company',
  photoLabel: 'Photo',
  photoHint: 'A JPEG, PNG, WebP, GIF or AVIF image up to 5 MB. We crop it to a small square and remove all hidden data, such as the location where it was taken.',
  photoCurrent: 'Your current photo is kept unless you choose a new one.',
  removePhoto: 'Remove my current photo',
  photoChooseAgain: 'Browsers cannot keep a chosen file when a form is sent back: if you want a photo, please choose it again.',
  consentLabel: 'I agree that {business} may publish this review, with my name shown as chosen above.',
  submit: 'Send review',
  saveChanges: 'Save changes',
  errorSummaryTitle: 'Please correct the following:',
  errors: {
    ratingRequired: 'Choose a rating from 1 to 5 stars.',
    bodyTooShort: 'Write at least {min} characters.',
    bodyTooLong: 'Keep the review to {max} characters or fewer.',
    nameDisplayRequired: 'Choose how your name should appear.',
    roleTooLong: 'Keep the role to {max} characters or fewer.',
    companyTooLong: 'Keep the company name to {max} characters or fewer.',
    photoTooLarge: 'The photo is larger than 5 MB. Please choose a smaller one.',
    photoNotAnImage: 'This file is not an image we can read. Please choose a JPEG, PNG, WebP, GIF or AVIF photo.',
    photoTooManyPixels: 'The image has too many pixels (over 40 megapixels). Please choose a smaller one.',
    consentRequired: 'Tick the box to agree that we may publish your review.',
  },
  rateLimited: 'Too many attempts in a short time. Nothing was saved. Please wait a few minutes and send again.',
  formTooLarge: 'The form was too large to receive, usually because the photo is over 5 MB. Nothing was saved: please go back, choose a smaller photo and send again.',
  alreadyModerated: 'Your review has already been moderated, so it can no longer be changed.',
  serverError: 'Something went wrong on our side and nothing was saved. Please try again.',
  savedTitle: 'Thank you! Your review has been saved.',
  savedBody: 'You can still change it through this link until we have reviewed it.',
  editingNotice: 'You have already sent a review. You can change it below until it is moderated.',
  notFoundTitle: 'This link is not valid',
  notFoundBody: 'Please check that you opened the whole link from the email. If it still does not work, contact {business}.',
  expiredTitle: 'This link has expired',
  expiredBody: 'Review links work for {days} days. To get a new one, reply to the invitation email or contact {business}: {website}',
  statusTitle: 'Thank you for your review',
  statusApproved: 'Your review has been approved and is shown on our review wall.',
  statusNotPublished: 'After moderation, your review will not be published.',
  statusIncentive: 'You will receive {incentive} as promised, whatever the outcome.',
};

const pl: ReviewFormStrings = {
  pageTitle: 'Napisz opinię — {business}',
  heading: 'Jak oceniasz współpracę z {business}?',
  intro: 'Dziękujemy za udział w ankiecie. Chętnie poznamy Twoje wrażenia — dobre i złe.',
  incentiveNotice: 'W podziękowaniu za poświęcony czas otrzymasz {incentive}.',
  honestyNotice: 'Otrzymasz ją za wysłanie opinii: nie zależy od Twojej oceny ani od tego, co napiszesz.',
  languageLabel: 'Język',
  required: 'wymagane',
  optional: 'opcjonalne',
  ratingLegend: 'Twoja ocena',
  starLabels: ['1 gwiazdka', '2 gwiazdki', '3 gwiazdki', '4 gwiazdki', '5 gwiazdek'],
  bodyLabel: 'Twoja opinia',
  bodyHint: 'Od {min} do {max} znaków. Co się udało, a co mogłoby być lepsze?',
  nameDisplayLegend: 'Jak ma być podpisana Twoja opinia?',
  nameFull: 'Imię i nazwisko',
  nameFirstInitial: 'Imię i inicjał nazwiska',
  nameAnonymous: 'Anonimowo',
  anonymousName: 'Zweryfikowany klient',
  shownAs: 'Podpis:',
  roleLabel: 'Stanowisko',
  companyLabel: 'Firma',
  photoLabel: 'Zdjęcie',
  photoHint: 'Obraz JPEG, PNG, WebP, GIF lub AVIF do 5 MB. Przycinamy go do małego kwadratu i usuwamy wszystkie ukryte dane, np. miejsce wykonania zdjęcia.',
  photoCurrent: 'Obecne zdjęcie zostanie zachowane, jeśli nie wybierzesz nowego.',
  removePhoto: 'Usuń moje obecne zdjęcie',
  photoChooseAgain: 'Przeglądarka nie może zachować wybranego pliku po odesłaniu formularza: jeśli chcesz dodać zdjęcie, wybierz je ponownie.',
  consentLabel: 'Zgadzam się na opublikowanie tej opinii przez {business} z podpisem wybranym powyżej.',
  submit: 'Wyślij opinię',
  saveChanges: 'Zapisz zmiany',
  errorSummaryTitle: 'Popraw następujące pola:',
  errors: {
    ratingRequired: 'Wybierz ocenę od 1 do 5 gwiazdek.',
    bodyTooShort: 'Napisz co najmniej {min} znaków.',
    bodyTooLong: 'Opinia może mieć najwyżej {max} znaków.',
    nameDisplayRequired: 'Wybierz, jak ma być podpisana opinia.',
    roleTooLong: 'Stanowisko może mieć najwyżej {max} znaków.',
    companyTooLong: 'Nazwa firmy może mieć najwyżej {max} znaków.',
    photoTooLarge: 'Zdjęcie jest większe niż 5 MB. Wybierz mniejsze.',
    photoNotAnImage: 'Tego pliku nie da się odczytać jako obrazu. Wybierz zdjęcie JPEG, PNG, WebP, GIF lub AVIF.',
    photoTooManyPixels: 'Obraz ma zbyt wiele pikseli (ponad 40 megapikseli). Wybierz mniejszy.',
    consentRequired: 'Zaznacz pole, aby zgodzić się na publikację opinii.',
  },
  rateLimited: 'Zbyt wiele prób w krótkim czasie. Nic nie zostało zapisane. Odczekaj kilka minut i wyślij ponownie.',
  formTooLarge: 'Formularz był zbyt duży, zwykle dlatego, że zdjęcie ma ponad 5 MB. Nic nie zostało zapisane: wróć, wybierz mniejsze zdjęcie i wyślij ponownie.',
  alreadyModerated: 'Twoja opinia została już sprawdzona przez moderatora, więc nie można jej zmienić.',
  serverError: 'Coś poszło nie tak po naszej stronie i nic nie zostało zapisane. Spróbuj ponownie.',
  savedTitle: 'Dziękujemy! Twoja opinia została zapisana.',
  savedBody: 'Do czasu moderacji możesz ją zmienić, korzystając z tego linku.',
  editingNotice: 'Opinia została już wysłana. Do czasu moderacji możesz ją zmienić poniżej.',
  notFoundTitle: 'Ten link jest nieprawidłowy',
  notFoundBody: 'Sprawdź, czy otwarto cały link z wiadomości e-mail. Jeśli nadal nie działa, skontaktuj się z {business}.',
  expiredTitle: 'Ten link wygasł',
  expiredBody: 'Linki do opinii są ważne przez {days} dni. Aby otrzymać nowy, odpowiedz na e-mail z zaproszeniem lub skontaktuj się z {business}: {website}',
  statusTitle: 'Dziękujemy za opinię',
  statusApproved: 'Twoja opinia została zatwierdzona i jest widoczna na naszej stronie z opiniami.',
  statusNotPublished: 'Po moderacji Twoja opinia nie zostanie opublikowana.',
  statusIncentive: 'Zgodnie z obietnicą otrzymasz {incentive}, niezależnie od wyniku.',
};

const ru: ReviewFormStrings = {
  pageTitle: 'Оставить отзыв — {business}',
  heading: 'Как вам работа с {business}?',
  intro: 'Спасибо, что ответили на наш опрос. Нам важно узнать о вашем опыте — и хорошем, и плохом.',
  incentiveNotice: 'В благодарность за ваше время вы получите {incentive}.',
  honestyNotice: 'Вы получите её за отправленный отзыв: это не зависит ни от вашей оценки, ни от того, что вы напишете.',
  languageLabel: 'Язык',
  required: 'обязательно',
  optional: 'необязательно',
  ratingLegend: 'Ваша оценка',
  starLabels: ['1 звезда', '2 звезды', '3 звезды', '4 звезды', '5 звёзд'],
  bodyLabel: 'Ваш отзыв',
  bodyHint: 'От {min} до {max} символов. Что понравилось, а что можно улучшить?',
  nameDisplayLegend: 'Как подписать ваш отзыв?',
  nameFull: 'Полное имя',
  nameFirstInitial: 'Имя и инициал фамилии',
  nameAnonymous: 'Анонимно',
  anonymousName: 'Проверенный клиент',
  shownAs: 'Подпись:',
  roleLabel: 'Должность',
  companyLabel: 'Компания',
  photoLabel: 'Фото',
  photoHint: 'Изображение JPEG, PNG, WebP, GIF или AVIF до 5 МБ. Мы обрежем его до небольшого квадрата и удалим все скрытые данные, например место съёмки.',
  photoCurrent: 'Текущее фото сохранится, если вы не выберете новое.',
  removePhoto: 'Удалить моё текущее фото',
  photoChooseAgain: 'Браузер не может сохранить выбранный файл при повторной отправке формы: если хотите добавить фото, выберите его ещё раз.',
  consentLabel: 'Я даю согласие, что {business} может опубликовать этот отзыв с подписью, выбранной выше.',
  submit: 'Отправить отзыв',
  saveChanges: 'Сохранить изменения',
  errorSummaryTitle: 'Пожалуйста, исправьте следующее:',
  errors: {
    ratingRequired: 'Выберите оценку от 1 до 5 звёзд.',
    bodyTooShort: 'Напишите не менее {min} символов.',
    bodyTooLong: 'Отзыв должен быть не длиннее {max} символов.',
    nameDisplayRequired: 'Выберите, как подписать отзыв.',
    roleTooLong: 'Должность должна быть не длиннее {max} символов.',
    companyTooLong: 'Название компании должно быть не длиннее {max} символов.',
    photoTooLarge: 'Фото больше 5 МБ. Пожалуйста, выберите файл поменьше.',
    photoNotAnImage: 'Этот файл не удаётся прочитать как изображение. Выберите фото JPEG, PNG, WebP, GIF или AVIF.',
    photoTooManyPixels: 'В изображении слишком много пикселей (более 40 мегапикселей). Выберите изображение поменьше.',
    consentRequired: 'Отметьте согласие на публикацию отзыва.',
  },
  rateLimited: 'Слишком много попыток за короткое время. Ничего не сохранено. Подождите несколько минут и отправьте снова.',
  formTooLarge: 'Форма слишком большая — обычно потому, что фото больше 5 МБ. Ничего не сохранено: вернитесь назад, выберите фото поменьше и отправьте снова.',
  alreadyModerated: 'Ваш отзыв уже прошёл модерацию, поэтому изменить его нельзя.',
  serverError: 'На нашей стороне что-то пошло не так, и ничего не сохранено. Попробуйте ещё раз.',
  savedTitle: 'Спасибо! Ваш отзыв сохранён.',
  savedBody: 'До модерации вы можете изменить его по этой ссылке.',
  editingNotice: 'Вы уже отправили отзыв. До модерации его можно изменить ниже.',
  notFoundTitle: 'Эта ссылка недействительна',
  notFoundBody: 'Проверьте, что вы открыли ссылку из письма полностью. Если она всё равно не работает, свяжитесь с {business}.',
  expiredTitle: 'Срок действия ссылки истёк',
  expiredBody: 'Ссылки для отзыва действуют {days} дней. Чтобы получить новую, ответьте на письмо с приглашением или свяжитесь с {business}: {website}',
  statusTitle: 'Спасибо за ваш отзыв',
  statusApproved: 'Ваш отзыв одобрен и опубликован на нашей странице отзывов.',
  statusNotPublished: 'По итогам модерации ваш отзыв не будет опубликован.',
  statusIncentive: 'Как и обещали, вы получите {incentive} независимо от результата.',
};

const uk: ReviewFormStrings = {
  pageTitle: 'Залишити відгук — {business}',
  heading: 'Як вам співпраця з {business}?',
  intro: 'Дякуємо, що відповіли на наше опитування. Нам важливо дізнатися про ваш досвід — і добрий, і поганий.',
  incentiveNotice: 'На подяку за ваш час ви отримаєте {incentive}.',
  honestyNotice: 'Ви отримаєте її за надісланий відгук: це не залежить ні від вашої оцінки, ні від того, що ви напишете.',
  languageLabel: 'Мова',
  required: "обов'язково",
  optional: "необов'язково",
  ratingLegend: 'Ваша оцінка',
  starLabels: ['1 зірка', '2 зірки', '3 зірки', '4 зірки', "5 зірок"],
  bodyLabel: 'Ваш відгук',
  bodyHint: 'Від {min} до {max} символів. Що сподобалося, а що можна покращити?',
  nameDisplayLegend: 'Як підписати ваш відгук?',
  nameFull: "Повне ім'я",
  nameFirstInitial: "Ім'я та ініціал прізвища",
  nameAnonymous: 'Анонімно',
  anonymousName: 'Перевірений клієнт',
  shownAs: 'Підпис:',
  roleLabel: 'Посада',
  companyLabel: 'Компанія',
  photoLabel: 'Фото',
  photoHint: 'Зображення JPEG, PNG, WebP, GIF або AVIF до 5 МБ. Ми обріжемо його до невеликого квадрата й видалимо всі приховані дані, наприклад місце зйомки.',
  photoCurrent: 'Поточне фото збережеться, якщо ви не виберете нове.',
  removePhoto: 'Видалити моє поточне фото',
  photoChooseAgain: 'Браузер не може зберегти вибраний файл під час повторного надсилання форми: якщо хочете додати фото, виберіть його ще раз.',
  consentLabel: 'Я погоджуюся, що {business} може опублікувати цей відгук із підписом, вибраним вище.',
  submit: 'Надіслати відгук',
  saveChanges: 'Зберегти зміни',
  errorSummaryTitle: 'Будь ласка, виправте таке:',
  errors: {
    ratingRequired: 'Виберіть оцінку від 1 до 5 зірок.',
    bodyTooShort: 'Напишіть щонайменше {min} символів.',
    bodyTooLong: 'Відгук має бути не довшим за {max} символів.',
    nameDisplayRequired: 'Виберіть, як підписати відгук.',
    roleTooLong: 'Посада має бути не довшою за {max} символів.',
    companyTooLong: 'Назва компанії має бути не довшою за {max} символів.',
    photoTooLarge: 'Фото більше за 5 МБ. Будь ласка, виберіть менший файл.',
    photoNotAnImage: 'Цей файл не вдається прочитати як зображення. Виберіть фото JPEG, PNG, WebP, GIF або AVIF.',
    photoTooManyPixels: 'У зображенні забагато пікселів (понад 40 мегапікселів). Виберіть менше зображення.',
    consentRequired: 'Позначте згоду на публікацію відгуку.',
  },
  rateLimited: 'Забагато спроб за короткий час. Нічого не збережено. Зачекайте кілька хвилин і надішліть знову.',
  formTooLarge: 'Форма завелика — зазвичай тому, що фото більше за 5 МБ. Нічого не збережено: поверніться назад, виберіть менше фото й надішліть знову.',
  alreadyModerated: 'Ваш відгук уже пройшов модерацію, тому змінити його не можна.',
  serverError: 'На нашому боці щось пішло не так, і нічого не збережено. Спробуйте ще раз.',
  savedTitle: 'Дякуємо! Ваш відгук збережено.',
  savedBody: 'До модерації ви можете змінити його за цим посиланням.',
  editingNotice: 'Ви вже надіслали відгук. До модерації його можна змінити нижче.',
  notFoundTitle: 'Це посилання недійсне',
  notFoundBody: "Перевірте, чи ви відкрили посилання з листа повністю. Якщо воно все одно не працює, зв'яжіться з {business}.",
  expiredTitle: 'Термін дії посилання минув',
  expiredBody: "Посилання для відгуку діють {days} днів. Щоб отримати нове, дайте відповідь на лист із запрошенням або зв'яжіться з {business}: {website}",
  statusTitle: 'Дякуємо за ваш відгук',
  statusApproved: 'Ваш відгук схвалено, і він показаний на нашій сторінці відгуків.',
  statusNotPublished: 'За результатами модерації ваш відгук не буде опубліковано.',
  statusIncentive: 'Як і обіцяли, ви отримаєте {incentive} незалежно від результату.',
};

const lv: ReviewFormStrings = {
  pageTitle: 'Uzrakstiet atsauksmi — {business}',
  heading: 'Kāda bija jūsu pieredze ar {business}?',
  intro: 'Paldies, ka atbildējāt uz mūsu aptauju. Labprāt uzzinātu par jūsu pieredzi — gan labo, gan slikto.',
  incentiveNotice: 'Pateicībā par jūsu laiku jūs saņemsiet {incentive}.',
  honestyNotice: 'To saņemsiet par atsauksmes nosūtīšanu: tas nav atkarīgs ne no jūsu vērtējuma, ne no tā, ko uzrakstīsiet.',
  languageLabel: 'Valoda',
  required: 'obligāti',
  optional: 'nav obligāti',
  ratingLegend: 'Jūsu vērtējums',
  starLabels: ['1 zvaigzne', '2 zvaigznes', '3 zvaigznes', '4 zvaigznes', '5 zvaigznes'],
  bodyLabel: 'Jūsu atsauksme',
  bodyHint: 'No {min} līdz {max} rakstzīmēm. Kas izdevās labi un ko varētu uzlabot?',
  nameDisplayLegend: 'Kā parakstīt jūsu atsauksmi?',
  nameFull: 'Pilns vārds',
  nameFirstInitial: 'Vārds un uzvārda iniciālis',
  nameAnonymous: 'Anonīmi',
  anonymousName: 'Pārbaudīts klients',
  shownAs: 'Paraksts:',
  roleLabel: 'Amats',
  companyLabel: 'Uzņēmums',
  photoLabel: 'Foto',
  photoHint: 'JPEG, PNG, WebP, GIF vai AVIF attēls līdz 5 MB. Mēs to apgriežam mazā kvadrātā un izdzēšam visus slēptos datus, piemēram, uzņemšanas vietu.',
  photoCurrent: 'Pašreizējais foto tiks saglabāts, ja neizvēlēsieties jaunu.',
  removePhoto: 'Dzēst manu pašreizējo foto',
  photoChooseAgain: 'Pārlūks nevar saglabāt izvēlēto failu, kad veidlapa tiek atgriezta: ja vēlaties pievienot foto, lūdzu, izvēlieties to vēlreiz.',
  consentLabel: 'Es piekrītu, ka {business} publicē šo atsauksmi ar iepriekš izvēlēto parakstu.',
  submit: 'Nosūtīt atsauksmi',
  saveChanges: 'Saglabāt izmaiņas',
  errorSummaryTitle: 'Lūdzu, izlabojiet:',
  errors: {
    ratingRequired: 'Izvēlieties vērtējumu no 1 līdz 5 zvaigznēm.',
    bodyTooShort: 'Uzrakstiet vismaz {min} rakstzīmes.',
    bodyTooLong: 'Atsauksmē var būt ne vairāk kā {max} rakstzīmes.',
    nameDisplayRequired: 'Izvēlieties, kā parakstīt atsauksmi.',
    roleTooLong: 'Amatā var būt ne vairāk kā {max} rakstzīmes.',
    companyTooLong: 'Uzņēmuma nosaukumā var būt ne vairāk kā {max} rakstzīmes.',
    photoTooLarge: 'Foto ir lielāks par 5 MB. Lūdzu, izvēlieties mazāku.',
    photoNotAnImage: 'Šo failu nevar nolasīt kā attēlu. Izvēlieties JPEG, PNG, WebP, GIF vai AVIF foto.',
    photoTooManyPixels: 'Attēlā ir pārāk daudz pikseļu (vairāk nekā 40 megapikseļi). Izvēlieties mazāku.',
    consentRequired: 'Atzīmējiet, ka piekrītat atsauksmes publicēšanai.',
  },
  rateLimited: 'Pārāk daudz mēģinājumu īsā laikā. Nekas netika saglabāts. Pagaidiet dažas minūtes un nosūtiet vēlreiz.',
  formTooLarge: 'Veidlapa bija pārāk liela, parasti tāpēc, ka foto ir lielāks par 5 MB. Nekas netika saglabāts: atgriezieties, izvēlieties mazāku foto un nosūtiet vēlreiz.',
  alreadyModerated: 'Jūsu atsauksme jau ir moderēta, tāpēc to vairs nevar mainīt.',
  serverError: 'Mūsu pusē radās kļūda, un nekas netika saglabāts. Lūdzu, mēģiniet vēlreiz.',
  savedTitle: 'Paldies! Jūsu atsauksme ir saglabāta.',
  savedBody: 'Līdz moderēšanai varat to mainīt, izmantojot šo saiti.',
  editingNotice: 'Jūs jau nosūtījāt atsauksmi. Līdz moderēšanai to varat mainīt zemāk.',
  notFoundTitle: 'Šī saite nav derīga',
  notFoundBody: 'Pārbaudiet, vai atvērāt visu saiti no e-pasta. Ja tā joprojām nedarbojas, sazinieties ar {business}.',
  expiredTitle: 'Šīs saites derīguma termiņš ir beidzies',
  expiredBody: 'Atsauksmju saites ir derīgas {days} dienas. Lai saņemtu jaunu, atbildiet uz ielūguma e-pastu vai sazinieties ar {business}: {website}',
  statusTitle: 'Paldies par jūsu atsauksmi',
  statusApproved: 'Jūsu atsauksme ir apstiprināta un redzama mūsu atsauksmju lapā.',
  statusNotPublished: 'Pēc moderēšanas jūsu atsauksme netiks publicēta.',
  statusIncentive: 'Kā solīts, jūs saņemsiet {incentive} neatkarīgi no rezultāta.',
};

const bg: ReviewFormStrings = {
  pageTitle: 'Напишете отзив — {business}',
  heading: 'Какъв беше опитът ви с {business}?',
  intro: 'Благодарим ви, че отговорихте на анкетата ни. Ще се радваме да научим за опита ви — добър или лош.',
  incentiveNotice: 'В знак на благодарност за отделеното време ще получите {incentive}.',
  honestyNotice: 'Получавате я за изпратения отзив: тя не зависи нито от оценката ви, нито от това, което напишете.',
  languageLabel: 'Език',
  required: 'задължително',
  optional: 'по избор',
  ratingLegend: 'Вашата оценка',
  starLabels: ['1 звезда', '2 звезди', '3 звезди', '4 звезди', '5 звезди'],
  bodyLabel: 'Вашият отзив',
  bodyHint: 'Между {min} и {max} знака. Какво беше добре и какво може да се подобри?',
  nameDisplayLegend: 'Как да бъде подписан отзивът ви?',
  nameFull: 'Пълно име',
  nameFirstInitial: 'Име и инициал на фамилията',
  nameAnonymous: 'Анонимно',
  anonymousName: 'Потвърден клиент',
  shownAs: 'Подпис:',
  roleLabel: 'Длъжност',
  companyLabel: 'Фирма',
  photoLabel: 'Снимка',
  photoHint: 'Изображение JPEG, PNG, WebP, GIF или AVIF до 5 MB. Изрязваме го в малък квадрат и премахваме всички скрити данни, например мястото на снимане.',
  photoCurrent: 'Сегашната ви снимка се запазва, освен ако не изберете нова.',
  removePhoto: 'Премахни сегашната ми снимка',
  photoChooseAgain: 'Браузърът не може да запази избрания файл, когато формулярът се върне: ако искате снимка, изберете я отново.',
  consentLabel: 'Давам съгласие {business} да публикува този отзив с подписа, избран по-горе.',
  submit: 'Изпрати отзива',
  saveChanges: 'Запази промените',
  errorSummaryTitle: 'Моля, поправете следното:',
  errors: {
    ratingRequired: 'Изберете оценка от 1 до 5 звезди.',
    bodyTooShort: 'Напишете поне {min} знака.',
    bodyTooLong: 'Отзивът може да е най-много {max} знака.',
    nameDisplayRequired: 'Изберете как да бъде подписан отзивът.',
    roleTooLong: 'Длъжността може да е най-много {max} знака.',
    companyTooLong: 'Името на фирмата може да е най-много {max} знака.',
    photoTooLarge: 'Снимката е по-голяма от 5 MB. Моля, изберете по-малка.',
    photoNotAnImage: 'Този файл не може да бъде прочетен като изображение. Изберете снимка JPEG, PNG, WebP, GIF или AVIF.',
    photoTooManyPixels: 'Изображението има твърде много пиксели (над 40 мегапиксела). Изберете по-малко.',
    consentRequired: 'Отбележете, че сте съгласни отзивът да бъде публикуван.',
  },
  rateLimited: 'Твърде много опити за кратко време. Нищо не е запазено. Изчакайте няколко минути и изпратете отново.',
  formTooLarge: 'Формулярът е твърде голям — обикновено защото снимката е над 5 MB. Нищо не е запазено: върнете се, изберете по-малка снимка и изпратете отново.',
  alreadyModerated: 'Отзивът ви вече е модериран и не може да бъде променян.',
  serverError: 'Нещо се обърка от наша страна и нищо не е запазено. Моля, опитайте отново.',
  savedTitle: 'Благодарим ви! Отзивът ви е запазен.',
  savedBody: 'Можете да го промените чрез тази връзка, докато не бъде модериран.',
  editingNotice: 'Вече сте изпратили отзив. Можете да го промените по-долу, докато не бъде модериран.',
  notFoundTitle: 'Тази връзка не е валидна',
  notFoundBody: 'Проверете дали сте отворили цялата връзка от имейла. Ако все още не работи, свържете се с {business}.',
  expiredTitle: 'Тази връзка е изтекла',
  expiredBody: 'Връзките за отзив са валидни {days} дни. За да получите нова, отговорете на имейла с поканата или се свържете с {business}: {website}',
  statusTitle: 'Благодарим ви за отзива',
  statusApproved: 'Отзивът ви е одобрен и се показва на страницата ни с отзиви.',
  statusNotPublished: 'След модерация отзивът ви няма да бъде публикуван.',
  statusIncentive: 'Както обещахме, ще получите {incentive} независимо от резултата.',
};

const strings: Record<Locale, ReviewFormStrings> = { en, pl, ru, uk, lv, bg };

/** The review form's texts in a locale. */
export function reviewFormStrings(locale: Locale): ReviewFormStrings {
  return strings[locale];
}

/** Replaces each `{name}` in a text with its value. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}
