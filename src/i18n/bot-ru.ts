// Russian texts of the student bot. bot-kk.ts has the same keys, nested ones included (the type
// checks it: a missing Kazakh text does not compile; look names up with nameOf()).
import type { LessonRefusal } from "../domain/lessons.ts";
import type { LicenceCategory } from "../domain/reference.ts";
import type { OfferKind } from "../db/schema.ts";
import { ru } from "./ru.ts";

/** The parts of an offer's line, already written for people (price formatted, format named). */
export interface OfferWords {
  category: string;
  format: string;
  price: string;
  weeks: number;
  hours: number | null;
}
// Anything a person typed (school names, addresses, student names) is escaped by the caller:
// messages use Telegram's HTML parse mode.
export const botRu = {
  greeting: (name: string) =>
    `Здравствуйте${name ? `, ${name}` : ""}! Я AvtoMat — помогу найти автошколу или инструктора в Казахстане.`,
  licenceQuestion: "У вас есть водительское удостоверение?",
  licenceNo: "Нет, хочу учиться в автошколе",
  licenceYes: "Да, нужен инструктор",
  licenceCertificate: "Есть свидетельство автошколы, прав ещё нет",
  certificateQuestion: "Чем помочь после автошколы?",
  certPractice: "Дополнительная практика вождения",
  certFullCourse: "Полный курс в автошколе",
  certTestPrep: "Подготовка к теоретическому экзамену",
  chooseCity: "Выберите ваш город:",
  noCities: "Пока ни в одном городе нет подходящих предложений. Загляните чуть позже.",
  chooseCategory: "Какая категория прав вам нужна?",
  noCategories: "В этом городе пока нет подходящих предложений. Нажмите «← Назад», чтобы выбрать другой город.",
  chooseFormat: (category: string) => `Категория ${category}. Какой формат обучения удобнее?`,
  schoolsTitle: (from: number, to: number, total: number) => `Автошколы (${from}–${to} из ${total}):`,
  noSchools: "Подходящих автошкол пока нет. Нажмите «← Назад», чтобы изменить выбор.",
  schoolLine: (n: number, name: string, terms: string, address: string, trust: string) => `${n}. <b>${name}</b> — ${terms}\n    ${address}\n    ${trust}`,
  schoolTerms: (price: string, weeks: number) => `от ${price}, ${weeks} нед.`,
  schoolTermsPractice: (price: string, hours: number | null) => `практика от ${price}${hours ? `, от ${hours} ч` : ""}`,
  // null: no index yet, or not enough data for it (the "мало данных" rule, docs/analytics.md).
  trust: (value: number | null) => (value === null ? `Индекс доверия: ${ru.trustNew.school}` : `Индекс доверия: ${value}/100`),
  trustStrong: (parts: string) => `Сильные стороны: ${parts}.`,
  trustWeak: (parts: string) => `Слабые стороны: ${parts}.`,
  // The trust index's parts in plain words (src/notify/catalog.ts trustParts), from their measures.
  trustPart: {
    speed: (time: string) => `отвечает в среднем за ${time}`,
    answered: (pct: number) => `отвечает на ${pct} % заявок`,
    confirmed: (pct: number) => `подтверждает ${pct} % заявок`,
    accepted: (pct: number) => `принимает ${pct} % заявок`,
    paid: (pct: number) => `${pct} % учеников подтвердили оплату`,
    reviews: (avg: string) => `средняя оценка учеников — ${avg} из 5`,
    kept: (pct: number) => `проводит ${pct} % назначенных занятий`,
  },
  schoolCard: (name: string, address: string, phone: string, description: string, trust: string) =>
    `<b>${name}</b>\n${address}\n${phone}\n\n${description}\n\n${trust}`,
  // An offer in one line, a button's label too ("Записаться: …"): short, no markup, each kind its own words.
  offerLine: {
    full_course: (o: OfferWords) => `${o.category}, ${o.format} — ${o.price}, ${o.weeks} нед.`,
    practice: (o: OfferWords) => `Практика ${o.category}${o.hours ? `, ${o.hours} ч` : ""} — ${o.price}`,
    test_prep: (o: OfferWords) => `Подготовка к теории ${o.category} — ${o.price}, ${o.weeks} нед.`,
  } satisfies Record<OfferKind, (o: OfferWords) => string>,
  offerKindNames: { full_course: "Полный курс", practice: "Практика вождения", test_prep: "Подготовка к теоретическому экзамену" } satisfies Record<OfferKind, string>,
  offerIncludes: (includes: string) => `В цену входит: ${includes}`,
  applyTo: (offer: string) => `Записаться: ${offer}`,
  noOffers: "У этой автошколы сейчас нет подходящих курсов.",
  chooseTransmission: "Какая коробка передач?",
  noInstructors: "Подходящих инструкторов пока нет. Нажмите «← Назад», чтобы изменить выбор.",
  instructorsTitle: (from: number, to: number, total: number) => `Инструкторы (${from}–${to} из ${total}):`,
  instructorLine: (n: number, name: string, car: string, price: string, teaches: string, where: string, rating: string) =>
    `${n}. <b>${name}</b> — ${car}, ${price}/час\n    ${teaches}\n    ${where}, ${rating}`,
  independent: "частный инструктор",
  fromSchool: (school: string) => `автошкола «${school}»`,
  rating: (value: number | null) => (value === null ? `рейтинг: ${ru.trustNew.instructor}` : `рейтинг: ${value}/100`),
  instructorCard: (name: string, car: string, teaches: string, price: string, where: string, rating: string) =>
    `<b>${name}</b>\n${car ? `${car}\n` : ""}${teaches}\n${price} за час\n${where}\n${rating}`,
  // Where lessons start (an instructor's meeting point), on the card under the school.
  instructorMeetingPoint: (place: string) => `Место встречи: ${place}`,
  instructorTeaches: (categories: string, transmission: string) => `Категории: ${categories} · Коробка: ${transmission}`,
  chooseTimeButton: "Выбрать время",
  chooseDay: "Выберите день занятия (время местное):",
  chooseTime: (day: string) => `${day}: выберите время.`,
  noSlots: "Свободных окон в ближайшие две недели нет. Когда вам удобнее заниматься?",
  dayparts: { morning: "Утром", afternoon: "Днём", evening: "Вечером" },
  // ---- waitlist (issue 15, part "waitlist") ----
  waitlistButton: "Нет подходящего времени — в лист ожидания",
  waitlistChooseDay: "Лист ожидания: выберите день (время местное).",
  waitlistChoosePart: (day: string) => `${day}: какое время вам подойдёт?`,
  waitlistParts: { morning: "Утро", afternoon: "День", evening: "Вечер", day: "Любое время" },
  // ---- end waitlist ----
  slotTaken: "Это время только что заняли. Выберите другое:",
  askPhone: "Отправьте номер телефона кнопкой ниже или введите его, например +7 701 234 56 78.",
  shareContact: "📱 Отправить мой номер",
  badPhone: "Не похоже на казахстанский номер. Введите, например, +7 701 234 56 78 или 8 701 234 56 78.",
  phoneSaved: (phone: string) => `Номер ${phone} сохранён.`,
  askName: "Как к вам обращаться? Нажмите на имя или напишите другое.",
  badName: "Напишите имя буквами, от 2 до 60 символов.",
  // The summary before Confirm: everything the student signs up for (empty parts are left out).
  // A name that already says "автошкола" is shown alone (no "Автошкола: Автошкола «Жол»").
  summarySchoolLine: (name: string, namesItself: boolean) => (namesItself ? `<b>${name}</b>` : `Автошкола: <b>${name}</b>`),
  summarySchool: (a: { school: string; course: string; duration: string; price: string; includes: string; name: string; phone: string }) =>
    [
      "Проверьте заявку:\n",
      a.school,
      `Курс: ${a.course}`,
      a.duration && `Срок: ${a.duration}`,
      `Цена: ${a.price}`,
      a.includes && `В цену входит: ${a.includes}`,
      `Имя: ${a.name}`,
      `Телефон: ${a.phone}`,
    ].filter(Boolean).join("\n"),
  summaryDuration: (weeks: number | null, hours: number | null) => [weeks ? `${weeks} нед.` : "", hours ? `${hours} ч вождения` : ""].filter(Boolean).join(", "),
  summaryInstructor: (a: { instructor: string; category: string; time: string; price: string; name: string; phone: string }) =>
    `Проверьте заявку:\n\nИнструктор: <b>${a.instructor}</b>${a.category ? `\nКатегория: ${a.category}` : ""}\nВремя: ${a.time}\nЦена: ${a.price}\nИмя: ${a.name}\nТелефон: ${a.phone}`,
  slotLength: (time: string, minutes: number) => `${time}, ${minutes} мин`,
  hourPrice: (perHour: string) => `${perHour} за час`,
  slotPrice: (perHour: string, minutes: number, total: string) => `${perHour} за час; за занятие ${minutes} мин — ${total}`,
  confirm: "✅ Подтвердить",
  changePhone: "Изменить телефон",
  changeName: "Изменить имя",
  submitted: (number: string) => `Заявка № ${number} отправлена!`,
  contactsOf: (name: string, address: string, phone: string) => `<b>${name}</b>\n${address}\nТелефон: ${phone}`,
  whatsapp: "Написать в WhatsApp",
  whatsappText: (number: string, course: string) => `Здравствуйте! Пишу по заявке № ${number} из AvtoMat: ${course}.`,
  payKaspi: "Оплатить через Kaspi",
  payHalyk: "Оплатить через Halyk",
  whatNext: "Что дальше: с вами свяжутся в ближайшее время. Статус заявки придёт сюда, все заявки — /my.",
  alreadySubmitted: (number: string) => `Эта заявка уже отправлена (№ ${number}). Все заявки — /my.`,
  blocked: "Вы не можете оставлять заявки через AvtoMat. Если это ошибка, напишите в поддержку.",
  keyboardClosed: "Хорошо.",
  back: "← Назад",
  prevPage: "‹ Пред.",
  nextPage: "След. ›",
  notYourContact: "Это контакт другого человека. Отправьте свой номер кнопкой ниже или введите его.",
  // ---- flows that stay right on every path (issue 18) ----
  chooseCityCounted: (what: "schools" | "instructors" | "both") =>
    `Выберите ваш город:\n<i>в скобках — сколько ${what === "schools" ? "автошкол" : what === "instructors" ? "инструкторов" : "автошкол и инструкторов"}; города, где их пока нет, не показаны.</i>`,
  choosePracticeCategory: "На какой категории нужна практика?",
  choosePracticeProvider: (category: string) => `Практика категории ${category}. Где заниматься?`,
  practiceWith: { school: (n: number) => `В автошколе (${n})`, instructor: (n: number) => `С инструктором (${n})` },
  duplicateAsk: (number: string, status: string) => `У вас уже есть заявка № ${number} сюда (статус: ${status}). Открыть её?`,
  duplicateOpen: (number: string) => `Открыть заявку № ${number}`,
  duplicateNew: "Подать ещё одну заявку",
  duplicateGone: "Прежней заявки уже нет — можно подать новую.",
  duplicateOpened: (number: string, status: string) => `Ваша заявка № ${number}, статус: ${status}.`,
  useButtons: "Пожалуйста, выберите вариант кнопкой ниже.",
  unsupported: "Здесь я понимаю только текст и кнопки.",
  howToStart: "Чтобы подобрать автошколу или инструктора и оставить заявку, нажмите /start. Ваши заявки — /my, справка — /help.",
  privateOnly: "Я работаю только в личных сообщениях.",
  cancelled: "Хорошо, остановились. Чтобы начать заново, нажмите /start.",
  outdatedButton: "Эта кнопка устарела — показываю актуальный шаг.",
  sorry: "Что-то пошло не так. Попробуйте ещё раз через минуту или нажмите /start.",
  slowDown: "Слишком много сообщений подряд — часть из них я пропустил. Подождите немного и отправьте ещё раз то, что важно.",
  myTitle: "Ваши заявки:",
  myEmpty: "У вас пока нет заявок. Нажмите /start, чтобы подобрать автошколу или инструктора.",
  myLine: (number: string, target: string, status: string, date: string) => `№ ${number} — ${target}, ${date}: ${status}`,
  cancelApplication: (number: string) => `Отменить № ${number}`,
  applicationCancelled: (number: string) => `Заявка № ${number} отменена.`,
  cannotCancel: "Эту заявку уже нельзя отменить.",
  chooseLanguage: "Выберите язык:",
  languageSet: "Готово, язык — русский.",
  // The command menu (setMyCommands) and /help's list, in this order.
  commands: { start: "Подобрать автошколу или инструктора", my: "Мои занятия и заявки", lang: "Язык / Тіл", cancel: "Остановить подбор", help: "Справка и поддержка" },
  helpAbout:
    "AvtoMat помогает найти автошколу или инструктора по вождению в Казахстане.\n\n" +
    "• Выберите автошколу или инструктора в своём городе и оставьте заявку — всё кнопками.\n" +
    "• После заявки просто пишите сюда: сообщения получит автошкола или инструктор, ответы придут в этот чат.\n" +
    "• Сюда же приходят статус заявки и напоминания о занятиях; перенести или отменить занятие можно в /my.",
  helpCommandsTitle: "Команды:",
  helpSupport: (contact: string) => `Поддержка AvtoMat: ${contact}`,
  helpNoSupport: "Вопрос по заявке? Когда заявка отправлена, просто напишите его сюда: его получит автошкола или инструктор. Если вы в середине подбора, сначала нажмите /cancel.",
  categoryHint: {
    A1: "лёгкие мотоциклы", A: "мотоциклы", B1: "трициклы, квадрициклы", B: "легковые", BE: "легковые с прицепом",
    C1: "грузовые до 7,5 т", C: "грузовые", C1E: "C1 с прицепом", CE: "C с прицепом", D1: "автобусы до 16 мест",
    D: "автобусы", D1E: "D1 с прицепом", DE: "D с прицепом", Tb: "троллейбусы", Tm: "трамваи",
  } satisfies Record<LicenceCategory, string>,
  // The conversation after applying: the student's messages go to the application's thread.
  threadSent: (target: string, number: string) => `Отправлено: ${target} (заявка № ${number})`,
  threadSwitch: "Сменить заявку",
  threadChoose: "У вас несколько заявок. В какую отправить сообщение?",
  threadChooseNext: "Куда отправлять ваши следующие сообщения?",
  threadButton: (number: string, target: string) => `№ ${number} — ${target}`,
  threadChosen: (target: string, number: string) => `Сообщения будут уходить сюда: ${target} (заявка № ${number}).`,
  threadClosed: "Эта заявка уже закрыта.",
  threadOnlyTextAndFiles: "Отправить можно только текст, фото или файл. Напишите, пожалуйста, текстом.",
  // Messages kept until the student chose an application and then not delivered.
  threadTooManyKept: (count: number, max: number) => `Не отправлено сообщений: ${count}. Пока заявка не выбрана, я храню только последние ${max}.`,
  threadNothingOpen: (count: number) => `Не отправлено сообщений: ${count}. У вас больше нет открытых заявок.`,
  staffReplyAsk: (number: string) => `Напишите ответ для заявки № ${number}`,
  staffReplySent: (student: string, number: string) => `Отправлено ученику: ${student}, заявка № ${number}`,
  staffReplyCancelled: "Ответ отменён: следующие сообщения ученикам не уйдут.",
  staffReplyUnavailable: "Эта заявка недоступна вашему кабинету.",
  staffReplyTextOnly: "Ответ ученику можно отправить только текстом.",
  staffLinked: (name: string) => `Telegram привязан к кабинету «${name}». Новые заявки будут приходить сюда. Ссылка для входа — /login.`,
  staffLinkBad: "Код не подошёл или устарел. Получите новый в CRM: «Профиль» → «Telegram».",
  staffLoginLink: (url: string) => `Ссылка для входа в CRM (действует 5 минут, одноразовая):\n${url}`,
  staffNotLinked: "Этот Telegram не привязан к кабинету автошколы или инструктора.",
  // ---- the student's lessons in the bot (issue 15: schedule, moving, cancelling) ----
  myLessonsButton: "Мои занятия",
  lessonsTitle: "Ваши занятия:",
  lessonsPastTitle: "Прошедшие и отменённые занятия:",
  lessonLine: (when: string, minutes: number, instructor: string, number: string) => `${when}, ${minutes} мин — инструктор ${instructor} (заявка № ${number})`,
  lessonPlace: (place: string) => `Место: ${place}`,
  lessonPastLine: (when: string, number: string, outcome: string) => `${when} (заявка № ${number}): ${outcome}`,
  lessonOutcome: {
    conducted: "проведено",
    noShowStudent: "пропущено — вы не пришли",
    noShowInstructor: "пропущено — неявка инструктора",
    noShow: "пропущено",
    cancelledByYou: "отменено вами",
    cancelledByYouLate: "отменено вами поздно (считается как пропуск)",
    cancelledByInstructor: "отменено инструктором",
    cancelledBySchool: "отменено автошколой",
    cancelled: "отменено",
    unmarked: "ждёт отметки инструктора",
  },
  lessonCard: (when: string, minutes: number, instructor: string, number: string) => `Занятие ${when}, ${minutes} мин\nИнструктор: ${instructor}\nЗаявка № ${number}`,
  lessonMove: "Перенести",
  lessonCancel: "Отменить",
  backToLessons: "← Мои занятия",
  confirmCancelLesson: (when: string) => `Отменить занятие ${when}?`,
  lateCancelWarning: (hours: number) => `До занятия меньше ${hours} ч. Это поздняя отмена: она засчитывается как пропуск занятия, и инструктор это увидит.`,
  cancelLessonYes: "Да, отменить",
  cancelLessonNo: "Нет, оставить",
  lessonCancelledDone: (when: string) => `Занятие ${when} отменено. Инструктор получит уведомление.`,
  lessonCancelledLate: "Отмена поздняя — засчитана как пропуск.",
  chooseMoveDay: (when: string) => `Перенос занятия ${when}. Выберите новый день (время местное):`,
  confirmMove: (from: string, to: string) => `Перенести занятие с ${from} на ${to}?`,
  moveYes: "Да, перенести",
  lessonMovedDone: (when: string, minutes: number) => `Занятие перенесено на ${when}, ${minutes} мин. Инструктор получит уведомление.`,
  cannotMoveCutoff: (hours: number) => `Перенести это занятие уже нельзя: до него меньше ${hours} ч. Напишите инструктору, чтобы договориться.`,
  noMoveSlots: "У инструктора нет свободных окон в ближайшие две недели. Напишите инструктору, чтобы договориться о другом времени.",
  writeInstructor: "Написать инструктору",
  writeNow: (instructor: string, number: string) => `Напишите сообщение — инструктор ${instructor} его получит (заявка № ${number}).`,
  chooseOtherTime: "Выбрать другое время",
  lessonRefused: {
    not_found: "Занятие не найдено.",
    not_planned: "Это занятие уже отменено или проведено.",
    past: "Это занятие уже началось или прошло.",
    taken: "Это время только что заняли. Выберите другое.",
    cutoff: "Срок, до которого занятие можно перенести, уже прошёл.",
    bad_input: "Не получилось. Попробуйте ещё раз.",
  } satisfies Record<LessonRefusal, string>,
  confirmCancelApplication: (number: string, target: string) => `Отменить заявку № ${number} (${target})? Запланированные занятия по ней тоже отменятся.`,
  // The reasons' words are shared with the CRM (ru.ts cancelReasons); a reason button cancels at once.
  cancelReasonAsk: (target: string) => `Почему отменяете? Причину увидит ${target}. Заявка отменится сразу, как только вы выберете ответ.`,
  cancelWithoutReason: "Отменить без причины",
  keepApplication: "Не отменять",
};

export type BotDict = typeof botRu;
