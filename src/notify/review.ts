// Reviews (issue 16): the bot's question with its five rating buttons (and the one reminder), the
// comment and name questions, the answers, the refusals, and the review block of the school's and
// instructor's cards. Words in a typed {ru, kk} record (a missing Kazakh string fails to compile);
// every text a person typed is escaped here. Callback data is packed by the bot (callback-data.ts).
import type { Language } from "../db/schema.ts";
import { CARD_COMMENT_LIMIT, formatRating, MAX_RATING, MAX_REVIEW_TEXT, MIN_RATING } from "../model/review.ts";
import { TELEGRAM_TEXT_LIMIT } from "../model/thread-message.ts";
import { escapeHtml, escapedWithin } from "./html.ts";
import { inlineKeyboard, type ChatMessage } from "./message.ts";
import { namesItself } from "../model/school-name.ts";

/** The callback data of a rating button, packed by the bot's one door. */
export type RatingButtons = (rating: number) => string;

type Subject = "school" | "instructor";

type Words = {
  ask: (subject: string, number: string) => string;
  remind: (subject: string, number: string) => string;
  subject: Record<Subject, (name: string) => string>;
  /** A school whose name says it is one ("Автошкола «Жол»"): named as written, not inside "автошколу «…»". */
  namedSchool: (name: string) => string;
  askComment: (rating: number) => string;
  noComment: string;
  askName: string;
  showName: string;
  anonymous: string;
  thanks: string;
  already: string;
  notFinished: string;
  tooLong: (max: number, got: number) => string;
  notText: string;
  leave: (number: string) => string;
  card: (average: string, count: number) => string;
  student: string;
  answer: Record<Subject, string>;
};

const words: Record<Language, Words> = {
  ru: {
    ask: (s, n) => `Как прошло обучение? Оцените ${s} (заявка № ${n}) от 1 до 5. Ваш отзыв увидят другие ученики.`,
    remind: (s, n) => `Напоминаем: оцените, пожалуйста, ${s} (заявка № ${n}) от 1 до 5. Это займёт минуту.`,
    subject: { school: (name) => `автошколу «${name}»`, instructor: (name) => `инструктора ${name}` },
    namedSchool: (name) => `обучение (${name})`,
    askComment: (r) => `Ваша оценка: ${"★".repeat(r)}\n\nНапишите комментарий одним сообщением (до ${MAX_REVIEW_TEXT} символов) или нажмите «Без комментария».`,
    noComment: "Без комментария",
    askName: "Показать ваше имя рядом с отзывом?",
    showName: "Показать имя",
    anonymous: "Анонимно",
    thanks: "Спасибо за отзыв! Он поможет другим ученикам выбрать.",
    already: "Вы уже оставили отзыв.",
    notFinished: "Отзыв можно оставить только после завершённого обучения.",
    tooLong: (max, got) => `Комментарий слишком длинный: ${got} символов, можно до ${max}. Сократите и отправьте ещё раз.`,
    notText: "Комментарий принимается только текстом. Напишите его или нажмите «Без комментария».",
    leave: (n) => `Оставить отзыв (№ ${n})`,
    card: (a, c) => `⭐ Отзывы: ${a} из 5 (${c})`,
    student: "Ученик",
    answer: { school: "Ответ автошколы", instructor: "Ответ инструктора" },
  },
  kk: {
    ask: (s, n) => `Оқу қалай өтті? ${s} 1-ден 5-ке дейін бағалаңыз (№ ${n} өтінім). Пікіріңізді басқа оқушылар көреді.`,
    remind: (s, n) => `Еске саламыз: ${s} 1-ден 5-ке дейін бағалаңызшы (№ ${n} өтінім). Бір минут қана алады.`,
    subject: { school: (name) => `«${name}» автомектебін`, instructor: (name) => `${name} нұсқаушысын` },
    namedSchool: (name) => `оқуды (${name})`,
    askComment: (r) => `Сіздің бағаңыз: ${"★".repeat(r)}\n\nПікіріңізді бір хабарламамен жазыңыз (${MAX_REVIEW_TEXT} таңбаға дейін) немесе «Пікірсіз» батырмасын басыңыз.`,
    noComment: "Пікірсіз",
    askName: "Пікірдің қасында атыңызды көрсетейік пе?",
    showName: "Атымды көрсету",
    anonymous: "Жасырын",
    thanks: "Пікіріңізге рақмет! Ол басқа оқушыларға таңдауға көмектеседі.",
    already: "Сіз пікір қалдырып қойдыңыз.",
    notFinished: "Пікірді тек аяқталған оқудан кейін қалдыруға болады.",
    tooLong: (max, got) => `Пікір тым ұзын: ${got} таңба, ${max} таңбаға дейін болады. Қысқартып, қайта жіберіңіз.`,
    notText: "Пікір тек мәтінмен қабылданады. Оны жазыңыз немесе «Пікірсіз» батырмасын басыңыз.",
    leave: (n) => `Пікір қалдыру (№ ${n})`,
    card: (a, c) => `⭐ Пікірлер: 5-тен ${a} (${c})`,
    student: "Оқушы",
    answer: { school: "Автомектептің жауабы", instructor: "Нұсқаушының жауабы" },
  },
};

