import { Layout } from "../layout.tsx";

export function HomePage({ simulator }: { simulator: boolean }) {
  return (
    <Layout title="Главная" language="ru">
      <section class="card">
        <h1>AvtoMat</h1>
        <p>Автошколы и инструкторы Казахстана: заявки студентов из Telegram-бота.</p>
        <ul>
          <li>
            <a href="/crm/schools/login/">Вход для автошкол</a>
          </li>
          <li>
            <a href="/crm/instructors/login/">Вход для инструкторов</a>
          </li>
          <li>
            <a href="/admin/">Администрирование</a>
          </li>
          {simulator ? (
            <li>
              <a href="/simulator/">Попробовать бота в браузере (симулятор)</a>
            </li>
          ) : (
            ""
          )}
        </ul>
      </section>
    </Layout>
  );
}
