// CRM logins: the list (with last login), creating one for a school or an instructor, password
// resets and disabling. A new or reset password is shown once, on the answer page only.
import type { Language } from "../../../src/db/schema.ts";
import type { AccountRow } from "../../../src/domain/admin-accounts.ts";
import { accountTexts } from "../../../src/i18n/admin/accounts.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
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

const ROLES = ["admin", "school", "instructor"] as const;

export function OwnerAccounts({ accounts, zone, language }: { accounts: OwnerAccount[]; zone: string; language: Language }) {
  const say = accountTexts[language];
  if (!accounts.length) return <p safe>{say.noLogins}</p>;
  return (
    <ul class="owner-accounts">
      {accounts.map((a) => (
        <li>
          <a href={`/admin/accounts?q=${encodeURIComponent(a.login)}`} safe>
            {a.login}
          </a>{" "}
          <span safe>{a.displayName}</span> · <span safe>{a.lastLoginAt ? say.lastLogin(dateTime(a.lastLoginAt, zone)) : say.neverLoggedIn}</span>
          {a.disabled ? <span class="badge inactive" safe>{` ${say.disabled}`}</span> : ""}
        </li>
      ))}
    </ul>
  );
}

/** `owner` fixed ("school:7") or chosen from `owners` (value "school:7" / "instructor:3"). */
export function AccountCreateForm({ owner, owners, csrf, v, errors, language }: { owner?: string; owners?: { schools: [string, string][]; instructors: [string, string][] }; csrf: string; v: Values; errors?: Record<string, string>; language: Language }) {
  const say = accountTexts[language];
  return (
    <form method="post" action="/admin/accounts" class="admin-form" id="account-form" novalidate>
      <h3 safe>{say.newLogin}</h3>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} language={language} />
      {owner ? (
        <input type="hidden" name="owner" value={owner} />
      ) : (
        <label class={errors?.owner ? "field invalid" : "field"} for="f-owner">
          <span safe>{say.whom}</span>
          <select id="f-owner" name="owner">
            <option value="" safe>
              {adminTexts[language].choose}
            </option>
            <optgroup label={say.schoolsGroup}>
              {(owners?.schools ?? []).map(([id, name]) => (
                <option value={`school:${id}`} selected={v.owner === `school:${id}`} safe>
                  {name}
                </option>
              ))}
            </optgroup>
            <optgroup label={say.instructorsGroup}>
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
      <Field name="login" label={say.login} value={v.login as string | undefined} error={errors?.login} required maxlength={40} hint={say.loginHint} />
      <Field name="displayName" label={say.staffName} value={v.displayName as string | undefined} error={errors?.displayName} maxlength={100} />
      <button type="submit" safe>
        {say.createLogin}
      </button>
    </form>
  );
}

export function PasswordShown({ account, password, created, language }: { account: AccountRow; password: string; created: boolean; language: Language }) {
  const say = accountTexts[language];
  const titles = adminTexts[language].titles;
  const area = account.role === "instructor" ? "/crm/instructors/login/" : "/crm/schools/login/";
  return (
    <Card title={created ? titles.loginCreated : titles.passwordReset}>
      <p>
        <span safe>{say.loginLabel}</span> <strong id="new-login" safe>{account.login}</strong>
        {account.ownerName ? <span safe>{` (${account.ownerName})`}</span> : ""}
      </p>
      <p>
        <span safe>{say.oneTimePassword}</span> <code id="one-time-password" safe>{password}</code>
      </p>
      <p class="notice" role="status">
        <span safe>{say.passwordNote}</span>{" "}
        <a href={area}>
          {area}
        </a>
        .
      </p>
      <p>
        <a href={`/admin/accounts?q=${encodeURIComponent(account.login)}`} safe>
          {say.toList}
        </a>
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
  language: Language;
  selfId: number;
  owners: { schools: [string, string][]; instructors: [string, string][] };
  form?: Values;
  errors?: Record<string, string>;
  notice?: string;
}) {
  const say = accountTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <Notice text={p.notice} />
      <FilterForm action="/admin/accounts" language={p.language}>
        <Field name="q" label={say.search} value={p.filter.q} maxlength={100} />
        <label class="field" for="f-role">
          <span safe>{say.role}</span>
          <select id="f-role" name="role">
            <option value="" safe>
              {all.all}
            </option>
            {ROLES.map((v) => (
              <option value={v} selected={p.filter.role === v} safe>
                {say.roles[v]}
              </option>
            ))}
          </select>
        </label>
      </FilterForm>
      <Card>
        <table id="accounts">
          <thead>
            <tr>
              <th safe>{say.login}</th>
              <th safe>{say.role}</th>
              <th safe>{say.whose}</th>
              <th safe>{say.lastLoginCol}</th>
              <th safe>{all.state}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text={all.nothingFound} />
            {p.rows.map((a) => (
              <tr data-id={String(a.id)}>
                <td>
                  <strong safe>{a.login}</strong>
                  <br />
                  <small safe>{a.displayName}</small>
                </td>
                <td safe>{say.roles[a.role] ?? a.role}</td>
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
                <td>
                  {a.disabled ? (
                    <span class="badge inactive" safe>
                      {say.disabled}
                    </span>
                  ) : (
                    <span class="badge active" safe>
                      {say.active}
                    </span>
                  )}
                </td>
                <td>
                  <PostButton action={`/admin/accounts/${a.id}/reset`} csrf={p.csrf} label={say.resetPassword} />{" "}
                  {a.id === p.selfId ? (
                    ""
                  ) : a.disabled ? (
                    <PostButton action={`/admin/accounts/${a.id}/enable`} csrf={p.csrf} label={say.enable} />
                  ) : (
                    <PostButton action={`/admin/accounts/${a.id}/disable`} csrf={p.csrf} label={say.disable} danger />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/accounts", { ...p.filter, page: n })} language={p.language} />
      </Card>
      <Card>
        <AccountCreateForm owners={p.owners} csrf={p.csrf} v={p.form ?? {}} errors={p.errors} language={p.language} />
      </Card>
    </>
  );
}
