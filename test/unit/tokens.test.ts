import { describe, expect, it } from 'vitest';
import { formatDisplayName } from '../../src/lib/collect/display-name.ts';
import { generateToken, hashToken, isWellFormedToken } from '../../src/lib/tokens.ts';

describe('tokens', () => {
  it('are URL-safe, at least 128 bits and different every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) {
      expect(token).toMatch(/^[a-z2-7]+$/);
      expect(token.length * 5).toBeGreaterThanOrEqual(128);
      expect(isWellFormedToken(token)).toBe(true);
    }
  });

  it('are stored as SHA-256 hex, never as themselves', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashToken(token)).toBe(hash);
    // Known vector: sha256("abc").
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('rejects strings that cannot be a token before any lookup', () => {
    expect(isWellFormedToken('../../etc/passwd')).toBe(false);
    expect(isWellFormedToken('A'.repeat(32))).toBe(false);
  });
});

describe('display names', () => {
  it.each([
    ['Anna Kowalska', 'full', 'Anna Kowalska'],
    ['Anna Kowalska', 'first_initial', 'Anna K.'],
    ['Līga Bērziņa', 'first_initial', 'Līga B.'],
    ['Оксана Шевченко', 'first_initial', 'Оксана Ш.'],
    ['María José Fernández', 'first_initial', 'María F.'],
    ['Cher', 'first_initial', 'Cher'],
    ['Anna Kowalska', 'anonymous', null],
    [null, 'full', null],
  ] as const)('%s shown as %s is %s', (name, choice, expected) => {
    expect(formatDisplayName(name, choice)).toBe(expected);
  });
});
