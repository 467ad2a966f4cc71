// Inline keyboards built from domain rows; texts come from i18n.
import { InlineKeyboard } from "gramio";
import type { Language } from "../db/schema.ts";
import { cityData } from "./callback-data.ts";

export function cityKeyboard(cities: { id: number; nameRu: string; nameKk: string }[], language: Language) {
  const kb = new InlineKeyboard();
  cities.forEach((c, i) => {
    kb.text(language === "kk" ? c.nameKk : c.nameRu, cityData.pack({ id: c.id }));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}
