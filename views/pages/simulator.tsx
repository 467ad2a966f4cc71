// The bot simulator page: a student picker and phone-sized chats side by side. The chats
// themselves are drawn by public/simulator.js from the JSON the simulator routes answer; this
// page gives it the students and the template of one phone.
import type { SimStudent } from "../../src/simulator/students.ts";

export interface SimulatorPageProps {
  students: (SimStudent & { phone: string })[];
  /** A real TELEGRAM_BOT_TOKEN is set: the simulator is off. */
  realTelegram: boolean;
  csrfToken?: string;
}

function Head() {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>Симулятор бота · AvtoMat</title>
      <link rel="icon" href="/public/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/public/app.css" />
      <link rel="stylesheet" href="/public/simulator.css" />
    </head>
  );
}

export function SimulatorPage({ students, realTelegram, csrfToken }: SimulatorPageProps) {
  return (
    <>
      {"<!doctype html>"}
      <html lang="ru">
        <Head />
        <body data-csrf={csrfToken ?? ""}>
          <header class="top">
            <a href="/" class="brand">
              AvtoMat
            </a>{" "}
            <span class="sim-subtitle">симулятор Telegram-бота</span>
          </header>
          <main class="sim">
            {realTelegram ? (
              <section class="card" id="sim-off">
                <h1>Симулятор выключен</h1>
                <p>
                  Задан <code>TELEGRAM_BOT_TOKEN</code>: бот работает с настоящим Telegram. Чтобы попробовать бота в браузере, запустите AvtoMat без токена (в
                  режиме разработки симулятор включён по умолчанию, в рабочем — с <code>SIMULATOR=1</code>).
                </p>
              </section>
            ) : (
              <>
                <section class="sim-intro">
                  <h1>Бот в браузере</h1>
                  <p>
                    Это настоящий бот AvtoMat — те же обработчики, та же база данных, — только вместо Telegram сообщения идут сюда. Заявки симулированных учеников
                    попадают в CRM, как любые другие: войдите как автошкола в <a href="/crm/schools/login/">CRM</a> в соседней вкладке, поменяйте статус заявки — и
                    уведомление придёт сюда.
                  </p>
                  <p class="sim-hint">
                    Пустая база? <code>bun run seed:demo</code> добавит автошколы, инструкторов и логины для CRM.
                  </p>
                </section>
                <fieldset class="sim-picker" id="sim-picker">
                  <legend>Студенты (можно открыть несколько рядом)</legend>
                  {students.map((s) => (
                    <label class="sim-pick">
                      <input type="checkbox" value={String(s.id)} data-first-name={s.firstName} data-language={s.language} checked={s.id === students[0]!.id} />{" "}
                      <span safe>{`${s.firstName} ${s.lastName}`}</span> <small safe>{`${s.language} · ${s.phone}`}</small>
                    </label>
                  ))}
                </fieldset>
                <div class="phones" id="phones" aria-live="polite"></div>
                <template id="phone-template">
                  <section class="phone" aria-label="Чат с ботом">
                    <header class="phone-head">
                      <span class="phone-avatar" aria-hidden="true">
                        A
                      </span>
                      <div class="phone-who">
                        <strong>AvtoMat</strong>
                        <small class="phone-status">бот</small>
                      </div>
                      <button type="button" class="phone-close" title="Закрыть чат" aria-label="Закрыть чат">
                        ×
                      </button>
                    </header>
                    <div class="phone-profile">
                      <label>
                        Имя <input class="phone-name" maxlength="64" autocomplete="off" />
                      </label>
                      <label>
                        Язык{" "}
                        <select class="phone-lang">
                          <option value="ru">ru</option>
                          <option value="kk">kk</option>
                        </select>
                      </label>
                      <span class="phone-number"></span>
                    </div>
                    <ol class="phone-messages"></ol>
                    <div class="phone-toast" role="status" hidden></div>
                    <div class="phone-start">
                      <button type="button" class="phone-start-button">
                        Начать (/start)
                      </button>
                    </div>
                    <div class="phone-keyboard"></div>
                    <form class="phone-composer">
                      <button type="button" class="phone-menu" title="Команды бота" aria-label="Команды бота">
                        /
                      </button>
                      <input name="text" class="phone-input" maxlength="4096" autocomplete="off" placeholder="Сообщение" aria-label="Сообщение" />
                      <button type="submit" class="phone-send" aria-label="Отправить">
                        ➤
                      </button>
                    </form>
                  </section>
                </template>
                <noscript>
                  <p class="error">Симулятору нужен JavaScript.</p>
                </noscript>
                <script src="/public/simulator.js" defer></script>
              </>
            )}
          </main>
        </body>
      </html>
    </>
  );
}
