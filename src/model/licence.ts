// Licence categories (Law "On Road Traffic", art. 73; kazakhstan.md) and their order, which every
// list of categories follows: pure, so notify/ and the bot can sort what the database returns.
export const LICENCE_CATEGORIES = ["A1", "A", "B1", "B", "BE", "C1", "C", "C1E", "CE", "D1", "D", "D1E", "DE", "Tb", "Tm"] as const;
export type LicenceCategory = (typeof LICENCE_CATEGORIES)[number];

/** The known licence categories among `codes`, in the law's order (unknown codes are dropped). */
export function inLicenceOrder(codes: Iterable<string>): LicenceCategory[] {
  const have = new Set(codes);
  return LICENCE_CATEGORIES.filter((c) => have.has(c));
}
