// The lesson screens' words now live in src/i18n/crm/lessons.ts (both languages, picked by the
// page's language). LT (the Russian half) stays only for the application page until it passes its
// language too (issue 17, another part); delete this file then.
import { lessonTexts } from "../../../src/i18n/crm/lessons.ts";

export const LESSON_TEXTS = lessonTexts;

/** @deprecated Pass the page's language: lessonTexts[language]. */
export const LT = lessonTexts.ru;
