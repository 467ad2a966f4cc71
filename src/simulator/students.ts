// The simulated students: fixed Telegram ids in a block real Telegram accounts are unlikely to
// use (990 000 001…), each with a name, a language and a made-up Kazakh mobile number that
// "share contact" sends. Only these chats exist in the simulator; the bot's messages to any
// other chat are refused with Telegram's own "chat not found".

export type SimLanguage = "ru" | "kk";

export interface SimStudent {
  id: number;
  firstName: string;
  lastName: string;
  language: SimLanguage;
}

export const FIRST_SIMULATED_ID = 990_000_001;

export const SIMULATED_STUDENTS: readonly SimStudent[] = [
  { id: 990_000_001, firstName: "Асель", lastName: "Нурланова", language: "ru" },
  { id: 990_000_002, firstName: "Дәулет", lastName: "Серікұлы", language: "kk" },
  { id: 990_000_003, firstName: "Ержан", lastName: "Ахметов", language: "ru" },
  { id: 990_000_004, firstName: "Айгерим", lastName: "Сапарова", language: "kk" },
  { id: 990_000_005, firstName: "Дмитрий", lastName: "Ким", language: "ru" },
  { id: 990_000_006, firstName: "Мадина", lastName: "Оспанова", language: "ru" },
];

export function isSimulatedId(id: number): boolean {
  return Number.isInteger(id) && id >= FIRST_SIMULATED_ID && id < FIRST_SIMULATED_ID + SIMULATED_STUDENTS.length;
}

/** The student's made-up number as Telegram sends it in a shared contact: 7701000000N (no "+"). */
export function phoneOf(id: number): string {
  return `770100000${String(id - FIRST_SIMULATED_ID + 1).padStart(2, "0")}`;
}

/** The same number as people write it: +7 701 000 00 01. */
export function displayPhone(id: number): string {
  const d = phoneOf(id);
  return `+${d[0]} ${d.slice(1, 4)} ${d.slice(4, 7)} ${d.slice(7, 9)} ${d.slice(9, 11)}`;
}
