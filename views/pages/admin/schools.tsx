// Schools: the list with search and filters, the create/edit form, the offers and the logins.
import { offerKinds } from "../../../src/db/schema.ts";
import type { Offer, School, SchoolRow } from "../../../src/domain/admin-catalog.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { LICENCE_CATEGORIES, TRAINING_FORMATS } from "../../../src/domain/reference.ts";
import { CsrfInput, Field, Select, TextArea } from "../../components/form-field.tsx";
import { dateTime, formatName, offerFormTexts, offerKindName } from "../../format.ts";
import { MAX_INCLUDES } from "../../../src/domain/profile.ts";
import { formatKzt } from "../../../src/model/money.ts";
import { AccountCreateForm, OwnerAccounts, type OwnerAccount } from "./accounts.tsx";
import { ActiveBadge, Card, FilterForm, FormErrors, Notice, PostButton, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";
import { formatPhone } from "../../../src/model/phone.ts";

type Choices = [string, string][];
type Values = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

export function SchoolsPage(p: { rows: SchoolRow[]; page: number; hasMore: boolean; filter: { q?: string; city?: string; state?: string }; cities: Choices }) {
  return (
    <>
      <p>
        <a href="/admin/schools/new" class="button">
          + Добавить автошколу
        </a>
      </p>
      <FilterForm action="/admin/schools">
        <Field name="q" label="Название, телефон или адрес" value={p.filter.q} maxlength={100} />
        <Select name="city" label="Город" value={p.filter.city} options={p.cities} empty="Все города" />
        <Select name="state" label="Состояние" value={p.filter.state} options={[["active", "Активные"], ["inactive", "Неактивные"]]} empty="Все" />
      </FilterForm>
      <Card>
        <table id="schools">
          <thead>
            <tr>
              <th>Название</th>
              <th>Город</th>
              <th>Телефон</th>
              <th>Предложений</th>
              <th>Состояние</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={5} text="Ничего не найдено." />
            {p.rows.map((s) => (
              <tr data-id={String(s.id)}>
                <td>
                  <a href={`/admin/schools/${s.id}`} safe>
                    {s.name}
                  </a>
                </td>
                <td safe>{s.cityName}</td>
                <td safe>{formatPhone(s.phone)}</td>
                <td safe>{String(s.offers)}</td>
                <td>
                  <ActiveBadge active={s.active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/schools", { ...p.filter, page: n })} />
      </Card>
    </>
  );
}

export function SchoolForm({ action, csrf, v, errors, cities, submit }: { action: string; csrf: string; v: Values; errors?: Record<string, string>; cities: Choices; submit: string }) {
  return (
    <form method="post" action={action} class="admin-form" id="school-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} />
      <Select name="cityId" label="Город" value={str(v.cityId)} options={cities} empty="— выберите —" error={errors?.cityId} />
      <Field name="name" label="Название" value={str(v.name)} error={errors?.name} required maxlength={120} />
      <Field name="address" label="Адрес" value={str(v.address)} error={errors?.address} maxlength={200} />
      <Field name="phone" label="Телефон" type="tel" value={str(v.phone)} error={errors?.phone} required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label="WhatsApp" type="tel" value={str(v.whatsapp)} error={errors?.whatsapp} />
      <TextArea name="description" label="Описание" value={str(v.description)} error={errors?.description} maxlength={2000} />
      <Field name="kaspiUrl" label="Ссылка Kaspi" value={str(v.kaspiUrl)} error={errors?.kaspiUrl} placeholder="https://pay.kaspi.kz/…" />
      <Field name="halykUrl" label="Ссылка Halyk" value={str(v.halykUrl)} error={errors?.halykUrl} placeholder="https://homebank.kz/…" />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export const CATEGORY_OPTIONS = LICENCE_CATEGORIES.map((c) => [c, c] as const);
export const FORMAT_OPTIONS = TRAINING_FORMATS.map((f) => [f, formatName(f)] as const);
export const KIND_OPTIONS = offerKinds.map((k) => [k, offerKindName(k)] as [string, string]);

export function OfferForm({ action, csrf, v, errors, submit }: { action: string; csrf: string; v: Values; errors?: Record<string, string>; submit: string }) {
  return (
    <form method="post" action={action} class="admin-form" id="offer-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} />
      <Select name="kind" label="Вид обучения" value={str(v.kind || "full_course")} options={KIND_OPTIONS} error={errors?.kind} />
      <Select name="category" label="Категория" value={str(v.category || "B")} options={CATEGORY_OPTIONS} error={errors?.category} />
      <Select name="format" label="Формат" value={str(v.format || "in_person")} options={FORMAT_OPTIONS} error={errors?.format} />
      <Field name="priceKzt" label="Цена, ₸" value={str(v.priceKzt)} error={errors?.priceKzt} required />
      <Field name="durationWeeks" label="Срок, недель" type="number" value={str(v.durationWeeks)} error={errors?.durationWeeks} required />
      <Field name="hours" label={offerFormTexts().offerHoursLabel} value={str(v.hours)} error={errors?.hours} hint={offerFormTexts().offerHoursHint} />
      <Field name="includes" label={offerFormTexts().offerIncludesLabel} value={str(v.includes)} error={errors?.includes} maxlength={MAX_INCLUDES} placeholder={offerFormTexts().offerIncludesExample} />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function OffersTable({ schoolId, offers, csrf }: { schoolId: number; offers: Offer[]; csrf: string }) {
  return (
    <table id="offers">
      <thead>
        <tr>
          <th>Вид</th>
          <th>Категория</th>
          <th>Формат</th>
          <th>Цена</th>
          <th>Срок</th>
          <th>Часов</th>
          <th>Входит в цену</th>
          <th>Состояние</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        <EmptyRow when={offers.length === 0} columns={9} text="Предложений нет: бот не покажет школу, пока нет хотя бы одного." />
        {offers.map((o) => (
          <tr data-id={String(o.id)}>
            <td safe>{offerKindName(o.kind)}</td>
            <td safe>{o.category}</td>
            <td safe>{formatName(o.format)}</td>
            <td safe>{formatKzt(o.priceKzt)}</td>
            <td safe>{`${o.durationWeeks} нед.`}</td>
            <td safe>{o.hours == null ? "—" : `${o.hours} ч`}</td>
            <td safe>{o.includes || "—"}</td>
            <td>
              <ActiveBadge active={o.active} on="активно" off="снято" />
            </td>
            <td>
              <a href={`/admin/schools/${schoolId}/offers/${o.id}`}>Изменить</a>{" "}
              {o.active ? (
                <PostButton action={`/admin/schools/${schoolId}/offers/${o.id}/deactivate`} csrf={csrf} label="Снять" danger />
              ) : (
                <PostButton action={`/admin/schools/${schoolId}/offers/${o.id}/activate`} csrf={csrf} label="Вернуть" />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SchoolPage(p: {
  school: School;
  form?: Values;
  errors?: Record<string, string>;
  offerForm?: Values;
  offerErrors?: Record<string, string>;
  offers: Offer[];
  accounts: OwnerAccount[];
  accountForm?: Values;
  accountErrors?: Record<string, string>;
  cities: Choices;
  csrf: string;
  zone: string;
  notice?: string;
}) {
  const s = p.school;
  return (
    <>
      <Notice text={p.notice} />
      <p>
        <ActiveBadge active={s.active} /> <span safe>{`Создана ${dateTime(s.createdAt, p.zone)}`}</span>{" "}
        <a href={`/admin/applications?school=${s.id}`}>Заявки школы</a> · <a href={`/admin/instructors?school=${s.id}`}>Инструкторы школы</a> ·{" "}
        <a href={`/admin/audit?subject=school:${s.id}`}>Журнал изменений</a>
      </p>
      <p>
        {s.active ? (
          <PostButton action={`/admin/schools/${s.id}/deactivate`} csrf={p.csrf} label="Деактивировать (скрыть из бота)" danger />
        ) : (
          <PostButton action={`/admin/schools/${s.id}/activate`} csrf={p.csrf} label="Активировать" />
        )}
      </p>
      <Card title="Данные автошколы">
        <SchoolForm action={`/admin/schools/${s.id}`} csrf={p.csrf} v={p.form ?? (s as unknown as Values)} errors={p.errors} cities={p.cities} submit="Сохранить" />
      </Card>
      <Card title="Предложения">
        <OffersTable schoolId={s.id} offers={p.offers} csrf={p.csrf} />
        <h3>Добавить предложение</h3>
        <OfferForm action={`/admin/schools/${s.id}/offers`} csrf={p.csrf} v={p.offerForm ?? {}} errors={p.offerErrors} submit="Добавить предложение" />
      </Card>
      <Card title="Логины CRM">
        <OwnerAccounts accounts={p.accounts} zone={p.zone} />
        <AccountCreateForm owner={`school:${s.id}`} csrf={p.csrf} v={p.accountForm ?? {}} errors={p.accountErrors} />
      </Card>
    </>
  );
}
