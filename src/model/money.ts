// Tenge amounts: how they are written for people and read back from a form. Amounts are whole
// tenge (prices are never quoted in tiyn).

/** A whole number of tenge from 0 to `max`, written with or without spaces or ₸ ("180 000 ₸"), or null. */
export function parseAmount(raw: string, max: number): number | null {
  const s = raw.replace(/[\s\u00a0\u202f₸]/g, "");
  if (!/^\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}
