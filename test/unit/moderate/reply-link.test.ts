import { describe, expect, it } from 'vitest';
import { replyMailto, replySubject } from '../../../src/lib/moderate/reply-link.ts';

describe('reply links', () => {
  it('open the mail client with the address and a subject in the customer’s language, encoded', () => {
    const names = { item: 'Acme Helpdesk & Co', business: 'Acme' };
    expect(replySubject('review', 'en', names)).toBe('Re: your review of Acme Helpdesk & Co');
    expect(replySubject('review', 'pl', names)).toBe('Re: Twoja opinia o Acme Helpdesk & Co');
    expect(replySubject('feedback', 'uk-UA', names)).toBe('Re: ваша оцінка компанії Acme');
    expect(replySubject('review', 'xx', names)).toBe('Re: your review of Acme Helpdesk & Co');
    const link = replyMailto('anna+shop@example.com', replySubject('review', 'bg', names));
    expect(link).toBe(`mailto:anna%2Bshop@example.com?subject=${encodeURIComponent('Re: вашият отзив за Acme Helpdesk & Co')}`);
    // Nothing in the subject can add a header or a recipient.
    const hostile = replyMailto('a@example.com', 'x\r\nBcc: b@evil.example&cc=c@evil.example');
    expect(hostile).not.toMatch(/[\r\n]|&cc=/);
    expect(new URL(hostile).searchParams.getAll('subject')).toEqual(['x\r\nBcc: b@evil.example&cc=c@evil.example']);
    expect([...new URL(hostile).searchParams.keys()]).toEqual(['subject']);
  });
});
