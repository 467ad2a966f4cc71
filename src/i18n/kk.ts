// Kazakh texts shared by the bot and the CRM, same keys as ru.ts.
import { formatNames, type Dict } from "./ru.ts";

export const kk: Dict = {
  formatNames: formatNames("kk"),
  transmissionNames: { automatic: "автомат", manual: "механика" },
  situationNames: {
    no_licence: "Жүргізуші куәлігі жоқ",
    licence: "Жүргізуші куәлігі бар",
    certificate: "Автомектеп куәлігі бар, жүргізуші куәлігі әлі жоқ",
  },
  situationShort: { no_licence: "куәлігі жоқ", licence: "куәлігі бар", certificate: "автомектеп куәлігі бар" },
  staffNewApplication: (number: string, name: string, phone: string, course: string, situation: string) =>
    `🆕 Жаңа өтінім № ${number}\n${name}, ${phone}\n${course}${situation ? `\n${situation}` : ""}`,
  staffOpenApplication: "Өтінімді ашу",
  statusChanged: (number: string, from: string, status: string) => `№ ${number} өтінім (${from}): мәртебесі — «${status}».`,
  rejectedWithReason: (reason: string) => `Себебі: ${reason}`,
  replyFrom: (from: string, number: string) => `${from} — № ${number} өтінім бойынша хабарлама:`,
  staffStudentWrote: (number: string, name: string) => `💬 ${name}, № ${number} өтінім бойынша:`,
  staffReplyButton: "Жауап беру",
  unsupportedNames: {
    sticker: "стикер",
    voice: "дауыстық хабарлама",
    video_note: "бейнехабарлама",
    video: "бейне",
    audio: "аудио",
    animation: "GIF",
    location: "геолокация",
    contact: "контакт",
    poll: "сауалнама",
    other: "бот жібере алмайтын хабарлама",
  },
  cancelReasons: {
    other_school: "Басқа автомектеп табылды",
    other_instructor: "Басқа нұсқаушы табылды",
    time: "Уақыты сәйкес келмейді",
    price: "Қымбат",
    changed_mind: "Жоспарым өзгерді",
  },
  trustNew: { school: "жаңа автомектеп: дерек аз", instructor: "жаңа нұсқаушы: дерек аз" },
};
