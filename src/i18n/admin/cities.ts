// The admin's cities: the list and the city form.
import { bilingual } from "../bilingual.ts";

export const cityTexts = bilingual({
  ru: {
    order: "Порядок",
    nameRu: "Название (рус.)",
    nameKk: "Название (каз.)",
    none: "Городов пока нет. Заполните их командой bun run seed:cities или добавьте ниже.",
    add: "Добавить город",
    sort: "Порядок в списке",
    sortHint: "Меньше — выше в боте.",
    activeLabel: "Активен (виден в боте)",
    allCities: "← Все города",
  },
  kk: {
    order: "Реті",
    nameRu: "Атауы (орысша)",
    nameKk: "Атауы (қазақша)",
    none: "Әзірге қала жоқ. Оларды bun run seed:cities командасымен толтырыңыз немесе төменде қосыңыз.",
    add: "Қала қосу",
    sort: "Тізімдегі реті",
    sortHint: "Саны аз болған сайын, ботта жоғары тұрады.",
    activeLabel: "Белсенді (ботта көрінеді)",
    allCities: "← Барлық қалалар",
  },
});
