// What every staff page shares (issue 17): the areas' names, their menus, logout and the language switch.
import { bilingual } from "../bilingual.ts";

export const areaTexts = bilingual({
  ru: {
    // The one label of each kind of account (admin tables, the CSV, roles use these too).
    school: "Автошкола",
    instructor: "Инструктор",
    admin: "Администрирование",
    sections: "Разделы",
    menu: "Меню",
    logout: "Выйти",
    language: "Язык",
    nav: {
      applications: "Заявки",
      stats: "Статистика",
      availability: "Расписание",
      lessons: "Занятия",
      week: "Неделя",
      templates: "Шаблоны",
      autoReplies: "Автосообщения",
      profile: "Профиль",
      lessonRules: "Правила занятий",
      reviews: "Отзывы",
      telegram: "Telegram",
    },
    adminNav: {
      dashboard: "Сводка",
      applications: "Заявки",
      students: "Ученики",
      schools: "Автошколы",
      instructors: "Инструкторы",
      cities: "Города",
      accounts: "Аккаунты CRM",
      reviews: "Отзывы",
      audit: "Журнал",
    },
  },
  kk: {
    school: "Автомектеп",
    instructor: "Нұсқаушы",
    admin: "Әкімшілік",
    sections: "Бөлімдер",
    menu: "Мәзір",
    logout: "Шығу",
    language: "Тіл",
    nav: {
      applications: "Өтінімдер",
      stats: "Статистика",
      availability: "Кесте",
      lessons: "Сабақтар",
      week: "Апта",
      templates: "Үлгілер",
      autoReplies: "Автохабарламалар",
      profile: "Профиль",
      lessonRules: "Сабақ ережелері",
      reviews: "Пікірлер",
      telegram: "Telegram",
    },
    adminNav: {
      dashboard: "Шолу",
      applications: "Өтінімдер",
      students: "Оқушылар",
      schools: "Автомектептер",
      instructors: "Нұсқаушылар",
      cities: "Қалалар",
      accounts: "CRM аккаунттары",
      reviews: "Пікірлер",
      audit: "Журнал",
    },
  },
});

/** The two languages as the switch names them, each in itself. */
export const LANGUAGE_NAMES = { ru: "Русский", kk: "Қазақша" } as const;
