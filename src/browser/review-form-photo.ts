// The review form's photo field, with JavaScript: a chosen photo is redrawn in the browser, upright
// and at most 2048 px long, and the smaller JPEG replaces it in the field, so a phone's 12 MB photo
// goes out as a few hundred kilobytes and without its metadata (GPS included). A file the browser
// cannot read, or one still too large, is refused next to the field before anything is sent, so
// nothing typed is lost. Without JavaScript the field posts the file as chosen and the server
// checks it (src/lib/server/collect/photos.ts). The texts come from the field's data attributes,
// in the form's language.
import { keepsChosenFile, looksLikeHeic, megabytesText, photoShrink, shrunkDimensions, shrunkFileName } from '../lib/collect/photo-shrink.ts';

/** Decodes a file upright (EXIF orientation applied); older browsers know no `imageOrientation` option and apply it anyway. */
async function decodeUpright(file: File): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (error) {
    if (error instanceof TypeError) return createImageBitmap(file);
    throw error;
  }
}

/** The image redrawn at its shrunk size as a JPEG, or null if the browser cannot encode it. */
async function encodeShrunk(bitmap: ImageBitmap): Promise<Blob | null> {
  const { width, height } = shrunkDimensions(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return null;
  // JPEG has no transparency: a transparent PNG gets white behind it, not black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, photoShrink.type, photoShrink.quality));
}

function enhancePhotoField(field: HTMLElement): void {
  const input = field.querySelector<HTMLInputElement>('input[type="file"]');
  const status = field.querySelector<HTMLElement>('[data-photo-status]');
  const form = input?.form;
  if (!input || !status || !form || typeof createImageBitmap !== 'function' || typeof DataTransfer !== 'function') return;
  // A live region only where something will speak in it: without JavaScript it stays a plain, empty paragraph.
  status.setAttribute('role', 'status');
  const maxBytes = Number(field.dataset.maxBytes);
  const text = (name: string) => field.dataset[name] ?? '';
  const locale = document.documentElement.lang || 'en';
  // Files this script put in the field: replacing the field's files fires no change, but be sure.
  const prepared = new WeakSet<File>();
  let preparing: Promise<boolean> | null = null;
  // A file chosen while an earlier one is still being shrunk wins: the earlier one's result is dropped.
  let latest = 0;

  const say = (message: string, state: 'busy' | 'ready' | 'refused' | 'idle') => {
    status.textContent = message;
    status.dataset.state = state;
    if (state === 'refused') input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const refuse = (message: string) => {
    input.value = '';
    say(message, 'refused');
    return false;
  };

  /** Shrinks the chosen file into the field; false when it was refused (and the field emptied). */
  const prepare = async (file: File, turn: number): Promise<boolean> => {
    say(text('preparing'), 'busy');
    let shrunk: Blob | null = null;
    let image = { width: 0, height: 0 };
    try {
      const bitmap = await decodeUpright(file);
      image = { width: bitmap.width, height: bitmap.height };
      try {
        shrunk = await encodeShrunk(bitmap);
      } catch {
        shrunk = null;
      } finally {
        bitmap.close();
      }
    } catch {
      if (turn !== latest) return false;
      if (looksLikeHeic(file)) return refuse(text('heic'));
      // Unreadable here and over the server's limit: its size is the one sure reason.
      return refuse(file.size > maxBytes ? text('tooLarge') : text('notAnImage'));
    }
    if (turn !== latest) return false;
    if (!shrunk) {
      // It was read but cannot be redrawn here (memory, an old browser): send it as chosen when the server takes its size.
      if (file.size <= maxBytes) {
        say('', 'idle');
        return true;
      }
      return refuse(text('tooLarge'));
    }
    if (shrunk.size > maxBytes) return refuse(text('tooLarge'));
    // A small photo that the redraw would only make heavier goes as chosen (the server strips its metadata).
    if (keepsChosenFile(file, image, shrunk.size)) {
      say('', 'idle');
      return true;
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([shrunk], shrunkFileName(file.name), { type: photoShrink.type, lastModified: file.lastModified }));
    input.files = transfer.files;
    const sent = input.files?.[0];
    if (sent) prepared.add(sent);
    say(text('shrunk').replace('{size}', megabytesText(shrunk.size, locale)), 'ready');
    return true;
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) {
      say('', 'idle');
      return;
    }
    if (prepared.has(file)) return;
    const current = prepare(file, ++latest);
    preparing = current;
    void current.finally(() => {
      if (preparing === current) preparing = null;
    });
  });

  // Sent while the photo is still being shrunk: wait for it, then send (or stop at the refusal).
  form.addEventListener('submit', (event) => {
    if (!preparing) return;
    event.preventDefault();
    const submitter = event.submitter;
    void preparing.then((accepted) => {
      if (accepted) form.requestSubmit(submitter instanceof HTMLButtonElement ? submitter : null);
      else input.focus();
    });
  });
}

for (const field of document.querySelectorAll<HTMLElement>('[data-photo-field]')) enhancePhotoField(field);
