import { describe, expect, it } from 'vitest';
import { ConfigError, parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { sharingStrings } from '../../../src/lib/i18n/sharing.ts';
import { supportedLocales } from '../../../src/lib/locales.ts';
import { testConfig } from '../../helpers/config.ts';

describe('sharing.profiles in review-wall.config.ts', () => {
  it('is empty by default, so nothing is offered', () => {
    expect(parseReviewWallConfig(testConfig).sharing.profiles).toEqual([]);
  });

  it('accepts https profiles', () => {
    const config = parseReviewWallConfig({ ...testConfig, sharing: { profiles: [{ site: 'Capterra', url: 'https://www.capterra.com/p/1/acme/' }] } });
    expect(config.sharing.profiles).toEqual([{ site: 'Capterra', url: 'https://www.capterra.com/p/1/acme/' }]);
  });

  it.each([
    ['an http address', { site: 'G2', url: 'http://www.g2.com/products/acme' }, 'review-wall.config.ts: sharing.profiles.0.url: expected an https:// address'],
    ['a javascript: address', { site: 'G2', url: 'javascript:alert(1)' }, 'review-wall.config.ts: sharing.profiles.0.url: expected an https:// address'],
    ['no address', { site: 'G2', url: 'g2.com' }, 'review-wall.config.ts: sharing.profiles.0.url: expected an absolute URL like "https://www.g2.com/products/acme/reviews"'],
    ['no site name', { site: ' ', url: 'https://www.g2.com/' }, 'review-wall.config.ts: sharing.profiles.0.site: expected the site\'s name, e.g. "G2"'],
  ])('refuses %s with one line', (_case, profile, message) => {
    expect(() => parseReviewWallConfig({ ...testConfig, sharing: { profiles: [profile] } })).toThrow(new ConfigError(message));
  });
});

describe('the sharing texts', () => {
  it.each(supportedLocales)('are complete in %s, with the site named in each link', (locale) => {
    const t = sharingStrings(locale);
    for (const text of Object.values(t)) expect(text.trim()).not.toBe('');
    expect(t.profileLink).toContain('{site}');
    if (locale !== 'en') expect(t.intro).not.toBe(sharingStrings('en').intro);
  });
});
