// Russian texts of the bot. kk.ts must have the same keys (the type checks it).
export const ru = {
  greeting: (name: string) =>
    `Здравствуйте${name ? `, ${name}` : ""}! Я AvtoMat — помогу найти автошколу или инструктора в Казахстане.`,
  chooseCity: "Выберите ваш город:",
  noCities: "Пока нет ни одного города. Загляните чуть позже.",
  cityChosen: (city: string) => `Город: ${city}. Скоро здесь появится выбор автошкол.`,
  outdatedButton: "Эта кнопка устарела. Нажмите /start, чтобы начать заново.",
  sorry: "Что-то пошло не так. Попробуйте ещё раз через минуту или нажмите /start.",
};

export type Dict = typeof ru;
