/** How a reviewer chose to have their name shown. */
export const nameDisplayChoices = ['full', 'first_initial', 'anonymous'] as const;
export type NameDisplay = (typeof nameDisplayChoices)[number];

/**
 * The name as it will be published. "first_initial" keeps the first word and the initial of
 * the last one ("Anna K."); "anonymous" returns null and the page shows its own word for it.
 */
export function formatDisplayName(fullName: string | null | undefined, choice: NameDisplay): string | null {
  const words = (fullName ?? '').trim().split(/\s+/).filter(Boolean);
  if (choice === 'anonymous' || words.length === 0) return null;
  if (choice === 'full') return words.join(' ');
  const first = words[0]!;
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return last ? `${first} ${Array.from(last)[0]!.toLocaleUpperCase()}.` : first;
}
