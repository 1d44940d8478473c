import type { ReviewWallConfig } from '../config-schema.ts';
import type { SurveyKind } from '../listen/survey-kinds.ts';
import type { Locale } from '../locales.ts';
import { surveyStrings } from './survey.ts';

/**
 * The texts that differ between survey kinds: the question, its scale and the scores' wording.
 * `{business}` is the business name, `{subject}` (CSAT) and `{task}` (CES) come from the config,
 * `{score}` is one score.
 */
export interface SurveyQuestionStrings {
  subject: string;
  reminderSubject: string;
  question: string;
  howTo: string;
  /** What the lowest and highest score mean, under the scale. */
  lowLabel: string;
  highLabel: string;
  /** The accessible name of one score link. */
  scoreLabel: string;
  chosen: string;
  recorded: string;
  scaleLabel: string;
}

/** The CSAT and CES texts of one language, the defaults for their blanks, and the out-of-scale page. */
interface SurveyKindStrings {
  csat: SurveyQuestionStrings;
  ces: SurveyQuestionStrings;
  /** Fits "How satisfied were you with {subject}?" in the language's grammar. */
  defaultSubject: string;
  /** Fits "How easy was it to {task}?". */
  defaultTask: string;
  outOfRangeTitle: string;
  /** By {min} and {max}. */
  outOfRangeBody: string;
}

const en: SurveyKindStrings = {
  csat: {
    subject: '{business}: how satisfied were you with {subject}?',
    reminderSubject: 'Reminder: how satisfied were you with {subject}?',
    question: 'How satisfied were you with {subject}?',
    howTo: 'Choose a number from 1 (very unsatisfied) to 5 (very satisfied). A page opens where you confirm your answer.',
    lowLabel: '1 = very unsatisfied',
    highLabel: '5 = very satisfied',
    scoreLabel: '{score} out of 5',
    chosen: 'You chose {score} out of 5.',
    recorded: 'We recorded your answer: {score} out of 5.',
    scaleLabel: 'Scores from 1 (very unsatisfied) to 5 (very satisfied)',
  },
  ces: {
    subject: '{business}: how easy was it to {task}?',
    reminderSubject: 'Reminder: how easy was it to {task}?',
    question: 'How easy was it to {task}?',
    howTo: 'Choose a number from 1 (very difficult) to 7 (very easy). A page opens where you confirm your answer.',
    lowLabel: '1 = very difficult',
    highLabel: '7 = very easy',
    scoreLabel: '{score} out of 7',
    chosen: 'You chose {score} out of 7.',
    recorded: 'We recorded your answer: {score} out of 7.',
    scaleLabel: 'Scores from 1 (very difficult) to 7 (very easy)',
  },
  defaultSubject: 'our support',
  defaultTask: 'get your issue solved',
  outOfRangeTitle: 'This answer is not on the scale',
  outOfRangeBody: 'This question takes a number from {min} to {max}. Nothing was saved: please choose one of the numbers below.',
};

const pl: SurveyKindStrings = {
  csat: {
    subject: '{business}: jak oceniasz swoje zadowolenie z {subject}?',
    reminderSubject: 'Przypomnienie: jak oceniasz swoje zadowolenie z {subject}?',
    question: 'Jak oceniasz swoje zadowolenie z {subject}?',
    howTo: 'Wybierz liczbę od 1 (bardzo niezadowolony/-a) do 5 (bardzo zadowolony/-a). Otworzy się strona, na której potwierdzisz odpowiedź.',
    lowLabel: '1 = bardzo niezadowolony/-a',
    highLabel: '5 = bardzo zadowolony/-a',
    scoreLabel: '{score} na 5',
    chosen: 'Wybrano {score} na 5.',
    recorded: 'Zapisaliśmy Twoją odpowiedź: {score} na 5.',
    scaleLabel: 'Oceny od 1 (bardzo niezadowolony/-a) do 5 (bardzo zadowolony/-a)',
  },
  ces: {
    subject: '{business}: jak łatwo było {task}?',
    reminderSubject: 'Przypomnienie: jak łatwo było {task}?',
    question: 'Jak łatwo było {task}?',
    howTo: 'Wybierz liczbę od 1 (bardzo trudno) do 7 (bardzo łatwo). Otworzy się strona, na której potwierdzisz odpowiedź.',
    lowLabel: '1 = bardzo trudno',
    highLabel: '7 = bardzo łatwo',
    scoreLabel: '{score} na 7',
    chosen: 'Wybrano {score} na 7.',
    recorded: 'Zapisaliśmy Twoją odpowiedź: {score} na 7.',
    scaleLabel: 'Oceny od 1 (bardzo trudno) do 7 (bardzo łatwo)',
  },
  defaultSubject: 'naszej obsługi klienta',
  defaultTask: 'rozwiązać Twój problem',
  outOfRangeTitle: 'Tej odpowiedzi nie ma na skali',
  outOfRangeBody: 'To pytanie przyjmuje liczbę od {min} do {max}. Nic nie zostało zapisane: wybierz jedną z liczb poniżej.',
};

