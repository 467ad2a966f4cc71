// Kazakh case endings on numbers follow the number's last spoken word (src/i18n/kk-numbers.ts).
import { expect, test } from "bun:test";
import { kkFrom, kkTo } from "../../src/i18n/kk-numbers.ts";

test("from / to endings follow the last word read aloud", () => {
  const cases: [number, string, string][] = [
    [0, "0-ден", "0-ге"],
    [1, "1-ден", "1-ге"],
    [3, "3-тен", "3-ке"],
    [6, "6-дан", "6-ға"],
    [10, "10-нан", "10-ға"],
    [15, "15-тен", "15-ке"],
    [24, "24-тен", "24-ке"],
    [30, "30-дан", "30-ға"],
    [40, "40-тан", "40-қа"],
    [50, "50-ден", "50-ге"],
    [60, "60-тан", "60-қа"],
    [80, "80-нен", "80-ге"],
    [90, "90-нан", "90-ға"],
    [100, "100-ден", "100-ге"],
    [168, "168-ден", "168-ге"],
    [200, "200-ден", "200-ге"],
    [240, "240-тан", "240-қа"],
    [1000, "1000-нан", "1000-ға"],
    [5_000_000, "5000000-нан", "5000000-ға"],
  ];
  for (const [n, from, to] of cases) {
    expect(kkFrom(n)).toBe(from);
    expect(kkTo(n)).toBe(to);
  }
});
