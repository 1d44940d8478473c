import { readableShade, textOn } from './colors.ts';

/** A message's content before it is wrapped in the branded layout. */
export interface EmailContent {
  locale: string;
  subject: string;
  /** Plain paragraphs; the HTML part escapes them. */
  paragraphs: string[];
  /** An optional call to action, shown as a button and as a bare link in the text part. */
  action?: { label: string; url: string } | undefined;
  /**
   * An optional row of one-click choices (the 0–10 scale): a row of buttons in HTML and one line
   * per choice in the text part. `description` is each link's accessible name ("9 out of 10").
   */
  choices?: { items: { label: string; url: string; description: string }[]; lowLabel: string; highLabel: string } | undefined;
  /** Small print under the message, e.g. the unsubscribe line. */
  footer?: { text: string; link?: { label: string; url: string } | undefined } | undefined;
}

/** The logo at the top of an email: a PNG on the published site (see brand-logo.ts), as big as it shows. */
export interface EmailLogo {
  src: string;
  width: number;
  height: number;
  /** The business name, shown where a client does not load the image. */
  alt: string;
}

/** Brand details the layout needs. */
export interface EmailBrand {
  businessName: string;
  primaryColor: string;
  logo?: EmailLogo | null | undefined;
}

/** A rendered message body: a text part and an HTML part. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The business name, after its logo when there is one (width and height set, so nothing moves as it loads). */
function brandHeader(brand: EmailBrand, color: string): string {
  const name = `<p style="margin:0 0 16px;font-weight:700;color:${color}">${escapeHtml(brand.businessName)}</p>`;
  if (!brand.logo) return name;
  const { src, width, height, alt } = brand.logo;
  return `<p style="margin:0 0 8px"><img src="${escapeHtml(src)}" width="${width}" height="${height}" alt="${escapeHtml(alt)}" style="display:block;border:0;width:${width}px;height:${height}px"></p>
${name}`;
}

/** Wraps content in the business's plain, accessible email layout. */
export function renderEmail(content: EmailContent, brand: EmailBrand): RenderedEmail {
  const textParts = [...content.paragraphs];
  if (content.choices) {
    const { items, lowLabel, highLabel } = content.choices;
    textParts.push([`${lowLabel}, ${highLabel}`, ...items.map((item) => `${item.label}: ${item.url}`)].join('\n'));
  }
  if (content.action) textParts.push(`${content.action.label}: ${content.action.url}`);
  textParts.push(`— ${brand.businessName}`);
  if (content.footer) {
    textParts.push(
      content.footer.link ? `${content.footer.text} ${content.footer.link.label}: ${content.footer.link.url}` : content.footer.text,
    );
  }

  // The business name and the button stay readable (4.5:1) whatever the brand colour.
  const readable = readableShade(brand.primaryColor, ['#ffffff'], 4.5);
  const color = escapeHtml(readable);
  const onColor = textOn(readable);
  const paragraphs = content.paragraphs.map((paragraph) => `<p style="margin:0 0 16px">${escapeHtml(paragraph)}</p>`).join('\n');
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:${color};color:${onColor};padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block;font-weight:600">${escapeHtml(content.action.label)}</a></p>`
    : '';
  // A table lays the buttons out the same way in every mail client, Outlook's Word engine included.
  const choices = content.choices
    ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="margin:8px 0 4px;border-collapse:separate;border-spacing:3px 0;table-layout:fixed">
<tr>${content.choices.items
        .map(
          (item) =>
            `<td align="center" style="padding:0"><a href="${escapeHtml(item.url)}" title="${escapeHtml(item.description)}" aria-label="${escapeHtml(item.description)}" style="display:block;background:${color};color:${onColor};padding:10px 0;border-radius:4px;text-decoration:none;font-weight:700;font-size:16px;line-height:20px;text-align:center">${escapeHtml(item.label)}</a></td>`,
        )
        .join('')}</tr>
</table>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="margin:0 0 24px;color:#595959;font-size:13px">
<tr><td align="left">${escapeHtml(content.choices.lowLabel)}</td><td align="right">${escapeHtml(content.choices.highLabel)}</td></tr>
</table>`
    : '';
  const footer = content.footer
    ? `<p style="margin:24px 0 0;color:#595959;font-size:13px">${escapeHtml(content.footer.text)}${
        content.footer.link ? ` <a href="${escapeHtml(content.footer.link.url)}" style="color:#595959">${escapeHtml(content.footer.link.label)}</a>` : ''
      }</p>`
    : '';
  const html = `<!doctype html>
<html lang="${escapeHtml(content.locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<div style="max-width:560px;margin:0 auto;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff;border-top:4px solid ${color}">
${brandHeader(brand, color)}
${paragraphs}
${choices}${action}
${footer}
</div>
</body>
</html>
`;
  return { subject: content.subject, text: `${textParts.join('\n\n')}\n`, html };
}
