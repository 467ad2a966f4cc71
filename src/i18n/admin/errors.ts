// What the error page and htmx's error fragments say (issue 17), for every web route: the generic
// message of each status and the refusals routes throw (HttpError takes one of these pairs, so the
// page speaks the language of the request that failed, not the language of the code that threw).
import type { Language } from "../../db/schema.ts";
import { bilingual } from "../bilingual.ts";

export const errorTexts = bilingual({
  ru: {
    badRequest: "Запрос не понят. Проверьте введённые данные.",
    badText: "Запрос не понят: в тексте недопустимые символы или он слишком длинный.",
    forbidden: "Доступ запрещён.",
    tooLarge: "Слишком большой запрос.",
    notFound: "Страница не найдена.",
    unavailable: "Сервис временно недоступен. Попробуйте через минуту.",
    failed: "Что-то пошло не так. Мы уже разбираемся.",
    loginRequired: "Войдите, чтобы продолжить.",
    foreignOrigin: "Запрос отклонён: он пришёл не со страницы AvtoMat.",
    staleSession: "Сессия устарела: обновите страницу и повторите.",
    adminOnly: "Доступ только для администраторов платформы.",
    loginLinkInvalid: "Ссылка для входа недействительна или устарела. Запросите новую в боте командой /login.",
    applicationNotFound: "Заявка не найдена.",
    offerNotFound: "Предложение не найдено.",
    accountNotFound: "Аккаунт не найден.",
    reviewNotFound: "Отзыв не найден.",
    slotNotFound: "Окно не найдено.",
    schoolNotFound: "Автошкола не найдена.",
    instructorNotFound: "Инструктор не найден.",
    studentNotFound: "Ученик не найден.",
    cityNotFound: "Город не найден.",
    selfDisable: "Нельзя отключить собственный аккаунт.",
    simulatorOff: "Симулятор выключен: задан TELEGRAM_BOT_TOKEN, бот работает с настоящим Telegram.",
    simulatorNoStudent: "В симуляторе нет такого ученика.",
    simulatorAdminOnly: "Симулятор бота в рабочем режиме доступен только администратору: войдите на /admin/.",
  },
  kk: {
    badRequest: "Сұрау түсініксіз. Енгізілген деректерді тексеріңіз.",
    badText: "Сұрау түсініксіз: мәтінде рұқсат етілмеген таңбалар бар немесе ол тым ұзын.",
    forbidden: "Кіруге тыйым салынған.",
    tooLarge: "Сұрау тым үлкен.",
    notFound: "Бет табылмады.",
    unavailable: "Қызмет уақытша қолжетімсіз. Бір минуттан кейін қайталап көріңіз.",
    failed: "Бірдеңе дұрыс болмады. Біз қазір анықтап жатырмыз.",
    loginRequired: "Жалғастыру үшін кіріңіз.",
    foreignOrigin: "Сұрау қабылданбады: ол AvtoMat бетінен келмеген.",
    staleSession: "Сессия ескірді: бетті жаңартып, қайталаңыз.",
    adminOnly: "Тек платформа әкімшілеріне рұқсат етілген.",
    loginLinkInvalid: "Кіру сілтемесі жарамсыз немесе ескірген. Боттан /login командасымен жаңасын сұраңыз.",
    applicationNotFound: "Өтінім табылмады.",
    offerNotFound: "Ұсыныс табылмады.",
    accountNotFound: "Аккаунт табылмады.",
    reviewNotFound: "Пікір табылмады.",
    slotNotFound: "Бос уақыт табылмады.",
    schoolNotFound: "Автомектеп табылмады.",
    instructorNotFound: "Нұсқаушы табылмады.",
    studentNotFound: "Оқушы табылмады.",
    cityNotFound: "Қала табылмады.",
    selfDisable: "Өз аккаунтыңызды өшіруге болмайды.",
    simulatorOff: "Симулятор өшірулі: TELEGRAM_BOT_TOKEN берілген, бот нағыз Telegram-мен жұмыс істейді.",
    simulatorNoStudent: "Симуляторда мұндай оқушы жоқ.",
    simulatorAdminOnly: "Жұмыс режимінде бот симуляторы тек әкімшіге қолжетімді: /admin/ бетінде кіріңіз.",
  },
});

/** A message in both languages: what an HttpError carries, shown in the request's language. */
export type Said = Readonly<Record<Language, string>>;

export type ErrorKey = keyof (typeof errorTexts)["ru"];

/** One of the refusals above, in both languages. */
export function said(key: ErrorKey): Said {
  return { ru: errorTexts.ru[key], kk: errorTexts.kk[key] };
}
