// The admin catalog forms' own messages (src/domain/admin-catalog.ts): cities, schools, instructors, slots.
import { bilingual } from "../bilingual.ts";

export const catalogTexts = bilingual({
  ru: {
    chooseCity: "Выберите город.",
    cityExists: "Такой город уже есть.",
    chooseSchool: "Выберите автошколу или «независимый».",
    categoriesList: (list: string) => `Категории через запятую: ${list}.`,
    noSuchSchool: "Такой автошколы нет.",
    otherCity: "Автошкола из другого города.",
    slotFormat: "Дата и время в формате ГГГГ-ММ-ДД ЧЧ:ММ.",
    inactiveShe: " (неактивна)",
    inactiveHe: " (неактивен)",
  },
  kk: {
    chooseCity: "Қаланы таңдаңыз.",
    cityExists: "Мұндай қала бұрыннан бар.",
    chooseSchool: "Автомектепті немесе «тәуелсіз» дегенді таңдаңыз.",
    categoriesList: (list: string) => `Санаттар үтір арқылы: ${list}.`,
    noSuchSchool: "Мұндай автомектеп жоқ.",
    otherCity: "Автомектеп басқа қалада.",
    slotFormat: "Күні мен уақыты ЖЖЖЖ-АА-КК СС:ММ пішімінде.",
    inactiveShe: " (белсенді емес)",
    inactiveHe: " (белсенді емес)",
  },
});
