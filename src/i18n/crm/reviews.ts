// "Отзывы" (views/pages/crm/reviews.tsx, src/web/routes/crm-reviews.tsx): the reviews of a school or
// an instructor and the public answer; `errors` word the domain's reasons (src/domain/reviews.ts).
import { MAX_REVIEW_TEXT } from "../../model/review.ts";
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";

export const reviewTexts = bilingual({
  ru: {
    title: "Отзывы",
    summary: (average: string, count: number) => `Средняя оценка ${average} из 5, отзывов: ${count}.`,
    none: "Отзывов пока нет. Ученик получает вопрос об оценке на следующий день после завершения обучения.",
    student: "Ученик",
    hidden: "Отзыв скрыт модератором",
    noComment: "Без комментария",
    answer: "Ответить публично",
    yourAnswer: "Ваш ответ",
    send: "Опубликовать ответ",
    answerHint: `Ответ виден всем в боте под отзывом. Ответить можно один раз, до ${MAX_REVIEW_TEXT} символов.`,
    more: "Показать ещё",
    errors: {
      empty: "Напишите ответ.",
      too_long: fieldProblems.ru.tooLong(MAX_REVIEW_TEXT),
      already: "На этот отзыв уже дан ответ.",
      hidden: "Отзыв скрыт модератором: ответить на него нельзя.",
    },
  },
  kk: {
    title: "Пікірлер",
    summary: (average: string, count: number) => `Орташа баға: 5-тен ${average}, пікірлер саны: ${count}.`,
    none: "Әзірге пікір жоқ. Оқу аяқталған соң келесі күні оқушыдан баға қою сұралады.",
    student: "Оқушы",
    hidden: "Пікірді модератор жасырды",
    noComment: "Түсініктемесіз",
    answer: "Жария жауап беру",
    yourAnswer: "Сіздің жауабыңыз",
    send: "Жауапты жариялау",
    answerHint: `Жауапты боттағы пікір астында бәрі көреді. Бір рет қана, ${MAX_REVIEW_TEXT} таңбаға дейін жауап беруге болады.`,
    more: "Тағы көрсету",
    errors: {
      empty: "Жауапты жазыңыз.",
      too_long: fieldProblems.kk.tooLong(MAX_REVIEW_TEXT),
      already: "Бұл пікірге жауап берілген.",
      hidden: "Пікірді модератор жасырды: оған жауап беруге болмайды.",
    },
  },
});
