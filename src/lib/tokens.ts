import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** A fresh random token: 160 bits, URL-safe (lower-case base32, 32 characters). */
export function generateToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The SHA-256 of a token as hex: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Whether a string has the shape of a token we issue (cheap check before any lookup). */
export function isWellFormedToken(value: string): boolean {
  return /^[a-z2-7]{32}$/.test(value);
}

/**
 * A second token that follows from `token` alone, for another purpose (the review link offered
 * after a survey answer): as random as its source, and its source cannot be worked out from it.
 */
export function deriveToken(token: string, purpose: string): string {
  return encodeBase32LowerCaseNoPadding(sha256(new TextEncoder().encode(`review-wall:${purpose}:${token}`)).slice(0, 20));
}
