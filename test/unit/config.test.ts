import { describe, expect, it } from 'vitest';
import projectConfig from '../../review-wall.config.ts';
import { parseReviewWallConfig } from '../../src/lib/config-schema.ts';
import { testConfig as rawConfig } from '../helpers/config.ts';

/** A pattern matching exactly `message`, one line. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('review-wall.config.ts', () => {
  // The one test that reads the business's own file: whatever it says, it must be valid.
  it("accepts the project's own configuration", () => {
    expect(() => parseReviewWallConfig(projectConfig)).not.toThrow();
  });

  it('accepts the test configuration and fills defaults', () => {
    const config = parseReviewWallConfig({ ...rawConfig, tokens: undefined });
    expect(config.invite.audience).toBe('promoters');
    expect(config.tokens.lifetimeDays).toBe(30);
    expect(config.locales.enabled).toContain('uk');
  });

  it('fills defaults for optional sections', () => {
    const config = parseReviewWallConfig({
      business: { name: 'Shop', website: 'https://shop.example' },
      itemReviewed: { type: 'Product', name: 'Widget' },
      incentive: { text: 'a free month' },
    });
    expect(config.invite.audience).toBe('promoters');
    expect(config.business.colors.primary).toMatch(/^#/);
    expect(config.locales.default).toBe('en');
  });

  // A misspelt key used to be dropped without a word, leaving its setting at the default.
  it.each([
    ['at the top level', { publsh: { automaticallyAfterApproval: true } }, 'publsh: unknown key; did you mean "publish"?'],
    ['one level down', { publish: { automaticallyAfterAproval: true } }, 'publish.automaticallyAfterAproval: unknown key; did you mean "automaticallyAfterApproval"?'],
    ['two levels down', { business: { ...rawConfig.business, colors: { primery: '#123456' } } }, 'business.colors.primery: unknown key; did you mean "primary"?'],
    ['among the translations', { incentive: { text: 'a gift', translations: { lt: 'dovana' } } }, 'incentive.translations.lt: unknown key; did you mean "lv"?'],
    ['with nothing close to it', { tokens: { lifetimeDays: 30, colour: 'red' } }, 'tokens.colour: unknown key; expected one of lifetimeDays'],
  ])('rejects an unknown key %s and suggests the nearest one', (_label, override, message) => {
    expect(() => parseReviewWallConfig({ ...rawConfig, ...override })).toThrowError(exactly(`review-wall.config.ts: ${message}`));
  });

  it('names the first unknown key of several', () => {
    expect(() => parseReviewWallConfig({ ...rawConfig, invite: { audiance: 'all', sendAt: '9:00' } })).toThrowError(
      exactly('review-wall.config.ts: invite.audiance: unknown key; did you mean "audience"?'),
    );
  });

  describe.each([
    ['a lifetime written as text', { tokens: { lifetimeDays: '30' } }, 'tokens.lifetimeDays'],
    ['yes instead of true', { publish: { automaticallyAfterApproval: 'yes' } }, 'publish.automaticallyAfterApproval'],
    ['one locale instead of a list', { locales: { enabled: 'lv' } }, 'locales.enabled'],
    ['a missing business name', { business: { ...rawConfig.business, name: '' } }, 'business.name'],
    ['a website that is not a URL', { business: { ...rawConfig.business, website: 'acme' } }, 'business.website'],
    ['a colour that is not hex', { business: { ...rawConfig.business, colors: { primary: 'blue' } } }, 'business.colors.primary'],
    ['an unknown itemReviewed type', { itemReviewed: { type: 'Thing', name: 'x' } }, 'itemReviewed.type'],
    ['an unknown audience', { invite: { audience: 'happy-customers' } }, 'invite.audience'],
    ['an unsupported locale', { locales: { default: 'de' } }, 'locales.default'],
    ['a token lifetime of zero', { tokens: { lifetimeDays: 0 } }, 'tokens.lifetimeDays'],
    ['no incentive text', { incentive: { text: ' ' } }, 'incentive.text'],
    ['a logo on another site', { business: { ...rawConfig.business, logo: 'https://cdn.example/logo.svg' } }, 'business.logo'],
    ['a logo path outside public/', { business: { ...rawConfig.business, logo: '/../secrets/logo.png' } }, 'business.logo'],
    ['a logo path without its leading slash', { business: { ...rawConfig.business, logo: 'logo.svg' } }, 'business.logo'],
    ['a logo that is not an image', { business: { ...rawConfig.business, logo: '/logo.pdf' } }, 'business.logo'],
    ['empty claim instructions', { incentive: { text: 'a mug', claimInstructions: { text: ' ' } } }, 'incentive.claimInstructions.text'],
    [
      'claim instructions in a language that is not supported',
      { incentive: { text: 'a mug', claimInstructions: { text: 'Show this email.', translations: { de: 'Zeigen Sie diese E-Mail.' } } } },
      'incentive.claimInstructions.translations.de',
    ],
    [
      'claim instructions missing a language the incentive is translated to',
      { incentive: { text: 'a mug', translations: { pl: 'kubek' }, claimInstructions: { text: 'Show this email in our shop.' } } },
      'incentive.claimInstructions.translations.pl',
    ],
  ])('with %s', (_label, override, key) => {
    it(`stops with one line naming ${key}`, () => {
      expect(() => parseReviewWallConfig({ ...rawConfig, ...override })).toThrowError(
        new RegExp(`^review-wall\\.config\\.ts: ${key.replace(/\./g, '\\.')}: [^\\n]+$`),
      );
    });
  });

  it('says why a logo URL is refused: the build makes PNGs from a file in public/', () => {
    expect(() => parseReviewWallConfig({ ...rawConfig, business: { ...rawConfig.business, logo: 'https://cdn.example/logo.svg' } })).toThrowError(
      /business\.logo: expected a file in public\/, like "\/logo\.svg", not a URL/,
    );
  });

  it('accepts claim instructions with a translation for each translated incentive', () => {
    const config = parseReviewWallConfig({
      ...rawConfig,
      incentive: { text: 'a mug', translations: { pl: 'kubek' }, claimInstructions: { text: 'Show this email in our shop.', translations: { pl: 'Pokaż tę wiadomość w sklepie.' } } },
    });
    expect(config.incentive.claimInstructions).toEqual({ text: 'Show this email in our shop.', translations: { pl: 'Pokaż tę wiadomość w sklepie.' } });
  });
});
