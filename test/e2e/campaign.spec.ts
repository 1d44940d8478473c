import { expect, test, type Page } from '@playwright/test';
import { openDatabase, type Database } from '../../db/client.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { writeConfigVariant } from '../helpers/config.ts';
import { outboxMessages } from '../helpers/surveys.ts';

// A marketer's week from the admin alone, in a real browser with JavaScript off: import a CSV,
// invite, and thank. Emails land as .eml files in the outbox; the server's own tick sends them.
test.use({ javaScriptEnabled: false });

// The business words the Polish thank-you its own way (review-wall.config.ts `emails`).
const ownSubject = '{business} dziękuje za opinię!';
const ownBody = '{greeting}\n\nDzięki, że poświęcasz nam czas. Oto {incentive}.';

let app: RunningApp;
let db: Database;
let directory: string;
test.beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'review-wall-config-'));
  const configFile = writeConfigVariant(directory, (config) => ({ ...config, emails: { incentive: { pl: { subject: ownSubject, body: ownBody } } } }));
  app = await startApp({ env: { REVIEW_WALL_CONFIG: configFile } });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
});
test.afterAll(async () => {
  db?.$client.close();
  await app?.stop();
  rmSync(directory, { recursive: true, force: true });
});

const query = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
const mailTo = (address: string) => outboxMessages(app.env.OUTBOX_DIR!).filter((message) => message.headers.get('to') === address);

async function signIn(page: Page, next: string) {
  await page.goto(`${app.url}${next}`);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-email')).toHaveText(app.adminEmail!);
}

const csv = [
  'email,name,locale,score,comment',
  'week.ana@example.com,Ana Kowalska,pl,10,Fast answers',
  'week.ben@example.com,Ben Ortiz,en,9,',
  'week.dana@example.com,Dana Lee,en,4,Slow',
  'week.bad@example.com,Bad Row,en,11,',
].join('\n');
const file = { name: 'this-week.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

test('a marketer runs import → invite → incentives from the admin alone', async ({ page }) => {
  await signIn(page, '/admin/campaign/');

  // 1. Check the file: the same counts and row messages as npm run import, nothing written.
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Check file' }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toHaveAttribute('data-dry-run', 'true');
  await expect(report).toContainText('Dry run, nothing written: would add 3 answers and 3 new customers. Rows: 4, added: 3, duplicates: 0, rejected: 1.');
  await expect(page.getByTestId('import-rejected')).toContainText('this-week.csv:5:');
  expect(await query("select count(*) as n from contacts where email like 'week.%'")).toEqual([{ n: 0 }]);

  // Import it; importing it again adds nothing twice.
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-report')).toContainText('Added 3 answers and 3 new customers.');
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-report')).toContainText('Added 0 answers and 0 new customers. Rows: 4, added: 0, duplicates: 3, rejected: 1.');

  // 2. The preview says who, how many and which audience, before anything is sent.
  const preview = page.getByTestId('invite-preview');
  await expect(page.getByTestId('invite-preview-count')).toContainText('promoters (latest answer 9 or 10)');
  await expect(preview).toContainText('week.ana@example.com');
  await expect(preview).toContainText('week.ben@example.com');
  await expect(preview).not.toContainText('week.dana@example.com');
  const count = Number(await page.getByTestId('invite-preview-count').locator('strong').textContent());
  await expect(preview.locator('tbody tr')).toHaveCount(count);
  expect(mailTo('week.ana@example.com')).toHaveLength(0);

  await page.getByRole('button', { name: `Send ${count} invitation` }).click();
  await expect(page).toHaveURL(/\/admin\/campaign\/\?campaign=\d+/);
  // The page refreshes itself (no JavaScript) until the campaign is done; a reload changes nothing.
  await expect(page.getByTestId('invite-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('invite-counts')).toHaveText(`${count} of ${count} sent`);
  await page.reload();
  await expect(page.getByTestId('invite-counts')).toHaveText(`${count} of ${count} sent`);
  await expect(page.getByTestId('invite-preview-count').locator('strong')).toHaveText('0');
  const [invitation] = mailTo('week.ana@example.com');
  expect(mailTo('week.ana@example.com')).toHaveLength(1);
  expect(mailTo('week.ben@example.com')).toHaveLength(1);
  expect(mailTo('week.dana@example.com')).toHaveLength(0);

  // The customer writes the review from the link in the email.
  const link = /https?:\/\/\S+\/r\/[a-z2-7]{32}/.exec(invitation!.text)![0];
  const customer = await page.context().browser()!.newPage({ javaScriptEnabled: false });
  await customer.goto(link);
  await customer.getByRole('radio', { name: '5 gwiazdek' }).check();
  await customer.getByLabel('Twoja opinia').fill('Szybkie odpowiedzi i jasne wyjaśnienia, polecam.');
  await customer.getByLabel(/Zgadzam się na opublikowanie/).check();
  await customer.getByRole('button', { name: 'Wyślij opinię' }).click();
  await expect(customer.getByRole('status')).toBeVisible();
  await customer.close();

  // 3. The incentive that is now due goes out once, in the background.
  await page.goto(`${app.url}/admin/campaign/`);
  const owed = Number(await page.getByTestId('incentives-owed').locator('strong').textContent());
  expect(owed).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: /^Send \d+ incentives?$/ }).click();
  await expect(page).toHaveURL(/\/admin\/campaign\/\?incentives=\d+/);
  await expect(page.getByTestId('incentive-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('incentive-outcome')).toHaveText(`${owed} of ${owed} sent`);
  await page.reload();
  await expect(page.getByTestId('incentives-owed').locator('strong')).toHaveText('0');
  const thanks = mailTo('week.ana@example.com').filter((message) => message.subject !== invitation!.subject);
  expect(thanks).toHaveLength(1);
  expect(thanks[0]!.file).toMatch(/\.eml$/);
  // In Polish, with the business's own words, and still the line saying it did not depend on the review.
  expect(thanks[0]!.subject).toBe('Acme Support Desk dziękuje za opinię!');
  expect(thanks[0]!.text).toContain('Dzięki, że poświęcasz nam czas.');
  expect(thanks[0]!.text).toContain('Nie zależało ono od Twojej oceny');
});

test('the admin previews each email per locale, with the business’s own wording where it has some', async ({ page }) => {
  await signIn(page, '/admin/emails/');
  await page.getByRole('link', { name: 'Incentive (thank-you), Polski' }).click();
  await expect(page.getByTestId('email-preview')).toHaveAttribute('data-locale', 'pl');
  await expect(page.getByTestId('email-subject')).toHaveText('Acme Support Desk dziękuje za opinię!');
  await expect(page.getByTestId('email-text')).toContainText('Dzięki, że poświęcasz nam czas.');
  await page.getByRole('link', { name: 'Incentive (thank-you), English' }).click();
  await expect(page.getByTestId('email-subject')).toHaveText('Thank you for your review — Acme Support Desk');
  await page.getByRole('link', { name: 'NPS survey, Українська' }).click();
  await expect(page.getByTestId('email-text')).toContainText('/s/exampleexampleexampleexample2345/10');
});