const ru: SurveyKindStrings = {
  csat: {
    subject: '{business}: насколько вы довольны {subject}?',
    reminderSubject: 'Напоминание: насколько вы довольны {subject}?',
    question: 'Насколько вы довольны {subject}?',
    howTo: 'Выберите число от 1 (очень недовольны) до 5 (очень довольны). Откроется страница, где вы подтвердите ответ.',
    lowLabel: '1 = очень недовольны',
    highLabel: '5 = очень довольны',
    scoreLabel: '{score} из 5',
    chosen: 'Вы выбрали {score} из 5.',
    recorded: 'Мы записали ваш ответ: {score} из 5.',
    scaleLabel: 'Оценки от 1 (очень недовольны) до 5 (очень довольны)',
  },
  ces: {
    subject: '{business}: насколько легко было {task}?',
    reminderSubject: 'Напоминание: насколько легко было {task}?',
    question: 'Насколько легко было {task}?',
    howTo: 'Выберите число от 1 (очень трудно) до 7 (очень легко). Откроется страница, где вы подтвердите ответ.',
    lowLabel: '1 = очень трудно',
    highLabel: '7 = очень легко',
    scoreLabel: '{score} из 7',
    chosen: 'Вы выбрали {score} из 7.',
    recorded: 'Мы записали ваш ответ: {score} из 7.',
    scaleLabel: 'Оценки от 1 (очень трудно) до 7 (очень легко)',
  },
  defaultSubject: 'нашей поддержкой',
  defaultTask: 'решить ваш вопрос',
  outOfRangeTitle: 'Такого ответа нет на шкале',
  outOfRangeBody: 'На этот вопрос отвечают числом от {min} до {max}. Ничего не сохранено: выберите одно из чисел ниже.',
};

const uk: SurveyKindStrings = {
  csat: {
    subject: '{business}: наскільки ви задоволені {subject}?',
    reminderSubject: 'Нагадування: наскільки ви задоволені {subject}?',
    question: 'Наскільки ви задоволені {subject}?',
    howTo: 'Оберіть число від 1 (дуже незадоволені) до 5 (дуже задоволені). Відкриється сторінка, де ви підтвердите відповідь.',
    lowLabel: '1 = дуже незадоволені',
    highLabel: '5 = дуже задоволені',
    scoreLabel: '{score} з 5',
    chosen: 'Ви обрали {score} з 5.',
    recorded: 'Ми записали вашу відповідь: {score} з 5.',
    scaleLabel: 'Оцінки від 1 (дуже незадоволені) до 5 (дуже задоволені)',
  },
  ces: {
    subject: '{business}: наскільки легко було {task}?',
    reminderSubject: 'Нагадування: наскільки легко було {task}?',
    question: 'Наскільки легко було {task}?',
    howTo: 'Оберіть число від 1 (дуже важко) до 7 (дуже легко). Відкриється сторінка, де ви підтвердите відповідь.',
    lowLabel: '1 = дуже важко',
    highLabel: '7 = дуже легко',
    scoreLabel: '{score} з 7',
    chosen: 'Ви обрали {score} з 7.',
    recorded: 'Ми записали вашу відповідь: {score} з 7.',
    scaleLabel: 'Оцінки від 1 (дуже важко) до 7 (дуже легко)',
  },
  defaultSubject: 'нашою підтримкою',
  defaultTask: 'розв’язати ваше питання',
  outOfRangeTitle: 'Такої відповіді немає на шкалі',
  outOfRangeBody: 'На це запитання відповідають числом від {min} до {max}. Нічого не збережено: оберіть одне з чисел нижче.',
};