export const reviewWords = (lang: Language): Words => words[lang];

/** The five rating buttons in one row: "1" … "5 ★". */
function ratingRow(buttons: RatingButtons) {
  const row = [];
  for (let r = MIN_RATING; r <= MAX_RATING; r++) row.push({ text: r === MAX_RATING ? `${r} ★` : String(r), callback_data: buttons(r) });
  return inlineKeyboard([row]);
}

/** The question (or its one reminder) with the rating buttons. */
export function reviewAsk(lang: Language, a: { number: string; kind: Subject; name: string; reminder: boolean }, buttons: RatingButtons): ChatMessage {
  const d = words[lang];
  const subject = a.kind === "school" && namesItself(a.name) ? d.namedSchool(escapeHtml(a.name)) : d.subject[a.kind](escapeHtml(a.name));
  return { text: a.reminder ? d.remind(subject, escapeHtml(a.number)) : d.ask(subject, escapeHtml(a.number)), markup: ratingRow(buttons) };
}

/** After a rating: the comment, typed, or "Без комментария". */
export function askComment(lang: Language, rating: number, noCommentData: string): ChatMessage {
  const d = words[lang];
  return { text: d.askComment(rating), markup: inlineKeyboard([[{ text: d.noComment, callback_data: noCommentData }]]) };
}

/** After the comment: show the first name or not. */
export function askShowName(lang: Language, data: { show: string; anonymous: string }, notice?: string): ChatMessage {
  const d = words[lang];
  return { text: notice ? `${notice}\n\n${d.askName}` : d.askName, markup: inlineKeyboard([[{ text: d.showName, callback_data: data.show }, { text: d.anonymous, callback_data: data.anonymous }]]) };
}

/** The review block of a card: average (one decimal, the language's comma), count, the latest visible comments with the school's answer. */
export function reviewBlock(lang: Language, kind: Subject, s: { average: number; count: number; latest: { rating: number; comment: string; author: string | null; reply: string | null }[] }): string {
  const d = words[lang];
  const lines = [d.card(formatRating(s.average, lang), s.count)];
  for (const c of s.latest) {
    lines.push(`«${escapedWithin(c.comment, CARD_COMMENT_LIMIT)}» — ${escapeHtml(c.author ?? d.student)}, ${"★".repeat(c.rating)}`);
    if (c.reply) lines.push(`   ↳ ${d.answer[kind]}: ${escapedWithin(c.reply, CARD_COMMENT_LIMIT)}`);
  }
  return lines.join("\n");
}

/**
 * A card with its review block under it. The block's size is bounded (CARD_REVIEWS comments and
 * answers of CARD_COMMENT_LIMIT), but a card may already be near Telegram's limit: then the
 * comments that do not fit are left out, the average and count stay.
 */
export function withReviews(card: string, block: string | null): string {
  if (!block) return card;
  const lines = block.split("\n");
  while (lines.length > 1 && card.length + 2 + lines.join("\n").length > TELEGRAM_TEXT_LIMIT) lines.pop();
  const fitted = lines.join("\n");
  return card.length + 2 + fitted.length > TELEGRAM_TEXT_LIMIT ? card : `${card}\n\n${fitted}`;
}
