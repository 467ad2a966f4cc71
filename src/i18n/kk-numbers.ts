// A Kazakh case ending on a number written in digits follows the last word the number is read as:
// 15 "он бес" → 15-тен, 15-ке; 30 "отыз" → 30-дан, 30-ға; 1000 "мың" → 1000-нан, 1000-ға.
// Writing "-ден"/"-ге" after every number (as a Russian "от … до" translated word by word would)
// is wrong for most of them.

/** The ablative ("from") and dative ("to") endings of each word a number can end with. */
const ENDINGS: Record<string, readonly [from: string, to: string]> = {
  нөл: ["ден", "ге"],
  бір: ["ден", "ге"],
  екі: ["ден", "ге"],
  үш: ["тен", "ке"],
  төрт: ["тен", "ке"],
  бес: ["тен", "ке"],
  алты: ["дан", "ға"],
  жеті: ["ден", "ге"],
  сегіз: ["ден", "ге"],
  тоғыз: ["дан", "ға"],
  он: ["нан", "ға"],
  жиырма: ["дан", "ға"],
  отыз: ["дан", "ға"],
  қырық: ["тан", "қа"],
  елу: ["ден", "ге"],
  алпыс: ["тан", "қа"],
  жетпіс: ["тен", "ке"],
  сексен: ["нен", "ге"],
  тоқсан: ["нан", "ға"],
  жүз: ["ден", "ге"],
  мың: ["нан", "ға"],
  миллион: ["нан", "ға"],
};

const UNITS = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"];
const TENS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"];

/** The last word of a whole number read aloud in Kazakh. */
function lastWord(n: number): string {
  const v = Math.abs(Math.trunc(n));
  if (v === 0) return "нөл";
  if (v % 10) return UNITS[v % 10]!;
  if (Math.floor(v / 10) % 10) return TENS[Math.floor(v / 10) % 10]!;
  if (Math.floor(v / 100) % 10) return "жүз";
  if (Math.floor(v / 1000) % 1000) return "мың";
  return "миллион";
}

/** "15-тен", "30-дан": the number with the ending of "from". */
export const kkFrom = (n: number): string => `${n}-${ENDINGS[lastWord(n)]![0]}`;

/** "15-ке", "30-ға": the number with the ending of "to". */
export const kkTo = (n: number): string => `${n}-${ENDINGS[lastWord(n)]![1]}`;
