import { describe, expect, it } from 'vitest';
import {
  mayShowPostedForm,
  reviewBodyHint,
  reviewFormErrorText,
  reviewFormPage,
  type ReviewFormFailure,
  type ReviewFormPageInput,
} from '../../../src/lib/collect/review-form-page.ts';
import type { OwnReview } from '../../../src/lib/collect/review-link.ts';
import type { Locale } from '../../../src/lib/locales.ts';

const pendingReview: OwnReview = {
  id: 4,
  rating: 4,
  body: 'Quick answers and a friendly team.',
  nameDisplay: 'full',
  role: 'Owner',
  company: null,
  photoPath: 'ab/cd.webp',
  locale: 'lv',
  status: 'pending',
};

const openLink = { state: 'open' as const, locale: 'pl', contactName: 'Jan Nowak', review: null };
const editableLink = { state: 'editable' as const, locale: 'pl', contactName: 'Jan Nowak', review: pendingReview };

/** The page's decision for a request: by default a GET of an open Polish link on a site that speaks every language but Russian. */
function decide(overrides: Partial<ReviewFormPageInput> = {}) {
  return reviewFormPage({
    link: openLink,
    failure: null,
    posted: null,
    query: new URLSearchParams(),
    acceptLanguage: null,
    locales: { enabled: ['en', 'pl', 'uk', 'lv', 'bg'], default: 'en' },
    ...overrides,
  });
}

function formOf(page: ReturnType<typeof decide>) {
  if (page.kind !== 'form') throw new Error(`expected the form, got ${page.kind}`);
  return page;
}

const failure = (code: string, status: number, message = code, fields?: ReviewFormFailure['fields']): ReviewFormFailure => ({ code, status, message, fields });

