/**
 * A link or picture from platform data (a customer's profile, an attachment) only when it is a web address: anything
 * else (`javascript:`, `data:`, a relative path) is not shown as a link.
 */
export function webUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
