import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import { runScript, startApp, type RunningApp } from '../helpers/app.ts';
import { createReviewLink } from '../helpers/review-links.ts';

// A marketer moderates the demo data (3 pending, 5 approved reviews) with JavaScript off.
test.use({ javaScriptEnabled: false });

let app: RunningApp;
let db: Database;
let phoneReviewId: number;
const phone = '+48 601 234 567';
test.beforeAll(async () => {
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  // A fresh pending review with a phone number in it, as a customer might write.
  const link = await createReviewLink(db, { name: 'Jan Nowak', locale: 'pl' });
  const [review] = await db
    .insert(reviews)
    .values({
      requestId: link.requestId,
      contactId: link.contactId,
      rating: 4,
      body: `Świetna obsługa, szybka odpowiedź. Zadzwońcie do mnie: ${phone}, chętnie opowiem więcej.`,
      nameDisplay: 'first_initial',
      locale: 'pl',
      consentAt: new Date(),
    })
    .returning({ id: reviews.id });
  phoneReviewId = review!.id;
});
test.afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

const adminPages = ['/admin/', '/admin/dashboard/', '/admin/publish/', '/admin/incentives/', '/admin/no-such-page/'];

async function openAudit(page: Page, reviewId: number) {
  const article = page.locator(`#review-${reviewId}`);
  await article.locator('details.audit summary').click();
  return article.locator('details.audit');
}

test('a marketer signs in, approves, rejects with a reason, redacts a phone number, sees the audit log, and signs out', async ({ page }) => {
  await page.goto(`${app.url}/admin/`);
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=%2Fadmin%2F$/);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${app.url}/admin/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderation queue');
  await expect(page.getByTestId('signed-in-email')).toHaveText(app.adminEmail!);
  // Pending first: the four pending reviews lead the queue.
  const statuses = await page.locator('article.review .badge.pending, article.review .badge.approved').allTextContents();
  expect(statuses.slice(0, 4)).toEqual(['Pending', 'Pending', 'Pending', 'Pending']);

  // Approve the demo review by Sofia Rossi.
  const byText = (text: string) => page.locator('article.review').filter({ has: page.locator('blockquote', { hasText: text }) });
  const sofia = byText('Support fixed my issue in minutes');
  const sofiaId = Number(await sofia.getAttribute('data-review-id'));
  await sofia.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.locator('#queue-notice')).toHaveText(`Review ${sofiaId} approved.`);
  await expect(page.locator(`#review-${sofiaId} .badge.approved`)).toHaveText('Approved');
  await expect(await openAudit(page, sofiaId)).toContainText(`Approved by ${app.adminEmail}`);

  // Reject the Bulgarian pending review as off-topic.
  const bulgarian = byText('Екипът е любезен');
  const bulgarianId = Number(await bulgarian.getAttribute('data-review-id'));
  await bulgarian.getByLabel(`Rejection reason for review ${bulgarianId}`).selectOption('off_topic');
  await bulgarian.getByRole('button', { name: 'Reject' }).click();
  await expect(page.locator('#queue-notice')).toHaveText(`Review ${bulgarianId} rejected.`);
  await expect(page.locator(`#review-${bulgarianId} .badge.rejected`)).toHaveText('Rejected');
  await expect(page.locator(`#review-${bulgarianId}`)).toContainText('Rejected for');
  await expect(await openAudit(page, bulgarianId)).toContainText(`Rejected by ${app.adminEmail}: Off-topic`);

  // Remove the phone number from the new review; nothing else of the text changes.
  const withPhone = page.locator(`#review-${phoneReviewId}`);
  await expect(withPhone.locator('blockquote')).toContainText(phone);
  await withPhone.getByLabel(/Remove personal data/).fill(phone);
  await withPhone.getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('#queue-notice')).toHaveText(`Personal data removed from review ${phoneReviewId}.`);
  await expect(page.locator(`#review-${phoneReviewId} blockquote`)).toHaveText(
    'Świetna obsługa, szybka odpowiedź. Zadzwońcie do mnie: […], chętnie opowiem więcej.',
  );
  await expect(page.locator(`#review-${phoneReviewId}`)).toContainText('[edited to remove personal data]');
  const audit = await openAudit(page, phoneReviewId);
  await expect(audit).toContainText(`Removed personal data by ${app.adminEmail}`);
  await expect(audit).not.toContainText('601');

  await withPhone.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.locator('#queue-notice')).toHaveText(`Review ${phoneReviewId} approved.`);

  // The reply link opens the mail client with the customer's address and a Polish subject.
  const reply = page.locator(`#review-${phoneReviewId} a.reply`).first();
  const href = (await reply.getAttribute('href'))!;
  expect(href).toMatch(/^mailto:reviewer-[^?]+@example\.test\?subject=/);
  expect(new URL(href).searchParams.get('subject')).toBe('Re: Twoja opinia o Acme Helpdesk');

  // Signing out ends access.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in\?signed-out=1$/);
  await expect(page.getByRole('status')).toHaveText('You are signed out.');
  await page.goto(`${app.url}/admin/`);
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=/);
  await expect(page.getByText('Moderation queue')).toHaveCount(0);
});

