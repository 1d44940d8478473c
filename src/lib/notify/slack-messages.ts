import { counted } from '../plural.ts';
import type { DigestData, NpsAnsweredData, NpsCategory, ReviewSubmittedData } from './events.ts';

/** The admin page where detractors and passives wait for a personal follow-up (issue 14 point 2). */
export const followUpPath = '/admin/follow-up/';
/** The moderation queue. */
export const moderationQueuePath = '/admin/';

/** A Slack incoming-webhook body: plain `text` in Slack's mrkdwn. */
export interface SlackMessage {
  text: string;
}

// Slack reads &, < and > as markup (links, mentions): customer text must not make any.
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const link = (url: string, label: string) => `<${url}|${escape(label)}>`;
const quote = (text: string) => escape(text.length > 300 ? `${text.slice(0, 299)}…` : text).split('\n').map((line) => `> ${line}`).join('\n');

const categoryLabel: Record<NpsCategory, string> = {
  detractor: ':red_circle: *Detractor*',
  passive: ':large_yellow_circle: Passive',
  promoter: ':large_green_circle: Promoter',
};

const sourceLabel: Record<string, string> = { email: 'survey email', csv: 'CSV import', webhook: 'NPS webhook', upload: 'CSV upload' };

/** Who answered, as the team knows them: the name, else the email address. */
const who = (contact: { name: string | null; email: string }) => escape(contact.name?.trim() || contact.email);

/** The message for a new NPS answer; detractors are marked and get a follow-up link first. */
export function npsAnswerMessage(data: NpsAnsweredData, siteUrl: string): SlackMessage {
  const lines = [`${categoryLabel[data.category]}: ${data.score}/10 from ${who(data.contact)} (${sourceLabel[data.source] ?? escape(data.source)})`];
  if (data.comment) lines.push(quote(data.comment));
  if (data.category !== 'promoter') lines.push(link(`${siteUrl}${followUpPath}`, data.category === 'detractor' ? 'Follow up now in the admin' : 'Follow up in the admin'));
  return { text: lines.join('\n') };
}

/** The message for a review waiting for moderation. */
export function reviewWaitingMessage(data: ReviewSubmittedData, siteUrl: string): SlackMessage {
  const stars = '★'.repeat(data.rating) + '☆'.repeat(5 - data.rating);
  return { text: `:memo: New review waiting for moderation: ${stars} (${data.rating}/5) from ${who(data.contact)}\n${link(`${siteUrl}${moderationQueuePath}`, 'Open the moderation queue')}` };
}

/** The one daily message of digest mode: counts and links. */
export function digestMessage(data: DigestData, siteUrl: string): SlackMessage {
  const { promoter, passive, detractor } = data.answers;
  const answers = promoter + passive + detractor;
  const lines = [
    `:bar_chart: Daily summary (${data.since.slice(0, 16).replace('T', ' ')} – ${data.until.slice(0, 16).replace('T', ' ')} UTC)`,
    answers === 0 ? 'No new NPS answers.' : `${counted(answers, 'new NPS answer')}: ${counted(promoter, 'promoter')}, ${counted(passive, 'passive')}, ${counted(detractor, 'detractor')}.`,
    `${counted(data.reviewsSubmitted, 'new review')}; ${data.reviewsWaiting} waiting for moderation.`,
  ];
  if (detractor + passive > 0) lines.push(link(`${siteUrl}${followUpPath}`, 'Follow up with detractors and passives'));
  if (data.reviewsWaiting > 0) lines.push(link(`${siteUrl}${moderationQueuePath}`, 'Open the moderation queue'));
  return { text: lines.join('\n') };
}
