// The small parts staff pages share: the pager's words (views/components) and the problems any
// text field can have, said alike on every screen.
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

/** A text field's problems, shown next to the field (which names what is too long). */
export const fieldProblems = bilingual({
  ru: {
    tooLong: (max: number) => `Не длиннее ${max} символов.`,
    /** A reason staff give for refusing or cancelling: it goes to the student in the bot. */
    reasonRequired: "Напишите причину: ученик получит её в боте.",
  },
  kk: {
    tooLong: (max: number) => `${max} таңбадан аспауы керек.`,
    reasonRequired: "Себебін жазыңыз: оқушы оны ботта алады.",
  },
});
