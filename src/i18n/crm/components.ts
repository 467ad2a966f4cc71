// The small parts staff pages share (views/components: the pager): their words.
import { bilingual } from "../bilingual.ts";

export const componentTexts = bilingual({
  ru: {
    pages: "Страницы",
    page: (n: number) => `Страница ${n}`,
    prev: "← Назад",
    next: "Дальше →",
  },
  kk: {
    pages: "Беттер",
    page: (n: number) => `${n}-бет`,
    prev: "← Артқа",
    next: "Әрі қарай →",
  },
});
