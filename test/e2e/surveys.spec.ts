import { expect, test, type Page } from '@playwright/test';
import { openDatabase, type Database } from '../../db/client.ts';
import { signWebhookBody } from '../../src/lib/server/listen/nps-webhook.ts';
import { runScript, startApp, type RunningApp } from '../helpers/app.ts';
import { outboxMessages, surveyLinksIn } from '../helpers/surveys.ts';

// The survey loop in a real browser with JavaScript off: a resolved ticket, the survey email, the
// answer, the review, and what the marketer sees. The server runs its own tick every minute too.
test.use({ javaScriptEnabled: false });

const secret = 'e2e-events-secret-0123456789abcdef01234';
let app: RunningApp;
let db: Database;
test.beforeAll(async () => {
  app = await startApp({ env: { EVENTS_WEBHOOK_SECRET: secret } });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
});
test.afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

const query = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));

async function signIn(page: Page, next: string) {
  await page.goto(`${app.url}${next}`);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-email')).toHaveText(app.adminEmail!);
}

test('a resolved ticket leads to a survey, a 9, a review and the current round on the dashboard', async ({ page }) => {
  const email = 'ticket.customer@example.com';
  const body = JSON.stringify({ email, name: 'Tomasz Wiśniewski', locale: 'en', ticket_id: 'HD-1001', resolved_at: new Date().toISOString() });
  const timestamp = Math.floor(Date.now() / 1000);
  const scheduled = await fetch(`${app.url}/api/events/ticket-resolved`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Review-Wall-Timestamp': String(timestamp), 'X-Review-Wall-Signature': signWebhookBody(secret, timestamp, body) },
    body,
  });
  expect(scheduled.status).toBe(202);
  const [job] = await query("select id, due_at from scheduled_jobs where key = 'survey-after-ticket:HD-1001'");
  expect(Number(job!.due_at) - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);

  // Time control: instead of waiting 24 hours, the job's due time is moved to a moment ago.
  await query('update scheduled_jobs set due_at = ? where id = ?', [Date.now() - 1000, Number(job!.id)]);
  const tick = await runScript('tick', [], app.env);
  expect(tick.code, tick.stderr).toBe(0);
  // The server's own tick may have got there first: either way, one survey email in the outbox.
  await expect.poll(() => outboxMessages(app.env.OUTBOX_DIR!).filter((message) => message.headers.get('to') === email).length).toBe(1);
  const [survey] = outboxMessages(app.env.OUTBOX_DIR!).filter((message) => message.headers.get('to') === email);
  expect(survey!.subject).toBe('How likely are you to recommend Acme Support Desk?');
  const nine = surveyLinksIn(survey!.text).find((link) => link.score === 9)!;

  // The "9" link (with SITE_URL's origin, as in the email) opens the confirm page; nothing is recorded yet.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(nine.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How likely are you to recommend Acme Support Desk to a friend or colleague?');
  await expect(page.getByText('You chose 9 out of 10.')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await query("select count(*) as n from nps_responses r join contacts c on c.id = r.contact_id where c.email = ?", [email])).toEqual([{ n: 0 }]);

  await page.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByTestId('recorded-score')).toHaveText('We recorded your answer: 9 out of 10.');
  expect(await query("select r.score, r.source from nps_responses r join contacts c on c.id = r.contact_id where c.email = ?", [email])).toEqual([{ score: 9, source: 'email' }]);

  // The review form follows, with the same rules as an invitation's link.
  await page.getByRole('button', { name: 'Write your review' }).click();
  await expect(page).toHaveURL(/\/r\/[a-z2-7]{32}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How was your experience with Acme Support Desk?');
  await page.getByRole('radio', { name: '5 stars' }).check();
  await page.getByLabel('Your review').fill('The ticket was solved the same afternoon, and the follow-up was clear.');
  await page.getByLabel(/I agree that Acme Support Desk may publish/).check();
  await page.getByRole('button', { name: 'Send review' }).click();
  await expect(page.getByRole('status')).toContainText('Thank you');
  expect(await query("select rv.rating from reviews rv join contacts c on c.id = rv.contact_id where c.email = ?", [email])).toEqual([{ rating: 5 }]);

  // The marketer sees the 9 in the current round.
  await signIn(page, '/admin/dashboard/');
  const current = page.locator('[data-testid="nps-rounds"] tr[data-current="true"]');
  await expect(current.locator('th')).toHaveText('1 (current)');
  const cells = current.locator('td');
  // Started, Sent, Answers, Response rate, Promoters, Passives, Detractors, NPS.
  await expect(cells).toHaveText([/^\d{4}-\d{2}-\d{2}$/, '1', '1', '100.0 %', '1', '0', '0', '100.0']);
});

test('a marketer sees who would get the survey, sends it from the admin and follows the progress', async ({ page }) => {
  await signIn(page, '/admin/surveys/');
  const eligible = Number(await page.getByTestId('survey-eligible').locator('strong').textContent());
  expect(eligible).toBeGreaterThan(5);
  // The list shows them before anything is sent; the customer surveyed after the ticket is not among them.
  await expect(page.getByTestId('survey-preview').locator('tbody tr')).toHaveCount(eligible);
  await expect(page.getByTestId('survey-preview')).not.toContainText('ticket.customer@example.com');
  const before = outboxMessages(app.env.OUTBOX_DIR!).length;

  await page.getByLabel('At most (leave empty for everyone)').fill('5');
  await page.getByRole('button', { name: 'Send survey' }).click();
  await expect(page).toHaveURL(/\/admin\/surveys\/\?campaign=\d+$/);
  // The page refreshes itself (no JavaScript) until the campaign is done; a reload changes nothing.
  await expect(page.getByTestId('campaign-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('campaign-counts')).toHaveText('5 of 5 sent');
  await page.reload();
  await expect(page.getByTestId('campaign-counts')).toHaveText('5 of 5 sent');
  expect(outboxMessages(app.env.OUTBOX_DIR!).length - before).toBe(5);
  await expect(page.getByTestId('survey-eligible').locator('strong')).toHaveText(String(eligible - 5));

  // What ran shows on the Scheduled page, with the reminders waiting.
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Scheduled' }).click();
  await expect(page.getByTestId('pending-by-kind')).toContainText('survey reminder: 6');
  await expect(page.getByTestId('done-jobs')).toContainText('survey campaign (admin)');
});
