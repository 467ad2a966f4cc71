// The cities of Kazakhstan the product starts with (kazakhstan.md): the three cities of
// republican significance, the 17 regional centres, then three more large cities.
import type { Db } from "../client.ts";
import { cities } from "../schema.ts";

export const KAZAKH_CITIES: { ru: string; kk: string }[] = [
  { ru: "Астана", kk: "Астана" },
  { ru: "Алматы", kk: "Алматы" },
  { ru: "Шымкент", kk: "Шымкент" },
  { ru: "Караганда", kk: "Қарағанды" },
  { ru: "Актобе", kk: "Ақтөбе" },
  { ru: "Тараз", kk: "Тараз" },
  { ru: "Павлодар", kk: "Павлодар" },
  { ru: "Усть-Каменогорск", kk: "Өскемен" },
  { ru: "Семей", kk: "Семей" },
  { ru: "Атырау", kk: "Атырау" },
  { ru: "Костанай", kk: "Қостанай" },
  { ru: "Кызылорда", kk: "Қызылорда" },
  { ru: "Уральск", kk: "Орал" },
  { ru: "Петропавловск", kk: "Петропавл" },
  { ru: "Актау", kk: "Ақтау" },
  { ru: "Туркестан", kk: "Түркістан" },
  { ru: "Кокшетау", kk: "Көкшетау" },
  { ru: "Талдыкорган", kk: "Талдықорған" },
  { ru: "Конаев", kk: "Қонаев" },
  { ru: "Жезказган", kk: "Жезқазған" },
  { ru: "Темиртау", kk: "Теміртау" },
  { ru: "Экибастуз", kk: "Екібастұз" },
  { ru: "Рудный", kk: "Рудный" },
];

/** Inserts the cities that are missing; returns how many it inserted (0 on a second run). */
export async function seedCities(db: Db): Promise<number> {
  const rows = KAZAKH_CITIES.map((c, i) => ({ nameRu: c.ru, nameKk: c.kk, sort: (i + 1) * 10 }));
  const inserted = await db
    .insert(cities)
    .values(rows)
    .onConflictDoNothing({ target: cities.nameRu })
    .returning({ id: cities.id });
  return inserted.length;
}
