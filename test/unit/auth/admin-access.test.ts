import { describe, expect, it } from 'vitest';
import { classifyAdminRequest, isAdminActionName, safeNextPath, signInUrlFor } from '../../../src/lib/auth/admin-access.ts';
import { sessionCookieName, useSecureCookies } from '../../../src/lib/server/auth/session.ts';

const site = 'http://127.0.0.1:4321';
/** The guard's answer; `action` is the name Astro reads from the request (getActionContext), or null when it runs none. */
const classify = (path: string, method = 'GET', action: string | null = null) => classifyAdminRequest(new URL(path, site), method, action);

describe('the admin guard', () => {
  describe.each([
    ['/admin/', 'GET', null, 'page'],
    ['/admin', 'GET', null, 'page'],
    ['/admin/dashboard/', 'GET', null, 'page'],
    ['/admin/publish/', 'HEAD', null, 'page'],
    ['/admin/incentives/', 'GET', null, 'page'],
    ['/admin/no/such/page', 'GET', null, 'page'],
    ['/ADMIN/', 'GET', null, 'page'],
    ['/%61dmin/', 'GET', null, 'page'],
    ['/admin//dashboard', 'GET', null, 'page'],
    ['/admin/api/export.csv', 'GET', null, 'endpoint'],
    ['/admin/photos/review-photos/x.webp', 'GET', null, 'endpoint'],
    ['/admin/', 'POST', null, 'endpoint'],
    ['/admin/?_action=admin.approve', 'POST', 'admin.approve', 'endpoint'],
    ['/r/abc?_action=admin.approve', 'POST', 'admin.approve', 'endpoint'],
    ['/?_action=adminPublish.start', 'POST', 'adminPublish.start', 'endpoint'],
    ['/r/abc?_action=%61dmin.approve', 'POST', 'admin.approve', 'endpoint'],
    ['/_actions/admin.approve', 'POST', 'admin.approve', 'endpoint'],
    ['/_actions/adminIncentives.retry', 'POST', 'adminIncentives.retry', 'endpoint'],
    ['/_actions/%61dmin.approve', 'POST', '%61dmin.approve', 'endpoint'],
    ['/_actions/%2561dmin.approve', 'POST', '%2561dmin.approve', 'endpoint'],
    ['/_actions/admin%2Ehide', 'POST', 'admin%2Ehide', 'endpoint'],
    ['/_actions/Admin.approve', 'POST', 'Admin.approve', 'endpoint'],
    ['/_actions/admin.hide/', 'POST', 'admin.hide/', 'endpoint'],
    // Astro runs the action named after the last /_actions/, whatever came before it.
    ['/_actions/review.submit/_actions/admin.hide', 'POST', 'admin.hide', 'endpoint'],
    ['/_actions/review.submit%2F_actions%2Fadmin.hide', 'POST', 'review.submit%2F_actions%2Fadmin.hide', 'endpoint'],
    ['/_actions/review.submit%252F_actions%252Fadmin.hide', 'POST', 'review.submit%252F_actions%252Fadmin.hide', 'endpoint'],
    ['/admin/sign-in', 'GET', null, 'public'],
    ['/admin/sign-in/', 'POST', null, 'public'],
    ['/admin/sign-out', 'POST', null, 'public'],
    ['/', 'GET', null, 'public'],
    ['/administrator', 'GET', null, 'public'],
    ['/r/abc?_action=review.submit', 'POST', 'review.submit', 'public'],
    ['/_actions/review.submit', 'POST', 'review.submit', 'public'],
    // The guard follows Astro, not the path: what Astro would run is what counts.
    ['/_actions/admin.hide/_actions/review.submit', 'POST', 'review.submit', 'public'],
    // A GET runs no action (Astro answers 404), so the path alone decides.
    ['/_actions/admin.approve', 'GET', null, 'public'],
    ['/testimonials/?_action=admin.approve', 'GET', null, 'public'],
  ] as const)('%s %s (Astro runs %s) without a session', (path, method, action, expected) => {
    it(`is treated as ${expected}`, () => {
      expect(classify(path, method, action)).toBe(expected);
    });
  });

  it('folds repeated slashes as the router does', () => {
    expect(classifyAdminRequest(new URL(`${site}//admin/`), 'GET', null)).toBe('page');
  });

  it('recognizes admin action groups by name, however often encoded, in any part of the name', () => {
    expect(isAdminActionName('admin.approve')).toBe(true);
    expect(isAdminActionName('adminPublish.start')).toBe(true);
    expect(isAdminActionName('%61dmin.hide')).toBe(true);
    expect(isAdminActionName('%2561dmin.hide')).toBe(true);
    expect(isAdminActionName('%252561dmin.hide')).toBe(true);
    expect(isAdminActionName('review.submit%2F_actions%2Fadmin.hide')).toBe(true);
    expect(isAdminActionName('review.submit')).toBe(false);
    expect(isAdminActionName('reviewadmin.submit')).toBe(false);
    expect(isAdminActionName('review.administer')).toBe(false);
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

  it('names the session cookie __Host- wherever it is Secure, and plainly on http development', () => {
    expect(sessionCookieName(true)).toBe('__Host-review_wall_session');
    expect(sessionCookieName(false)).toBe('review_wall_session');
  });
});
