// Fixed vocabularies of the product (kazakhstan.md): licence categories and training formats.
// The categories live in the model (notify/ sorts by them too); re-exported for the existing importers.
export { inLicenceOrder, LICENCE_CATEGORIES, type LicenceCategory } from "../model/licence.ts";

export const TRAINING_FORMATS = ["in_person", "online_theory", "evening", "weekend", "accelerated"] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];

export const FORMAT_NAMES: Record<TrainingFormat, { ru: string; kk: string }> = {
  in_person: { ru: "Очно", kk: "Күндізгі" },
  online_theory: { ru: "Теория онлайн", kk: "Теория онлайн" },
  evening: { ru: "Вечерние группы", kk: "Кешкі топтар" },
  weekend: { ru: "Группы выходного дня", kk: "Демалыс күнгі топтар" },
  accelerated: { ru: "Ускоренный курс", kk: "Жеделдетілген курс" },
};
