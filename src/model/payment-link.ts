// The payment links a school or an instructor shares (no payment API: the product only shows them).

/** Hosts each payment link must point to (the bank's own domains). */
export const PAYMENT_HOSTS = { kaspi: ["kaspi.kz"], halyk: ["halykbank.kz", "homebank.kz"] } as const;

/** An https link on one of `hosts` (or their subdomains), or null. */
export function paymentLink(raw: string, hosts: readonly string[]): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== "https:" || u.username || u.password || u.port) return null;
    const host = u.hostname.toLowerCase();
    return hosts.some((h) => host === h || host.endsWith("." + h)) ? u.toString() : null;
  } catch {
    return null;
  }
}
