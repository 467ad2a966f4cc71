// A clean error page: a message for people, never a stack trace.
import { Layout } from "../layout.tsx";

export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <Layout title={`Ошибка ${status}`} language="ru">
      <section class="card narrow">
        <h1 safe>{`Ошибка ${status}`}</h1>
        <p safe>{message}</p>
        <p>
          <a href="/">На главную</a>
        </p>
      </section>
    </Layout>
  );
}
