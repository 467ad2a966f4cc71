// Cities: the list with add/edit forms and (de)activation. An inactive city disappears from the bot.
import type { City } from "../../../src/domain/admin-catalog.ts";
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

export function CityFormView({ action, csrf, v, errors, submit }: { action: string; csrf: string; v: CityForm; errors?: Record<string, string>; submit: string }) {
  const active = v.active === undefined ? true : v.active === true || v.active === "on";
  return (
    <form method="post" action={action} class="admin-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} />
      <Field name="nameRu" label="Название (рус.)" value={v.nameRu} error={errors?.nameRu} required maxlength={80} />
      <Field name="nameKk" label="Название (каз.)" value={v.nameKk} error={errors?.nameKk} required maxlength={80} />
      <Field name="sort" label="Порядок в списке" type="number" value={v.sort ?? 100} error={errors?.sort} hint="Меньше — выше в боте." />
      <Checkbox name="active" label="Активен (виден в боте)" checked={active} />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function CitiesPage({ cities, csrf, form, errors, notice }: { cities: City[]; csrf: string; form?: CityForm; errors?: Record<string, string>; notice?: string }) {
  return (
    <>
      <Notice text={notice} />
      <Card>
        <table id="cities">
          <thead>
            <tr>
              <th>Порядок</th>
              <th>Название (рус.)</th>
              <th>Название (каз.)</th>
              <th>Состояние</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {cities.length === 0 ? (
              <tr>
                <td colspan="5">Городов пока нет. Заполните их командой bun run seed:cities или добавьте ниже.</td>
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
                  <ActiveBadge active={c.active} on="активен" off="неактивен" />
                </td>
                <td>
                  {c.active ? (
                    <PostButton action={`/admin/cities/${c.id}/deactivate`} csrf={csrf} label="Деактивировать" danger />
                  ) : (
                    <PostButton action={`/admin/cities/${c.id}/activate`} csrf={csrf} label="Активировать" />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Добавить город">
        <CityFormView action="/admin/cities" csrf={csrf} v={form ?? {}} errors={errors} submit="Добавить" />
      </Card>
    </>
  );
}
