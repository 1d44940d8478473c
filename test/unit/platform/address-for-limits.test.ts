import { describe, expect, it } from 'vitest';
import { addressForLimits } from '../../../src/lib/server/platform/rate-limit.ts';
import { bareAddress } from '../../../src/lib/server/publish/site-server.ts';

describe('the address a per-address limit counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:0db8:85a3:08d3:ffff:ffff:ffff:ffff', '2001:db8:85a3:8d3::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8::2', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'not an address'],
  ])('%s counts as %s', (address, counted) => {
    expect(addressForLimits(address)).toBe(counted);
  });

  it('keeps different /64 networks apart', () => {
    expect(addressForLimits('2001:db8:0:1::1')).not.toBe(addressForLimits('2001:db8:0:2::1'));
  });
});

describe('an X-Forwarded-For entry as the visitor address', () => {
  it.each([
    ['198.51.100.9', '198.51.100.9'],
    ['198.51.100.9:51234', '198.51.100.9'],
    ['2001:db8::1', '2001:db8::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['unknown', undefined],
    ['<script>', undefined],
  ])('%s is %s', (entry, visitor) => {
    expect(bareAddress(entry)).toBe(visitor);
  });
});
