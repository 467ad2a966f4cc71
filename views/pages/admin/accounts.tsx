// CRM logins: the list (with last login), creating one for a school or an instructor, password
// resets and disabling. A new or reset password is shown once, on the answer page only.
import type { AccountRow } from "../../../src/domain/admin-accounts.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { CsrfInput, Field } from "../../components/form-field.tsx";
import { dateTime } from "../../format.ts";
import { Card, FilterForm, FormErrors, Notice, PostButton, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";

type Values = Record<string, unknown>;
export interface OwnerAccount {
  id: number;
  login: string;
  displayName: string;
  disabled: boolean;
  lastLoginAt: Date | null;
}

const ROLE_NAMES: Record<string, string> = { admin: "Администратор", school: "Автошкола", instructor: "Инструктор" };

export function OwnerAccounts({ accounts, zone }: { accounts: OwnerAccount[]; zone: string }) {
  if (!accounts.length) return <p>Логинов пока нет.</p>;
  return (
    <ul class="owner-accounts">
      {accounts.map((a) => (
        <li>
          <a href={`/admin/accounts?q=${encodeURIComponent(a.login)}`} safe>
            {a.login}
          </a>{" "}
          <span safe>{a.displayName}</span> · <span>{a.lastLoginAt ? `последний вход ${dateTime(a.lastLoginAt, zone)}` : "ещё не входил"}</span>
          {a.disabled ? <span class="badge inactive"> отключён</span> : ""}
        </li>
      ))}
    </ul>
  );
}

/** `owner` fixed ("school:7") or chosen from `owners` (value "school:7" / "instructor:3"). */
export function AccountCreateForm({ owner, owners, csrf, v, errors }: { owner?: string; owners?: { schools: [string, string][]; instructors: [string, string][] }; csrf: string; v: Values; errors?: Record<string, string> }) {
  return (
    <form method="post" action="/admin/accounts" class="admin-form" id="account-form" novalidate>
      <h3>Новый логин</h3>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} />
      {owner ? (
        <input type="hidden" name="owner" value={owner} />
      ) : (
        <label class={errors?.owner ? "field invalid" : "field"} for="f-owner">
          <span>Кому</span>
          <select id="f-owner" name="owner">
            <option value="">— выберите —</option>
            <optgroup label="Автошколы">
              {(owners?.schools ?? []).map(([id, name]) => (
                <option value={`school:${id}`} selected={v.owner === `school:${id}`} safe>
                  {name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Инструкторы">
              {(owners?.instructors ?? []).map(([id, name]) => (
                <option value={`instructor:${id}`} selected={v.owner === `instructor:${id}`} safe>
                  {name}
                </option>
              ))}
            </optgroup>
          </select>
          {errors?.owner ? <small class="error" role="alert" safe>{errors.owner}</small> : ""}
        </label>
      )}
      {owner && errors?.owner ? <p class="error" role="alert" safe>{errors.owner}</p> : ""}
      <Field name="login" label="Логин" value={v.login as string | undefined} error={errors?.login} required maxlength={40} hint="Латиница, цифры, точка, дефис, подчёркивание." />
      <Field name="displayName" label="Имя сотрудника" value={v.displayName as string | undefined} error={errors?.displayName} maxlength={100} />
      <button type="submit">Создать логин</button>
    </form>
  );
}

export function PasswordShown({ account, password, created }: { account: AccountRow; password: string; created: boolean }) {
  const area = account.role === "instructor" ? "/crm/instructors/login/" : "/crm/schools/login/";
  return (
    <Card title={created ? "Логин создан" : "Пароль сброшен"}>
      <p>
        Логин: <strong id="new-login" safe>{account.login}</strong>
        {account.ownerName ? <span safe>{` (${account.ownerName})`}</span> : ""}
      </p>
      <p>
        Одноразовый пароль: <code id="one-time-password" safe>{password}</code>
      </p>
      <p class="notice" role="status">
        Пароль показан один раз и нигде не хранится в открытом виде. Передайте его сотруднику; вход — на странице{" "}
        <a href={area}>
          {area}
        </a>
        .
      </p>
      <p>
        <a href={`/admin/accounts?q=${encodeURIComponent(account.login)}`}>К списку логинов</a>
      </p>
    </Card>
  );
}

export function AccountsPage(p: {
  rows: AccountRow[];
  page: number;
  hasMore: boolean;
  filter: { q?: string; role?: string };
  csrf: string;
  zone: string;
  selfId: number;
  owners: { schools: [string, string][]; instructors: [string, string][] };
  form?: Values;
  errors?: Record<string, string>;
  notice?: string;
}) {
  return (
    <>
      <Notice text={p.notice} />
      <FilterForm action="/admin/accounts">
        <Field name="q" label="Логин, имя, школа или инструктор" value={p.filter.q} maxlength={100} />
        <label class="field" for="f-role">
          <span>Роль</span>
          <select id="f-role" name="role">
            <option value="">Все</option>
            {Object.entries(ROLE_NAMES).map(([v, l]) => (
              <option value={v} selected={p.filter.role === v} safe>
                {l}
              </option>
            ))}
          </select>
        </label>
      </FilterForm>
      <Card>
        <table id="accounts">
          <thead>
            <tr>
              <th>Логин</th>
              <th>Роль</th>
              <th>Чей</th>
              <th>Последний вход</th>
              <th>Состояние</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text="Ничего не найдено." />
            {p.rows.map((a) => (
              <tr data-id={String(a.id)}>
                <td>
                  <strong safe>{a.login}</strong>
                  <br />
                  <small safe>{a.displayName}</small>
                </td>
                <td safe>{ROLE_NAMES[a.role] ?? a.role}</td>
                <td>
                  {a.schoolId ? (
                    <a href={`/admin/schools/${a.schoolId}`} safe>
                      {a.ownerName ?? ""}
                    </a>
                  ) : a.instructorId ? (
                    <a href={`/admin/instructors/${a.instructorId}`} safe>
                      {a.ownerName ?? ""}
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
                <td>{a.lastLoginAt ? dateTime(a.lastLoginAt, p.zone) : "—"}</td>
                <td>{a.disabled ? <span class="badge inactive">отключён</span> : <span class="badge active">активен</span>}</td>
                <td>
                  <PostButton action={`/admin/accounts/${a.id}/reset`} csrf={p.csrf} label="Сбросить пароль" />{" "}
                  {a.id === p.selfId ? (
                    ""
                  ) : a.disabled ? (
                    <PostButton action={`/admin/accounts/${a.id}/enable`} csrf={p.csrf} label="Включить" />
                  ) : (
                    <PostButton action={`/admin/accounts/${a.id}/disable`} csrf={p.csrf} label="Отключить" danger />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/accounts", { ...p.filter, page: n })} />
      </Card>
      <Card>
        <AccountCreateForm owners={p.owners} csrf={p.csrf} v={p.form ?? {}} errors={p.errors} />
      </Card>
    </>
  );
}
