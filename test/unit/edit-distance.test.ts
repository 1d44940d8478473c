import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/lib/edit-distance.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['same', 'same', 0],
    ['automaticallyAfterAproval', 'automaticallyAfterApproval', 1], // a missing letter
    ['lifetimeDayss', 'lifetimeDays', 1], // an extra letter
    ['audiance', 'audience', 1], // a wrong letter
    ['ebnabled', 'enabled', 1], // two neighbours swapped count once
    ['kitten', 'sitting', 3],
    ['colors', 'colours', 1],
  ])('%j → %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('closestMatch', () => {
  const publishKeys = ['automaticallyAfterApproval'];
  const topLevel = ['business', 'itemReviewed', 'locales', 'invite', 'incentive', 'tokens', 'publish'];

  it('suggests the key a slip was meant to be', () => {
    expect(closestMatch('automaticallyAfterAproval', publishKeys)).toBe('automaticallyAfterApproval');
    expect(closestMatch('publsh', topLevel)).toBe('publish');
    expect(closestMatch('incentives', topLevel)).toBe('incentive');
    expect(closestMatch('token', topLevel)).toBe('tokens');
  });

  it('ignores case', () => {
    expect(closestMatch('ItemReviewed', topLevel)).toBe('itemReviewed');
    expect(closestMatch('AUTOMATICALLYAFTERAPPROVAL', publishKeys)).toBe('automaticallyAfterApproval');
  });

  it('picks the nearest of several candidates', () => {
    expect(closestMatch('invites', ['invite', 'incentive'])).toBe('invite');
  });

  it('suggests nothing for a word that is not close to any candidate', () => {
    expect(closestMatch('theme', topLevel)).toBeNull();
    expect(closestMatch('autoPublish', publishKeys)).toBeNull();
    expect(closestMatch('x', [])).toBeNull();
  });
});