const lv: SurveyKindStrings = {
  csat: {
    subject: '{business}: cik lielā mērā jūs apmierināja {subject}?',
    reminderSubject: 'Atgādinājums: cik lielā mērā jūs apmierināja {subject}?',
    question: 'Cik lielā mērā jūs apmierināja {subject}?',
    howTo: 'Izvēlieties skaitli no 1 (ļoti neapmierināja) līdz 5 (ļoti apmierināja). Atvērsies lapa, kurā apstiprināsiet savu atbildi.',
    lowLabel: '1 = ļoti neapmierināja',
    highLabel: '5 = ļoti apmierināja',
    scoreLabel: '{score} no 5',
    chosen: 'Jūs izvēlējāties {score} no 5.',
    recorded: 'Mēs saglabājām jūsu atbildi: {score} no 5.',
    scaleLabel: 'Vērtējumi no 1 (ļoti neapmierināja) līdz 5 (ļoti apmierināja)',
  },
  ces: {
    subject: '{business}: cik viegli bija {task}?',
    reminderSubject: 'Atgādinājums: cik viegli bija {task}?',
    question: 'Cik viegli bija {task}?',
    howTo: 'Izvēlieties skaitli no 1 (ļoti grūti) līdz 7 (ļoti viegli). Atvērsies lapa, kurā apstiprināsiet savu atbildi.',
    lowLabel: '1 = ļoti grūti',
    highLabel: '7 = ļoti viegli',
    scoreLabel: '{score} no 7',
    chosen: 'Jūs izvēlējāties {score} no 7.',
    recorded: 'Mēs saglabājām jūsu atbildi: {score} no 7.',
    scaleLabel: 'Vērtējumi no 1 (ļoti grūti) līdz 7 (ļoti viegli)',
  },
  defaultSubject: 'mūsu atbalsts',
  defaultTask: 'atrisināt jūsu jautājumu',
  outOfRangeTitle: 'Šīs atbildes nav skalā',
  outOfRangeBody: 'Uz šo jautājumu atbild ar skaitli no {min} līdz {max}. Nekas netika saglabāts: lūdzu, izvēlieties kādu no skaitļiem zemāk.',
};

const bg: SurveyKindStrings = {
  csat: {
    subject: '{business}: доколко сте доволни от {subject}?',
    reminderSubject: 'Напомняне: доколко сте доволни от {subject}?',
    question: 'Доколко сте доволни от {subject}?',
    howTo: 'Изберете число от 1 (много недоволни) до 5 (много доволни). Ще се отвори страница, на която да потвърдите отговора си.',
    lowLabel: '1 = много недоволни',
    highLabel: '5 = много доволни',
    scoreLabel: '{score} от 5',
    chosen: 'Избрахте {score} от 5.',
    recorded: 'Записахме отговора ви: {score} от 5.',
    scaleLabel: 'Оценки от 1 (много недоволни) до 5 (много доволни)',
  },
  ces: {
    subject: '{business}: колко лесно беше да {task}?',
    reminderSubject: 'Напомняне: колко лесно беше да {task}?',
    question: 'Колко лесно беше да {task}?',
    howTo: 'Изберете число от 1 (много трудно) до 7 (много лесно). Ще се отвори страница, на която да потвърдите отговора си.',
    lowLabel: '1 = много трудно',
    highLabel: '7 = много лесно',
    scoreLabel: '{score} от 7',
    chosen: 'Избрахте {score} от 7.',
    recorded: 'Записахме отговора ви: {score} от 7.',
    scaleLabel: 'Оценки от 1 (много трудно) до 7 (много лесно)',
  },
  defaultSubject: 'нашата поддръжка',
  defaultTask: 'решите проблема си',
  outOfRangeTitle: 'Този отговор не е в скалата',
  outOfRangeBody: 'На този въпрос се отговаря с число от {min} до {max}. Нищо не е запазено: изберете едно от числата по-долу.',
};

const strings: Record<Locale, SurveyKindStrings> = { en, pl, ru, uk, lv, bg };

/** The question texts of one survey kind in one language (NPS's come from survey.ts). */
export function surveyQuestionStrings(locale: Locale, kind: SurveyKind): SurveyQuestionStrings {
  if (kind !== 'nps') return strings[locale][kind];
  const { email, page } = surveyStrings(locale);
  return {
    subject: email.subject,
    reminderSubject: email.reminderSubject,
    question: email.question,
    howTo: email.howTo,
    lowLabel: email.lowLabel,
    highLabel: email.highLabel,
    scoreLabel: email.scoreLabel,
    chosen: page.chosen,
    recorded: page.recorded,
    scaleLabel: page.scaleLabel,
  };
}

/** The built-in CSAT subject and CES task of a language, used where the config gives none. */
export function defaultQuestionBlanks(locale: Locale): { subject: string; task: string } {
  return { subject: strings[locale].defaultSubject, task: strings[locale].defaultTask };
}

/** The page for a score outside the survey's scale (a 9 on a CSAT link). */
export function outOfRangeStrings(locale: Locale): { title: string; body: string } {
  return { title: strings[locale].outOfRangeTitle, body: strings[locale].outOfRangeBody };
}

/** The values a survey question is filled with in one language: the business, and the configured CSAT subject and CES task. */
export function surveyQuestionValues(config: ReviewWallConfig, locale: Locale): { business: string; subject: string; task: string } {
  const defaults = defaultQuestionBlanks(locale);
  const subject = config.surveys.csat.subject;
  const task = config.surveys.ces.task;
  return {
    business: config.business.name,
    subject: subject?.translations[locale] ?? subject?.text ?? defaults.subject,
    task: task?.translations[locale] ?? task?.text ?? defaults.task,
  };
}
