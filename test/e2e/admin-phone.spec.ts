import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client.ts';
import { contacts, incentives, reviews } from '../../db/schema.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { createReviewLink } from '../helpers/review-links.ts';
import { createSurveyLink } from '../helpers/surveys.ts';

// A marketer moderating from a phone (390 × 844 CSS pixels, an iPhone 12 to 15): no admin page
// may scroll sideways. Wide data may scroll inside its own box (a table), never the page itself.
const phone = { width: 390, height: 844 };

// The longest things a page may have to fit: a long address, a long name, an unbroken word and a
// URL in a review, a failed incentive with a long reason.
const longEmail = `maximiliane.theodora.von-hohenzollern-sigmaringen@kundenservice.${'internationale-handelsgesellschaft'}.example`;
const longName = 'Maximiliane Theodora von Hohenzollern-Sigmaringen';

let app: RunningApp;
let db: Database;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  const link = await createReviewLink(db, { name: longName, locale: 'en' });
  await db.update(contacts).set({ email: longEmail }).where(eq(contacts.id, link.contactId));
  await db.insert(reviews).values({
    requestId: link.requestId,
    contactId: link.contactId,
    rating: 3,
    body: `Support was fine. ${'Supercalifragilisticexpialidocious'.repeat(3)} https://example.com/a/very/long/path/that/never/breaks/${'x'.repeat(60)}`,
    nameDisplay: 'full',
    role: 'Head of Customer Experience and Operational Excellence',
    company: 'Hohenzollern-Sigmaringen Internationale Handelsgesellschaft mbH',
    locale: 'en',
    consentAt: new Date(),
  });
  const [first] = await db.select().from(incentives).limit(1);
  await db
    .update(incentives)
    .set({ state: 'failed', attempts: 5, lastError: `Resend refused the batch (HTTP 422): ${'invalid_recipient_address_'.repeat(6)}` })
    .where(eq(incentives.id, first!.id));
  // A survey already sent (a done job with a long key) to someone else with a long name.
  await createSurveyLink(db, { name: `${longName} the Younger`, locale: 'de' });
});
test.afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

/** The page's width, and everything that sticks out past the right edge of the screen outside a box that clips or scrolls it. */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true;
      }
      return false;
    };
    const offenders: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 && !clipped(element)) {
        const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.classList.length ? `.${[...element.classList].join('.')}` : ''}`;
        offenders.push(`${name} ends at ${Math.round(box.right)} px`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 8) };
  });
}

// Widths do not depend on the colour scheme, and accessibility.spec.ts checks both schemes at full
// width: one run, in light mode, keeps this test short enough for a busy machine.
test('every admin page fits a phone screen', async ({ browser }) => {
  test.setTimeout(480_000);
  const context = await browser.newContext({ viewport: phone, colorScheme: 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  const check = async (what: string) => {
    const { scrollWidth, clientWidth, offenders } = await sidewaysOverflow(page);
    expect(clientWidth).toBe(phone.width);
    if (scrollWidth > clientWidth) problems.push(`${what}: the page is ${scrollWidth} px wide (${offenders.join('; ')})`);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    for (const violation of axe.violations) problems.push(`${what}: ${violation.id} at ${violation.nodes[0]?.target.join(' ')}`);
  };

  await page.goto(`${app.url}/admin/sign-in`);
  await check('sign-in');
  await page.getByLabel('Email').fill('someone.with.a.rather.long.address@example.org');
  await page.getByLabel('Password').fill('wrong password, long enough');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await check('sign-in with an error');
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/$/);

  const paths = [
    '/admin/',
    '/admin/?status=approved',
    '/admin/dashboard/',
    '/admin/incentives/',
    '/admin/surveys/',
    '/admin/scheduled/',
    '/admin/publish/',
    '/admin/erase/',
    '/admin/deliveries/',
    '/admin/no-such-page/',
  ];
  for (const path of paths) {
    await page.goto(`${app.url}${path}`);
    await check(path);
  }
  // The queue with every audit log open.
  await page.goto(`${app.url}/admin/`);
  await expect(page.getByText('Supercalifragilistic', { exact: false }).first()).toBeVisible();
  for (const summary of await page.locator('details.audit summary').all()) await summary.click();
  await check('queue with audit logs open');
  // The erasure preview of the customer with the long address.
  await page.goto(`${app.url}/admin/erase/`);
  await page.getByLabel('Customer email').fill(longEmail);
  await page.getByRole('button', { name: 'Show what would be erased' }).click();
  await expect(page.getByTestId('erasure-preview')).toBeVisible();
  await check('erasure preview');
  // A survey campaign's progress and the recent-campaigns table.
  await page.goto(`${app.url}/admin/surveys/`);
  await page.getByLabel('At most (leave empty for everyone)').fill('2');
  await page.getByRole('button', { name: 'Send survey' }).click();
  // The page refreshes itself while the campaign runs: check it once it stands still.
  await expect(page.getByTestId('campaign-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await check('survey campaign');
  await page.goto(`${app.url}/admin/scheduled/`);
  await check('scheduled, after a campaign');

  await context.close();
  if (problems.length > 0) console.log(problems.join('\n'));
  expect(problems).toEqual([]);
});
