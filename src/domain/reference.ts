// Fixed vocabularies of the product (kazakhstan.md): licence categories and training formats.
export const LICENCE_CATEGORIES = ["A1", "A", "B1", "B", "BE", "C1", "C", "C1E", "CE", "D1", "D", "D1E", "DE", "Tb", "Tm"] as const;
export type LicenceCategory = (typeof LICENCE_CATEGORIES)[number];

export const TRAINING_FORMATS = ["in_person", "online_theory", "evening", "weekend", "accelerated"] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];

export const FORMAT_NAMES: Record<TrainingFormat, { ru: string; kk: string }> = {
  in_person: { ru: "Очно", kk: "Күндізгі" },
  online_theory: { ru: "Теория онлайн", kk: "Теория онлайн" },
  evening: { ru: "Вечерние группы", kk: "Кешкі топтар" },
  weekend: { ru: "Группы выходного дня", kk: "Демалыс күнгі топтар" },
  accelerated: { ru: "Ускоренный курс", kk: "Жеделдетілген курс" },
};
