// The small parts staff pages share (views/components: pager, placeholder list): their words.
import { bilingual } from "../bilingual.ts";

export const componentTexts = bilingual({
  ru: {
    pages: "Страницы",
    page: (n: number) => `Страница ${n}`,
    prev: "← Назад",
    next: "Дальше →",
    placeholders: "Подстановки",
    /** What each placeholder of src/model/placeholders.ts stands for. */
    placeholderMeanings: {
      "{имя}": "имя студента",
      "{номер}": "номер заявки",
      "{курс}": "курс или занятие, на которое подана заявка",
      "{цена}": "цена курса (у инструктора — за час)",
      "{телефон}": "ваш телефон",
      "{whatsapp}": "ваш WhatsApp",
      "{название}": "название автошколы или имя инструктора",
      "{kaspi}": "ссылка на оплату Kaspi",
      "{halyk}": "ссылка на оплату Halyk",
      "{причина}": "причина отказа, которую вы укажете",
    } as Record<string, string>,
  },
  kk: {
    pages: "Беттер",
    page: (n: number) => `${n}-бет`,
    prev: "← Артқа",
    next: "Әрі қарай →",
    placeholders: "Алмастырулар",
    placeholderMeanings: {
      "{имя}": "оқушының аты",
      "{номер}": "өтінім нөмірі",
      "{курс}": "өтінім берілген курс немесе сабақ",
      "{цена}": "курс бағасы (нұсқаушыда — бір сағат үшін)",
      "{телефон}": "сіздің телефоныңыз",
      "{whatsapp}": "сіздің WhatsApp нөміріңіз",
      "{название}": "автомектептің атауы немесе нұсқаушының аты",
      "{kaspi}": "Kaspi арқылы төлеу сілтемесі",
      "{halyk}": "Halyk арқылы төлеу сілтемесі",
      "{причина}": "сіз көрсететін бас тарту себебі",
    },
  },
});
