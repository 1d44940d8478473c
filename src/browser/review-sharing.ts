// The copy button of the sharing section (src/components/ShareReview.astro): shown only when
// JavaScript runs, it puts the reviewer's text on the clipboard and says so in a live region.
// Without it, the read-only box still lets the text be selected and copied by hand.
for (const section of document.querySelectorAll<HTMLElement>('[data-share]')) {
  const text = section.querySelector<HTMLTextAreaElement>('[data-share-text]');
  const button = section.querySelector<HTMLButtonElement>('[data-share-copy]');
  const status = section.querySelector<HTMLElement>('[data-share-status]');
  if (!text || !button || !status) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    text.select();
    try {
      await navigator.clipboard.writeText(text.value);
    } catch {
      // No clipboard API (an insecure origin, or permission refused): the older command still copies the selection.
      document.execCommand('copy');
    }
    status.textContent = status.dataset.copied ?? '';
  });
}