test('once published, the redacted review shows the removal note and not the phone number', async ({ page }) => {
  const published = await runScript('publish', [], app.env);
  expect(published.code, published.stderr).toBe(0);
  const [review] = await db.select({ publicId: reviews.publicId }).from(reviews).where(eq(reviews.id, phoneReviewId));
  await page.goto(`${app.url}/testimonials/${review!.publicId}/`);
  await expect(page.locator('body')).toContainText('Zadzwońcie do mnie: […], chętnie opowiem więcej.');
  await expect(page.locator('body')).toContainText('[edited to remove personal data]');
  expect(await page.content()).not.toContain('601 234');
});

test('a browser without a session is sent to sign-in from every admin page', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const path of adminPages) {
    await page.goto(`${app.url}${path}`);
    const url = new URL(page.url());
    expect(url.pathname, path).toBe('/admin/sign-in');
    expect(url.searchParams.get('next'), path).toBe(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  }
  await context.close();
});

test('an edit the author makes after the moderator loaded the queue is not approved unread', async ({ page, browser }) => {
  const link = await createReviewLink(db, { name: 'Ірина Коваленко', locale: 'uk' });
  const author = await browser.newPage({ javaScriptEnabled: false });
  const first = 'Підтримка відповіла швидко, все працює.';
  const edited = 'Передумала: насправді чекала відповіді тиждень.';
  try {
    await author.goto(`${app.url}/r/${link.token}`);
    await author.getByRole('radio', { name: '4 зірки' }).check();
    await author.getByLabel('Ваш відгук').fill(first);
    await author.getByLabel(/Я даю згоду/).check();
    await author.getByRole('button', { name: 'Надіслати відгук' }).click();
    await expect(author.getByRole('status')).toContainText('Дякуємо! Ваш відгук збережено.');

    await page.goto(`${app.url}/admin/?status=pending`);
    await page.getByLabel('Email').fill(app.adminEmail!);
    await page.getByLabel('Password').fill(app.adminPassword!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${app.url}/admin/?status=pending`);
    const review = page.locator('article.review').filter({ has: page.locator('blockquote', { hasText: first }) });
    const reviewId = Number(await review.getAttribute('data-review-id'));

    // While the moderator reads the first text, the author rewrites it through their link.
    await author.getByLabel('Ваш відгук').fill(edited);
    if (!(await author.getByLabel(/Я даю згоду/).isChecked())) await author.getByLabel(/Я даю згоду/).check();
    await author.getByRole('button', { name: 'Зберегти зміни' }).click();
    await expect(author.getByRole('status')).toContainText('Дякуємо! Ваш відгук збережено.');

    await review.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(page.locator('#queue-notice')).toHaveText(`Review ${reviewId} has changed since you loaded the page — please read it again.`);
    await expect(page.locator(`#review-${reviewId} .badge.pending`)).toHaveText('Pending');
    await expect(page.locator(`#review-${reviewId} blockquote`)).toHaveText(edited);
    const [stored] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
    expect(stored).toMatchObject({ status: 'pending', body: edited });

    // Having read the new text, the moderator can approve it.
    await page.locator(`#review-${reviewId}`).getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(page.locator('#queue-notice')).toHaveText(`Review ${reviewId} approved.`);
  } finally {
    await author.close();
  }
});
