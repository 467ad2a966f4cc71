// The admin's reviews: the list with Hide / Show.
import { bilingual } from "../bilingual.ts";

export const reviewTexts = bilingual({
  ru: {
    schoolId: "Автошкола (id)",
    instructorId: "Инструктор (id)",
    date: "Дата",
    to: "Кому",
    rating: "Оценка",
    comment: "Комментарий",
    author: "Автор",
    reply: "Ответ",
    none: "Отзывов нет.",
    noName: "без имени",
    anonymous: " (анонимно)",
    hidden: "скрыт",
    visible: "виден",
    show: "Показать",
    hide: "Скрыть",
  },
  kk: {
    schoolId: "Автомектеп (id)",
    instructorId: "Нұсқаушы (id)",
    date: "Күні",
    to: "Кімге",
    rating: "Бағасы",
    comment: "Түсініктеме",
    author: "Авторы",
    reply: "Жауап",
    none: "Пікір жоқ.",
    noName: "аты жоқ",
    anonymous: " (анонимді)",
    hidden: "жасырылған",
    visible: "көрінеді",
    show: "Көрсету",
    hide: "Жасыру",
  },
});
