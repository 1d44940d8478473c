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
  ])('rejects %o with one line naming %s', (source, key) => {
    expect(() => parseEnvironment(source)).toThrowError(new RegExp(`^environment: ${key}: [^\\n]+$`));
  });

  it('trims a trailing slash from SITE_URL so links join cleanly', () => {
    expect(parseEnvironment({ SITE_URL: 'https://reviews.example/' }).SITE_URL).toBe('https://reviews.example');
  });
});
