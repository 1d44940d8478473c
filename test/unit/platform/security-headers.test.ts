import { describe, expect, it } from 'vitest';
import { applySecurityHeaders, securityHeadersFor } from '../../../src/lib/server/platform/security-headers.ts';

describe('security headers', () => {
  it('add HSTS for this host only on an https site, and none on plain http', () => {
    expect(securityHeadersFor('https://reviews.example.com')['Strict-Transport-Security']).toBe('max-age=31536000');
    expect(securityHeadersFor('http://localhost:4321')['Strict-Transport-Security']).toBeUndefined();
    expect(securityHeadersFor('')['Strict-Transport-Security']).toBeUndefined();
  });

  it('keep a header a route set itself', () => {
    const headers = new Headers({ 'Content-Security-Policy': "default-src 'none'" });
    applySecurityHeaders(headers, 'https://reviews.example.com');
    expect(headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(headers.get('strict-transport-security')).toBe('max-age=31536000');
  });
});
