// The admin's audit log.
import { bilingual } from "../bilingual.ts";

export const auditTexts = bilingual({
  ru: {
    who: "Кто (логин)",
    action: "Действие",
    actionHint: "Например school, school.update, account.disable",
    subject: "Объект",
    subjectHint: "Например school:7 или school",
    when: "Когда",
    whoCol: "Кто",
    before: "До",
    after: "После",
    none: "Записей нет.",
    system: "система",
  },
  kk: {
    who: "Кім (логин)",
    action: "Әрекет",
    actionHint: "Мысалы: school, school.update, account.disable",
    subject: "Нысан",
    subjectHint: "Мысалы: school:7 немесе school",
    when: "Қашан",
    whoCol: "Кім",
    before: "Бұрын",
    after: "Кейін",
    none: "Жазба жоқ.",
    system: "жүйе",
  },
});
