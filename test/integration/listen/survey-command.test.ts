import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnvironment, runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { addContacts, outboxMessages } from '../../helpers/surveys.ts';

// Each case runs the command in its own process: slow on a busy machine.
describe('npm run survey', { timeout: 180_000 }, () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;
  let contacts: { id: number; email: string }[];
  const query = async (sql: string, args: (string | number)[] = []) => (await database.db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url, SITE_URL: 'https://reviews.acme.example' };
    contacts = await addContacts(database.db, 5, { prefix: 'survey-command' });
    await query('update contacts set unsubscribed_at = 1 where id = ?', [contacts[4]!.id]);
  });
  afterAll(() => database.cleanup());

  it('--dry-run lists who would be surveyed and writes nothing', async () => {
    const result = await runScript('survey', ['--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect([...result.stdout.matchAll(/^would survey (\S+) \(en\)$/gm)].map((match) => match[1])).toEqual(contacts.slice(0, 4).map((contact) => contact.email));
    expect(result.stdout).toContain('would survey 4 contacts');
    expect(await query('select count(*) as n from surveys')).toEqual([{ n: 0 }]);
  });

  it('--limit surveys the first contacts, a second run the rest, a third nobody', async () => {
    const first = await runScript('survey', ['--limit', '3'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Surveyed 3 of 3 contacts via the outbox');
    const second = await runScript('survey', [], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Surveyed 1 of 1 contacts');
    const third = await runScript('survey', [], env);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('Nobody to survey');
    const recipients = outboxMessages(join(database.directory, 'outbox')).map((message) => message.headers.get('to'));
    expect(recipients.sort()).toEqual(contacts.slice(0, 4).map((contact) => contact.email).sort());
  });

  it('--kind csat sends the CSAT question to those just surveyed with NPS (the quiet period is per kind), once', async () => {
    const dry = await runScript('survey', ['--kind', 'csat', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would survey 4 contacts with the CSAT question');
    const sent = await runScript('survey', ['--kind', 'csat'], env);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain('Surveyed 4 of 4 contacts via the outbox');
    const csat = outboxMessages(join(database.directory, 'outbox')).filter((message) => message.subject.includes('how satisfied were you with'));
    expect(csat.map((message) => message.headers.get('to')).sort()).toEqual(contacts.slice(0, 4).map((contact) => contact.email).sort());
    expect(await query("select count(*) as n from surveys where kind = 'csat'")).toEqual([{ n: 4 }]);
    const again = await runScript('survey', ['--kind', 'csat'], env);
    expect(again.stdout).toContain('Nobody to survey: every contact is unsubscribed or had a CSAT survey');
  });

  it.each([[['--limit', '2.5']], [['--rate', 'fast']], [['extra']], [['--kind', 'stars']]])('exits 2 with one line on bad usage: %j', async (args) => {
    const result = await runScript('survey', args, env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^survey: /);
  });
});
