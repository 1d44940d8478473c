import { describe, expect, it, vi } from 'vitest';

// 'astro:actions' is a virtual module that only Astro's Vite plugin provides. Its ActionError is
// the class in astro's actions runtime: point the import there, so the guard throws the real thing
// (the class Astro maps to an HTTP status).
const runtime = '../../../node_modules/astro/dist/actions/runtime/client.js';
vi.mock('astro:actions', async () => {
  const { ActionError } = await import('../../../node_modules/astro/dist/actions/runtime/client.js');
  return { ActionError };
});

const { ActionError } = (await import(runtime)) as typeof import('../../../node_modules/astro/dist/actions/runtime/client.js');
const { requireAdmin, unauthorizedResponse } = await import('../../../src/lib/server/auth/admin-guard.ts');

describe('requireAdmin (defence in depth for actions and endpoints)', () => {
  it('returns the signed-in marketer', () => {
    const user = { id: 3, email: 'mod@example.com' };
    expect(requireAdmin({ locals: { user, session: null } })).toBe(user);
  });

  it('throws a 401 ActionError when nobody is signed in', () => {
    let thrown: unknown;
    try {
      requireAdmin({ locals: { user: null, session: null } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ActionError);
    expect(thrown).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('answers 401 without caching for endpoints', async () => {
    const response = unauthorizedResponse();
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('Sign in to continue.');
  });
});
