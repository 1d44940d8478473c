import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/lib/server/platform/env.ts';

describe('environment', () => {
  it('defaults to the embedded database, port 4321 and the outbox', () => {
    const env = parseEnvironment({});
    expect(env.DATABASE_URL).toBe('file:db/local.db');
    expect(env.PORT).toBe(4321);
    expect(env.SITE_URL).toBe('http://localhost:4321');
    expect(env.RESEND_API_KEY).toBeUndefined();
    expect(env.OUTBOX_DIR).toBe('var/outbox');
    expect(env.TRUST_PROXY).toBe(0);
  });

  it.each(['file:db/x.db', ':memory:', 'libsql://db.example.turso.io', 'http://127.0.0.1:8080', 'https://db.example'])(
    'accepts DATABASE_URL=%s',
    (url) => {
      expect(parseEnvironment({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    },
  );

  it.each([
    [{ DATABASE_URL: 'postgres://localhost/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'db/local.db' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ SITE_URL: 'localhost:4321' }, 'SITE_URL'],
    [{ RESEND_BASE_URL: 'not a url' }, 'RESEND_BASE_URL'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '1' }, 'TRUST_PROXY'],
    [{ NPS_WEBHOOK_SECRET: 'x' }, 'NPS_WEBHOOK_SECRET'],
    [{ NPS_WEBHOOK_SECRET: 'a'.repeat(31) }, 'NPS_WEBHOOK_SECRET'],
    [{ SESSION_MAX_AGE_DAYS: '0' }, 'SESSION_MAX_AGE_DAYS'],
    [{ SESSION_MAX_AGE_DAYS: 'a month' }, 'SESSION_MAX_AGE_DAYS'],
  ])('rejects %o with one line naming %s', (source, key) => {
    expect(() => parseEnvironment(source)).toThrowError(new RegExp(`^environment: ${key}: [^\\n]+$`));
  });

  it('takes a webhook secret of 32 bytes or more, counted in bytes, not characters', () => {
    expect(parseEnvironment({ NPS_WEBHOOK_SECRET: 'a'.repeat(32) }).NPS_WEBHOOK_SECRET).toBe('a'.repeat(32));
    // 16 characters of two bytes each.
    expect(parseEnvironment({ NPS_WEBHOOK_SECRET: 'ü'.repeat(16) }).NPS_WEBHOOK_SECRET).toBe('ü'.repeat(16));
    expect(() => parseEnvironment({ NPS_WEBHOOK_SECRET: 'ü'.repeat(15) })).toThrowError(/NPS_WEBHOOK_SECRET: must be at least 32 bytes/);
    // Unset (or empty) leaves the webhook off.
    expect(parseEnvironment({ NPS_WEBHOOK_SECRET: '' }).NPS_WEBHOOK_SECRET).toBeUndefined();
  });

  it('holds the events webhook secret to the same 32 bytes', () => {
    expect(parseEnvironment({ EVENTS_WEBHOOK_SECRET: 'e'.repeat(32) }).EVENTS_WEBHOOK_SECRET).toBe('e'.repeat(32));
    expect(() => parseEnvironment({ EVENTS_WEBHOOK_SECRET: 'e'.repeat(31) })).toThrowError(/EVENTS_WEBHOOK_SECRET: must be at least 32 bytes/);
  });

  it('ends sessions 30 days after sign-in unless SESSION_MAX_AGE_DAYS says otherwise', () => {
    expect(parseEnvironment({}).SESSION_MAX_AGE_DAYS).toBe(30);
    expect(parseEnvironment({ SESSION_MAX_AGE_DAYS: '7' }).SESSION_MAX_AGE_DAYS).toBe(7);
  });

  it('trims a trailing slash from SITE_URL so links join cleanly', () => {
    expect(parseEnvironment({ SITE_URL: 'https://reviews.example/' }).SITE_URL).toBe('https://reviews.example');
  });
});