function postedForm(fields: Record<string, string | File>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

describe('which page a link shows', () => {
  it.each([
    ['a token we never issued', { link: null }, 'not-found', 404],
    ['a link whose request is gone by the time the form is posted', { failure: failure('NOT_FOUND', 404) }, 'not-found', 404],
    ['an expired link', { link: { ...openLink, state: 'expired' as const } }, 'expired', 410],
    ['a link that expired while the form was open', { failure: failure('GONE', 410) }, 'expired', 410],
    ['a moderated review, even once the link has expired', { link: { ...editableLink, state: 'moderated' as const, review: { ...pendingReview, status: 'rejected' } } }, 'status', 200],
    ['an open link', {}, 'form', 200],
    ['a pending review', { link: editableLink }, 'form', 200],
  ] as const)('%s: %s, %i', (_what, overrides, kind, status) => {
    const page = decide(overrides);
    expect(page.kind).toBe(kind);
    expect(page.status).toBe(status);
  });

  it('shows a moderated review’s outcome', () => {
    const approved = { ...pendingReview, status: 'approved' };
    expect(decide({ link: { ...editableLink, state: 'moderated', review: approved } })).toMatchObject({ kind: 'status', review: approved });
  });
});

describe('the language of the page', () => {
  it.each<[string, Partial<ReviewFormPageInput>, Locale]>([
    ['the language chosen in the switcher first', { query: new URLSearchParams('lang=uk'), link: editableLink }, 'uk'],
    ['then the language of the form just posted', { posted: postedForm({ lang: 'bg' }), failure: failure('BAD_REQUEST', 400, 'x', {}), link: editableLink }, 'bg'],
    ['then the language the review was written in', { link: editableLink }, 'lv'],
    ['then the language of the invitation', {}, 'pl'],
    ['a language the site does not speak is passed over', { query: new URLSearchParams('lang=ru') }, 'pl'],
    ['for a link that is not valid, the browser’s', { link: null, acceptLanguage: 'de, uk;q=0.8, en;q=0.5' }, 'uk'],
    ['else the site’s default', { link: null, acceptLanguage: 'de' }, 'en'],
  ])('%s', (_what, overrides, locale) => {
    expect(decide(overrides).locale).toBe(locale);
  });
});

describe('the form', () => {
  it('starts empty for a first review, and full for a pending one', () => {
    expect(formOf(decide()).form).toMatchObject({
      review: null,
      contactName: 'Jan Nowak',
      values: { rating: null, body: '', nameDisplay: 'first_initial', role: '', company: '', consent: false, removePhoto: false },
      fieldErrors: {},
      message: null,
      saved: false,
      choseFile: false,
    });
    expect(formOf(decide({ link: editableLink })).form.values).toEqual({
      rating: 4,
      body: 'Quick answers and a friendly team.',
      nameDisplay: 'full',
      role: 'Owner',
      company: '',
      consent: true,
      removePhoto: false,
    });
  });

  it('thanks the reviewer after a save, and only when there is a saved review', () => {
    expect(formOf(decide({ link: editableLink, query: new URLSearchParams('saved=1') })).form.saved).toBe(true);
    expect(formOf(decide({ query: new URLSearchParams('saved=1') })).form.saved).toBe(false);
  });

  it('shows back what was posted after refused input, marking each field with its own error in the field order', () => {
    const posted = postedForm({
      rating: '9',
      body: 'Too short',
      nameDisplay: 'nickname',
      role: 'r'.repeat(1000),
      company: 'Acme',
      consent: 'on',
      photo: new File([new Uint8Array([1, 2, 3])], 'me.jpg', { type: 'image/jpeg' }),
    });
    const page = formOf(
      decide({
        link: editableLink,
        posted,
        failure: failure('BAD_REQUEST', 400, 'invalid', {
          consent: ['consentRequired'],
          body: ['bodyTooShort'],
          nameDisplay: ['Invalid option: expected one of "full"|"first_initial"|"anonymous"'],
          photo: ['Input not instance of File'],
          token: ['too long'],
        }),
      }),
    );
    expect(page.status).toBe(400);
    expect(Object.entries(page.form.fieldErrors)).toEqual([
      ['body', 'bodyTooShort'],
      ['nameDisplay', 'ratingRequired'],
      ['photo', 'photoNotAnImage'],
      ['consent', 'consentRequired'],
    ]);
    expect(page.form.values).toEqual({ rating: 9, body: 'Too short', nameDisplay: null, role: 'r'.repeat(400), company: 'Acme', consent: true, removePhoto: false });
    expect(page.form.choseFile).toBe(true);
    expect(page.form.saved).toBe(false);
  });

  it('marks the photo when it was refused for its content', () => {
    const page = formOf(decide({ failure: failure('UNPROCESSABLE_CONTENT', 422, 'photoTooManyPixels') }));
    expect(page.status).toBe(422);
    expect(page.form.fieldErrors).toEqual({ photo: 'photoTooManyPixels' });
  });

  it.each([
    ['TOO_MANY_REQUESTS', 429, 'rateLimited', 429],
    ['CONTENT_TOO_LARGE', 413, 'formTooLarge', 413],
    ['CONFLICT', 409, 'alreadyModerated', 409],
    ['INTERNAL_SERVER_ERROR', 500, 'serverError', 500],
    ['UNKNOWN', 200, 'serverError', 500],
  ] as const)('answers %s with one message for the whole form (%i → %s, %i)', (code, errorStatus, message, status) => {
    const page = formOf(decide({ failure: failure(code, errorStatus, 'Something broke'), retryAfterSeconds: 90 }));
    expect(page.form.message).toBe(message);
    expect(page.status).toBe(status);
    expect(page.retryAfterSeconds).toBe(code === 'TOO_MANY_REQUESTS' ? 90 : undefined);
  });
});

describe('reading a failed post back', () => {
  it('never reads a body refused for its size or turned away unread', () => {
    expect(mayShowPostedForm(null, false)).toBe(false);
    expect(mayShowPostedForm(failure('BAD_REQUEST', 400), false)).toBe(true);
    expect(mayShowPostedForm(failure('CONTENT_TOO_LARGE', 413), false)).toBe(false);
    expect(mayShowPostedForm(failure('TOO_MANY_REQUESTS', 429), true)).toBe(false);
  });
});

describe('field error texts', () => {
  it('name the limit each field has, in the form’s language', () => {
    expect(reviewFormErrorText('en', 'bodyTooShort')).toBe('Write at least 20 characters.');
    expect(reviewFormErrorText('en', 'bodyTooLong')).toBe('Keep the review to 2000 characters or fewer.');
    expect(reviewFormErrorText('en', 'roleTooLong')).toBe('Keep the role to 80 characters or fewer.');
    expect(reviewFormErrorText('en', 'companyTooLong')).toBe('Keep the company name to 100 characters or fewer.');
    expect(reviewFormErrorText('pl', 'bodyTooShort')).toBe('Napisz co najmniej 20 znaków.');
    expect(reviewFormErrorText('ru', 'bodyTooLong')).toBe('Отзыв должен быть не длиннее 2000 символов.');
    expect(reviewBodyHint('lv')).toBe('No 20 līdz 2000 rakstzīmēm. Kas izdevās labi un ko varētu uzlabot?');
  });
});
