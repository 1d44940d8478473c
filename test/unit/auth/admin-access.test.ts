import { describe, expect, it } from 'vitest';
import { classifyAdminRequest, isAdminActionName, safeNextPath, signInUrlFor } from '../../../src/lib/auth/admin-access.ts';
import { useSecureCookies } from '../../../src/lib/server/auth/session.ts';

const site = 'http://127.0.0.1:4321';
const classify = (path: string, method = 'GET') => classifyAdminRequest(new URL(path, site), method);

describe('the admin guard', () => {
  describe.each([
    ['/admin/', 'GET', 'page'],
    ['/admin', 'GET', 'page'],
    ['/admin/dashboard/', 'GET', 'page'],
    ['/admin/publish/', 'HEAD', 'page'],
    ['/admin/incentives/', 'GET', 'page'],
    ['/admin/no/such/page', 'GET', 'page'],
    ['/ADMIN/', 'GET', 'page'],
    ['/%61dmin/', 'GET', 'page'],
    ['/admin//dashboard', 'GET', 'page'],
    ['/admin/api/export.csv', 'GET', 'endpoint'],
    ['/admin/photos/review-photos/x.webp', 'GET', 'endpoint'],
    ['/admin/', 'POST', 'endpoint'],
    ['/admin/?_action=admin.approve', 'POST', 'endpoint'],
    ['/r/abc?_action=admin.approve', 'POST', 'endpoint'],
    ['/?_action=adminPublish.start', 'POST', 'endpoint'],
    ['/r/abc?_action=%61dmin.approve', 'POST', 'endpoint'],
    ['/_actions/admin.approve', 'POST', 'endpoint'],
    ['/_actions/adminIncentives.retry', 'POST', 'endpoint'],
    ['/_actions/%61dmin.approve', 'POST', 'endpoint'],
    ['/_actions/Admin.approve', 'POST', 'endpoint'],
    ['/admin/sign-in', 'GET', 'public'],
    ['/admin/sign-in/', 'POST', 'public'],
    ['/admin/sign-out', 'POST', 'public'],
    ['/', 'GET', 'public'],
    ['/administrator', 'GET', 'public'],
    ['/r/abc?_action=review.submit', 'POST', 'public'],
    ['/_actions/review.submit', 'POST', 'public'],
    ['/testimonials/?_action=admin.approve', 'GET', 'public'],
  ])('%s %s without a session', (path, method, expected) => {
    it(`is treated as ${expected}`, () => {
      expect(classify(path, method)).toBe(expected);
    });
  });

  it('folds repeated slashes as the router does', () => {
    expect(classifyAdminRequest(new URL(`${site}//admin/`), 'GET')).toBe('page');
  });

  it('recognizes admin action groups by name, decoded as Astro decodes them', () => {
    expect(isAdminActionName('admin.approve')).toBe(true);
    expect(isAdminActionName('adminPublish.start')).toBe(true);
    expect(isAdminActionName('%61dmin.hide')).toBe(true);
    expect(isAdminActionName('review.submit')).toBe(false);
    expect(isAdminActionName('reviewadmin.submit')).toBe(false);
  });

  it('returns only to admin paths of this site after signing in', () => {
    expect(safeNextPath('/admin/dashboard/?status=pending')).toBe('/admin/dashboard/?status=pending');
    for (const hostile of ['https://evil.example/admin/', '//evil.example/admin/', '/\\evil.example', '/admin/sign-in', '/', '/r/abc', null, '', 'admin/']) {
      expect(safeNextPath(hostile), String(hostile)).toBe('/admin/');
    }
    expect(signInUrlFor(new URL('/admin/publish/?x=1', site))).toBe('/admin/sign-in?next=%2Fadmin%2Fpublish%2F%3Fx%3D1');
  });

  it('marks cookies Secure on https and in production away from this machine', () => {
    expect(useSecureCookies('https://reviews.example.com', 'development')).toBe(true);
    expect(useSecureCookies('http://reviews.example.com', 'production')).toBe(true);
    expect(useSecureCookies('http://127.0.0.1:4321', 'production')).toBe(false);
    expect(useSecureCookies('http://localhost:4321', undefined)).toBe(false);
    expect(useSecureCookies('http://localhost.evil.example', 'production')).toBe(true);
  });
});
