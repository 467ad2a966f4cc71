// Instructors (independent or of a school): list with filters, create/edit form, slots, logins.
import { transmissions } from "../../../src/db/schema.ts";
import type { Instructor, InstructorRow } from "../../../src/domain/admin-catalog.ts";
import type { SlotWithHolder } from "../../../src/domain/availability.ts";
import { slotStatus, SLOT_STATUS_LABELS } from "../../../src/model/slot.ts";
import { EmptyRow } from "../../components/empty-row.tsx";
import { CsrfInput, Field, Select } from "../../components/form-field.tsx";
import { dateTime, transmissionName } from "../../format.ts";
import { formatKzt } from "../../../src/model/money.ts";
import { AccountCreateForm, OwnerAccounts, type OwnerAccount } from "./accounts.tsx";
import { ActiveBadge, Card, FilterForm, FormErrors, Notice, PostButton, hrefOf } from "./common.tsx";
import { Pager } from "../../components/pager.tsx";

type Choices = [string, string][];
type Values = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? "" : Array.isArray(v) ? v.join(", ") : String(v));
const TRANSMISSIONS = transmissions.map((x) => [x, transmissionName(x)] as const) as [string, string][];

export function InstructorsPage(p: { rows: InstructorRow[]; page: number; hasMore: boolean; filter: { q?: string; city?: string; school?: string; state?: string }; cities: Choices; schools: Choices }) {
  return (
    <>
      <p>
        <a href="/admin/instructors/new" class="button">
          + Добавить инструктора
        </a>
      </p>
      <FilterForm action="/admin/instructors">
        <Field name="q" label="Имя, телефон или машина" value={p.filter.q} maxlength={100} />
        <Select name="city" label="Город" value={p.filter.city} options={p.cities} empty="Все города" />
        <Select name="school" label="Автошкола" value={p.filter.school} options={[["independent", "Независимые"], ...p.schools]} empty="Все" />
        <Select name="state" label="Состояние" value={p.filter.state} options={[["active", "Активные"], ["inactive", "Неактивные"]]} empty="Все" />
      </FilterForm>
      <Card>
        <table id="instructors">
          <thead>
            <tr>
              <th>Имя</th>
              <th>Город</th>
              <th>Автошкола</th>
              <th>КПП</th>
              <th>Цена за час</th>
              <th>Состояние</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text="Ничего не найдено." />
            {p.rows.map((i) => (
              <tr data-id={String(i.id)}>
                <td>
                  <a href={`/admin/instructors/${i.id}`} safe>
                    {i.name}
                  </a>
                </td>
                <td safe>{i.cityName}</td>
                <td safe>{i.schoolName ?? "независимый"}</td>
                <td safe>{transmissionName(i.transmission)}</td>
                <td safe>{formatKzt(i.pricePerHourKzt)}</td>
                <td>
                  <ActiveBadge active={i.active} on="активен" off="неактивен" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/instructors", { ...p.filter, page: n })} />
      </Card>
    </>
  );
}

export function InstructorForm({ action, csrf, v, errors, cities, schools, submit }: { action: string; csrf: string; v: Values; errors?: Record<string, string>; cities: Choices; schools: Choices; submit: string }) {
  return (
    <form method="post" action={action} class="admin-form" id="instructor-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} />
      <Select name="cityId" label="Город" value={str(v.cityId)} options={cities} empty="— выберите —" error={errors?.cityId} />
      <Select name="schoolId" label="Автошкола" value={str(v.schoolId)} options={schools} empty="Независимый инструктор" error={errors?.schoolId} />
      <Field name="name" label="Имя" value={str(v.name)} error={errors?.name} required maxlength={120} />
      <Field name="phone" label="Телефон" type="tel" value={str(v.phone)} error={errors?.phone} required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label="WhatsApp" type="tel" value={str(v.whatsapp)} error={errors?.whatsapp} />
      <Select name="transmission" label="Коробка передач" value={str(v.transmission || "automatic")} options={TRANSMISSIONS} error={errors?.transmission} />
      <Field name="car" label="Автомобиль" value={str(v.car)} error={errors?.car} required maxlength={100} />
      <Field name="pricePerHourKzt" label="Цена за час, ₸" value={str(v.pricePerHourKzt)} error={errors?.pricePerHourKzt} required />
      <Field name="categories" label="Категории" value={str(v.categories || "B")} error={errors?.categories} hint="Через запятую, например: B, BE" />
      <Field name="kaspiUrl" label="Ссылка Kaspi" value={str(v.kaspiUrl)} error={errors?.kaspiUrl} />
      <Field name="halykUrl" label="Ссылка Halyk" value={str(v.halykUrl)} error={errors?.halykUrl} />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function SlotsSection({ instructorId, slots, csrf, zone, v, errors }: { instructorId: number; slots: SlotWithHolder[]; csrf: string; zone: string; v?: Values; errors?: Record<string, string> }) {
  return (
    <>
      <table id="slots">
        <thead>
          <tr>
            <th>Начало</th>
            <th>Минут</th>
            <th>Состояние</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          <EmptyRow when={slots.length === 0} columns={4} text="Окон нет." />
          {slots.map((s) => (
            <tr data-id={String(s.id)}>
              <td safe>{dateTime(s.startsAt, zone)}</td>
              <td safe>{String(s.minutes)}</td>
              <td safe>{SLOT_STATUS_LABELS[slotStatus(s)].ru + (s.publicNumber ? ` (заявка № ${s.publicNumber})` : "")}</td>
              <td>{slotStatus(s) === "open" ? <PostButton action={`/admin/instructors/${instructorId}/slots/${s.id}/cancel`} csrf={csrf} label="Отменить" danger /> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`/admin/instructors/${instructorId}/slots`} class="admin-form inline-form" id="slot-form" novalidate>
        <h3>Добавить окно</h3>
        <CsrfInput token={csrf} />
        <Field name="startsAt" label="Начало (местное время)" type="datetime-local" value={str(v?.startsAt)} error={errors?.startsAt} required />
        <Field name="minutes" label="Длительность, минут" type="number" value={str(v?.minutes ?? 90)} error={errors?.minutes} required />
        <button type="submit">Добавить окно</button>
      </form>
    </>
  );
}

export function InstructorPage(p: {
  instructor: Instructor;
  form?: Values;
  errors?: Record<string, string>;
  slots: SlotWithHolder[];
  slotForm?: Values;
  slotErrors?: Record<string, string>;
  accounts: OwnerAccount[];
  accountForm?: Values;
  accountErrors?: Record<string, string>;
  cities: Choices;
  schools: Choices;
  csrf: string;
  zone: string;
  notice?: string;
}) {
  const i = p.instructor;
  return (
    <>
      <Notice text={p.notice} />
      <p>
        <ActiveBadge active={i.active} on="активен" off="неактивен" /> <a href={`/admin/applications?instructor=${i.id}`}>Заявки инструктора</a> ·{" "}
        <a href={`/admin/audit?subject=instructor:${i.id}`}>Журнал изменений</a>
      </p>
      <p>
        {i.active ? (
          <PostButton action={`/admin/instructors/${i.id}/deactivate`} csrf={p.csrf} label="Деактивировать (скрыть из бота)" danger />
        ) : (
          <PostButton action={`/admin/instructors/${i.id}/activate`} csrf={p.csrf} label="Активировать" />
        )}
      </p>
      <Card title="Данные инструктора">
        <InstructorForm action={`/admin/instructors/${i.id}`} csrf={p.csrf} v={p.form ?? (i as unknown as Values)} errors={p.errors} cities={p.cities} schools={p.schools} submit="Сохранить" />
      </Card>
      <Card title="Окна для записи">
        <SlotsSection instructorId={i.id} slots={p.slots} csrf={p.csrf} zone={p.zone} v={p.slotForm} errors={p.slotErrors} />
      </Card>
      <Card title="Логины CRM">
        <OwnerAccounts accounts={p.accounts} zone={p.zone} />
        <AccountCreateForm owner={`instructor:${i.id}`} csrf={p.csrf} v={p.accountForm ?? {}} errors={p.accountErrors} />
      </Card>
    </>
  );
}
