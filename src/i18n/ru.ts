// Russian texts of the bot. kk.ts must have the same keys (the type checks it).
export const ru = {
  greeting: (name: string) =>
    `Здравствуйте${name ? `, ${name}` : ""}! Я AvtoMat — помогу найти автошколу или инструктора в Казахстане.`,
  chooseCity: "Выберите ваш город:",
  noCities: "Пока нет ни одного города. Загляните чуть позже.",
  cityChosen: (city: string) => `Город: ${city}. Скоро здесь появится выбор автошкол.`,
  outdatedButton: "Эта кнопка устарела. Нажмите /start, чтобы начать заново.",
  sorry: "Что-то пошло не так. Попробуйте ещё раз через минуту или нажмите /start.",
  statusNames: {
    new: "новая",
    contacted: "с вами связались",
    confirmed: "подтверждена",
    paid: "оплачена",
    studying: "идёт обучение",
    completed: "обучение завершено",
    accepted: "принята",
    rejected: "отклонена",
    cancelled: "отменена",
  } as Record<string, string>,
  statusChanged: (number: string, from: string, status: string) => `Заявка № ${number} (${from}): статус — «${status}».`,
  rejectedWithReason: (reason: string) => `Причина: ${reason}`,
  replyFrom: (from: string, number: string) => `Сообщение от ${from} по заявке № ${number}:`,
};

export type Dict = typeof ru;
