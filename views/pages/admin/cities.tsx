// Cities: the list with add/edit forms and (de)activation. An inactive city disappears from the bot.
import type { Language } from "../../../src/db/schema.ts";
import type { City } from "../../../src/domain/admin-catalog.ts";
import { cityTexts } from "../../../src/i18n/admin/cities.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { CsrfInput, Field } from "../../components/form-field.tsx";
import { ActiveBadge, Card, FormErrors, Notice, PostButton } from "./common.tsx";

export type CityForm = { nameRu?: string; nameKk?: string; sort?: string | number; active?: boolean | string };

export function Checkbox({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <label class="field checkbox" for={`f-${name}`}>
      <input type="checkbox" id={`f-${name}`} name={name} checked={checked} />
      <span safe>{label}</span>
    </label>
  );
}

export function CityFormView({ action, csrf, v, errors, submit, language }: { action: string; csrf: string; v: CityForm; errors?: Record<string, string>; submit: string; language: Language }) {
  const say = cityTexts[language];
  const active = v.active === undefined ? true : v.active === true || v.active === "on";
  return (
    <form method="post" action={action} class="admin-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} language={language} />
      <Field name="nameRu" label={say.nameRu} value={v.nameRu} error={errors?.nameRu} required maxlength={80} />
      <Field name="nameKk" label={say.nameKk} value={v.nameKk} error={errors?.nameKk} required maxlength={80} />
      <Field name="sort" label={say.sort} type="number" value={v.sort ?? 100} error={errors?.sort} hint={say.sortHint} />
      <Checkbox name="active" label={say.activeLabel} checked={active} />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function CitiesPage({ cities, csrf, form, errors, notice, language }: { cities: City[]; csrf: string; form?: CityForm; errors?: Record<string, string>; notice?: string; language: Language }) {
  const say = cityTexts[language];
  const all = adminTexts[language];
  return (
    <>
      <Notice text={notice} />
      <Card>
        <table id="cities">
          <thead>
            <tr>
              <th safe>{say.order}</th>
              <th safe>{say.nameRu}</th>
              <th safe>{say.nameKk}</th>
              <th safe>{all.state}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {cities.length === 0 ? (
              <tr>
                <td colspan="5" safe>
                  {say.none}
                </td>
              </tr>
            ) : (
              ""
            )}
            {cities.map((c) => (
              <tr data-id={String(c.id)}>
                <td safe>{String(c.sort)}</td>
                <td>
                  <a href={`/admin/cities/${c.id}`} safe>
                    {c.nameRu}
                  </a>
                </td>
                <td safe>{c.nameKk}</td>
                <td>
                  <ActiveBadge active={c.active} on={all.activeHe} off={all.inactiveHe} />
                </td>
                <td>
                  {c.active ? (
                    <PostButton action={`/admin/cities/${c.id}/deactivate`} csrf={csrf} label={all.deactivate} danger />
                  ) : (
                    <PostButton action={`/admin/cities/${c.id}/activate`} csrf={csrf} label={all.activate} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={say.add}>
        <CityFormView action="/admin/cities" csrf={csrf} v={form ?? {}} errors={errors} submit={all.add} language={language} />
      </Card>
    </>
  );
}
