import { describe, expect, it } from 'vitest';
import { formerTestimonialId, formerUrlPage, formerUrlTarget } from '../../../src/lib/publish/former-urls.ts';

describe('former testimonial addresses', () => {
  it.each([
    ['/testimonials/7/', 7],
    ['/testimonials/7', 7],
    ['/testimonials/123/index.html', 123],
    ['/testimonials/0/', null],
    ['/testimonials/07/', null],
    ['/testimonials/3f9a0c1b7e2d4a56/', null],
    ['/testimonials/7/extra/', null],
    ['/testimonials/page/2/', null],
    ['/testimonials/1234567890123/', null],
    ['/x/testimonials/7/', null],
  ])('%s names row id %s', (path, expected) => {
    expect(formerTestimonialId(path)).toBe(expected);
  });

  it('make a redirect page whose target the site server reads back, and nothing else reads as one', () => {
    const page = formerUrlPage('/testimonials/3f9a0c1b7e2d4a56/', 'https://reviews.example.com');
    expect(formerUrlTarget(page)).toBe('/testimonials/3f9a0c1b7e2d4a56/');
    expect(page).toContain('<link rel="canonical" href="https://reviews.example.com/testimonials/3f9a0c1b7e2d4a56/">');
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(formerUrlTarget('<!doctype html><h1>A testimonial</h1>')).toBeNull();
    expect(formerUrlTarget('<meta http-equiv="refresh" content="0; url=https://evil.example/">')).toBeNull();
  });

  it('refuse to point anywhere but a testimonial by public id', () => {
    for (const target of ['https://evil.example/', '/testimonials/7/', '/admin/', '/testimonials/3f9a0c1b7e2d4a56/"><script>']) {
      expect(() => formerUrlPage(target, 'https://reviews.example.com'), target).toThrow(/public id/);
    }
  });
});
