// Login form shared by the school, instructor and admin entrances.
import { Layout } from "../layout.tsx";

export interface LoginPageProps {
  title: string;
  action: string;
  error?: string;
  login?: string;
}

export function LoginPage({ title, action, error, login }: LoginPageProps) {
  return (
    <Layout title={title} language="ru">
      <section class="card narrow">
        <h1 safe>{title}</h1>
        {error ? (
          <p class="error" role="alert" safe>
            {error}
          </p>
        ) : (
          ""
        )}
        <form method="post" action={action}>
          <label>
            Логин
            <input name="login" autocomplete="username" required value={login ?? ""} />
          </label>
          <label>
            Пароль
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit">Войти</button>
        </form>
      </section>
    </Layout>
  );
}
