// The CRM's settings screens both areas share: reply templates, automatic messages and the staff
// member's Telegram link, in both languages, with the problems of what a school writes
// (src/domain/templates.ts TextProblem).
import type { Language } from "../../db/schema.ts";
import type { TextProblem } from "../../domain/templates.ts";
import { PLACEHOLDERS, REASON_MEANING, type Placeholder } from "../../model/placeholders.ts";
import { bilingual } from "../bilingual.ts";
import { fieldProblems } from "./components.ts";

export const settingsTexts = bilingual({
  ru: {
    save: "Сохранить",
    saved: "Сохранено.",
    remove: "Удалить",
    textRu: "Текст (русский)",
    textKk: "Текст (казахский)",
    kkHint: "Необязательно. Ученик получит текст на своём языке, а если второго нет — тот, что есть.",
    placeholders: "Подстановки",
    /** What each placeholder means (the model's Russian words). */
    placeholderMeanings: PLACEHOLDERS as Record<Exclude<Placeholder, "{причина}">, string>,
    templates: {
      title: "Шаблоны ответов",
      name: "Название",
      add: "Добавить шаблон",
      removeConfirm: "Удалить шаблон?",
      newOne: "Новый шаблон",
      added: "Шаблон добавлен.",
      saved: "Шаблон сохранён.",
      removed: "Шаблон удалён.",
      notFound: "Шаблон не найден.",
    },
    auto: {
      title: "Автоматические сообщения",
      intro: "Что ученик получает в Telegram, когда приходит его заявка и когда вы меняете её статус. Пустой текст — встроенное сообщение бота. Ученик получит текст на своём языке; если написан только один язык — его.",
      newApplication: "Новая заявка",
      status: (name: string) => `Статус «${name}»`,
      readers: { ru: "Ученик, выбравший русский", kk: "Ученик, выбравший казахский" } as Record<Language, string>,
      emptiedNoMessage: "После подстановок текст пуст (например, в профиле нет ссылки Kaspi): ученик получит только подтверждение заявки от бота.",
      noMessage: "Своего текста нет: ученик получит только подтверждение заявки от бота.",
      emptiedBuiltIn: "После подстановок текст пуст (например, в профиле нет ссылки Kaspi): встроенное сообщение.",
      builtIn: "Своего текста нет: встроенное сообщение.",
      otherLanguage: { ru: "Текста на этом языке нет: ученик получит текст на русском.", kk: "Текста на этом языке нет: ученик получит текст на казахском." } as Record<Language, string>,
      reasonHint: (placeholder: string) => `Здесь можно и ${placeholder}: ${REASON_MEANING}. Если его нет, причина будет добавлена в конце.`,
      reasonMeaning: `${REASON_MEANING} (только для отказа)`,
    },
    telegram: {
      title: "Telegram",
      intro: "Привяжите свой Telegram: бот будет сразу присылать новые заявки с кнопкой для открытия, а по команде /login — ссылку для входа в CRM в одно касание.",
      linked: "Telegram привязан.",
      notLinked: "Telegram не привязан.",
      sendCommand: (until: string) => `Отправьте боту команду (код действует до ${until}):`,
      orOpen: "или откройте ссылку:",
      relink: "Привязать другой аккаунт",
      getCode: "Получить код",
      unlink: "Отвязать",
    },
    problems: {
      tooLong: fieldProblems.ru.tooLong,
      unknownPlaceholders: (list: string) => `Неизвестные подстановки: ${list}.`,
      titleMissing: "Укажите название шаблона.",
      bodyMissing: "Напишите текст шаблона.",
    },
  },
  kk: {
    save: "Сақтау",
    saved: "Сақталды.",
    remove: "Жою",
    textRu: "Мәтін (орысша)",
    textKk: "Мәтін (қазақша)",
    kkHint: "Міндетті емес. Оқушы мәтінді өз тілінде алады, ал екіншісі болмаса — барын.",
    placeholders: "Қойылатын мәндер",
    placeholderMeanings: {
      "{имя}": "оқушының аты",
      "{номер}": "өтінім нөмірі",
      "{курс}": "өтінім берілген курс немесе сабақ",
      "{цена}": "курс бағасы (нұсқаушыда — бір сағат үшін)",
      "{телефон}": "сіздің телефоныңыз",
      "{whatsapp}": "сіздің WhatsApp-ыңыз",
      "{название}": "автомектептің атауы немесе нұсқаушының аты",
      "{kaspi}": "Kaspi арқылы төлем сілтемесі",
      "{halyk}": "Halyk арқылы төлем сілтемесі",
    },
    templates: {
      title: "Жауап үлгілері",
      name: "Атауы",
      add: "Үлгі қосу",
      removeConfirm: "Үлгіні жою керек пе?",
      newOne: "Жаңа үлгі",
      added: "Үлгі қосылды.",
      saved: "Үлгі сақталды.",
      removed: "Үлгі жойылды.",
      notFound: "Үлгі табылмады.",
    },
    auto: {
      title: "Автоматты хабарламалар",
      intro: "Өтінім келгенде және сіз оның мәртебесін өзгерткенде оқушы Telegram-да не алады. Бос мәтін — боттың кіріктірілген хабарламасы. Оқушы мәтінді өз тілінде алады; тек бір тілде жазылса — соны.",
      newApplication: "Жаңа өтінім",
      status: (name: string) => `«${name}» мәртебесі`,
      readers: { ru: "Орыс тілін таңдаған оқушы", kk: "Қазақ тілін таңдаған оқушы" },
      emptiedNoMessage: "Мәндер қойылғаннан кейін мәтін бос қалды (мысалы, профильде Kaspi сілтемесі жоқ): оқушы боттан тек өтінімнің расталғанын алады.",
      noMessage: "Өз мәтініңіз жоқ: оқушы боттан тек өтінімнің расталғанын алады.",
      emptiedBuiltIn: "Мәндер қойылғаннан кейін мәтін бос қалды (мысалы, профильде Kaspi сілтемесі жоқ): кіріктірілген хабарлама.",
      builtIn: "Өз мәтініңіз жоқ: кіріктірілген хабарлама.",
      otherLanguage: { ru: "Бұл тілде мәтін жоқ: оқушы орысша мәтінді алады.", kk: "Бұл тілде мәтін жоқ: оқушы қазақша мәтінді алады." },
      reasonHint: (placeholder: string) => `Мұнда ${placeholder} да болады: сіз көрсететін қабылдамау себебі. Ол болмаса, себеп соңына қосылады.`,
      reasonMeaning: "сіз көрсететін қабылдамау себебі (тек қабылдамағанда)",
    },
    telegram: {
      title: "Telegram",
      intro: "Telegram-ды байланыстырыңыз: бот жаңа өтінімдерді ашу батырмасымен бірден жібереді, ал /login командасы бойынша — CRM-ге бір рет басып кіру сілтемесін.",
      linked: "Telegram байланыстырылған.",
      notLinked: "Telegram байланыстырылмаған.",
      sendCommand: (until: string) => `Ботқа мына команданы жіберіңіз (кодтың жарамдылық мерзімі: ${until}):`,
      orOpen: "немесе сілтемені ашыңыз:",
      relink: "Басқа аккаунтты байланыстыру",
      getCode: "Код алу",
      unlink: "Ажырату",
    },
    problems: {
      tooLong: fieldProblems.kk.tooLong,
      unknownPlaceholders: (list: string) => `Белгісіз қойылатын мәндер: ${list}.`,
      titleMissing: "Үлгінің атауын көрсетіңіз.",
      bodyMissing: "Үлгінің мәтінін жазыңыз.",
    },
  },
});

/** A problem of a template's or an automatic message's field in the language. */
export function textProblemText(p: TextProblem, language: Language): string {
  const say = settingsTexts[language].problems;
  switch (p.code) {
    case "tooLong":
      return say.tooLong(p.max);
    case "unknownPlaceholders":
      return say.unknownPlaceholders(p.placeholders.join(", "));
    default:
      return say[p.code];
  }
}

/** Every field's problem in the language. */
export const textProblemsText = (errors: Partial<Record<string, TextProblem>>, language: Language): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).flatMap(([field, p]) => (p ? [[field, textProblemText(p, language)]] : [])));
