import { MASKED_VALUE } from '@backstage-traces/plugin-traces-common';

/** Header values that name things rather than grant access are scrubbed too: harmless. */
const MIN_SECRET_LENGTH = 4;

/**
 * Scrubs configured credentials out of upstream text (error bodies, client error messages)
 * before it reaches an answer or a log line: a proxy or Tempo itself may echo the request,
 * headers included. Each secret is also looked for in the forms it travels in: the token of
 * `Basic`/`Bearer` values, the `user:password` inside a Basic token and the password alone,
 * base64 (standard and URL-safe, with and without padding) and percent-encoding.
 */
export class SecretScrubber {
  private readonly pattern?: RegExp;

  static fromHeaders(
    headers: Record<string, string>,
    extra: Array<string | undefined> = [],
  ): SecretScrubber {
    return new SecretScrubber([...Object.values(headers), ...extra]);
  }

  constructor(secrets: Array<string | undefined>) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      for (const form of variantsOf(secret?.trim() ?? '')) {
        if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
      }
    }
    // Longest first, so that a whole header value goes before a part of it.
    const sources = [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    this.pattern = sources.length
      ? new RegExp(sources.join('|'), 'g')
      : undefined;
  }

  scrub(text: string): string {
    return this.pattern ? text.replace(this.pattern, MASKED_VALUE) : text;
  }
}

function variantsOf(value: string): string[] {
  if (!value) return [];
  const plain = new Set<string>([value]);
  const scheme = /^(Basic|Bearer|Token|ApiKey)\s+(\S+)$/i.exec(value);
  if (scheme) {
    plain.add(scheme[2]);
    if (scheme[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(scheme[2], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        plain.add(decoded);
        plain.add(decoded.slice(colon + 1));
      }
    }
  }
  const out = new Set<string>();
  for (const form of plain) {
    out.add(form);
    out.add(encodeURIComponent(form));
    const base64 = Buffer.from(form).toString('base64');
    out.add(base64);
    out.add(base64.replace(/=+$/, ''));
    out.add(Buffer.from(form).toString('base64url'));
  }
  return [...out];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
