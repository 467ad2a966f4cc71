// Instructors (independent or of a school): list with filters, create/edit form, slots, logins.
import { transmissions, type Language } from "../../../src/db/schema.ts";
import { adminTexts } from "../../../src/i18n/admin/common.ts";
import { instructorTexts } from "../../../src/i18n/admin/instructors.ts";
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
const transmissionOptions = (language: Language) => transmissions.map((x) => [x, transmissionName(x, language)] as [string, string]);

export function InstructorsPage(p: { rows: InstructorRow[]; page: number; hasMore: boolean; filter: { q?: string; city?: string; school?: string; state?: string }; cities: Choices; schools: Choices; language: Language }) {
  const say = instructorTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <p>
        <a href="/admin/instructors/new" class="button" safe>
          {say.add}
        </a>
      </p>
      <FilterForm action="/admin/instructors" language={p.language}>
        <Field name="q" label={say.search} value={p.filter.q} maxlength={100} />
        <Select name="city" label={all.city} value={p.filter.city} options={p.cities} empty={all.allCities} />
        <Select name="school" label={say.school} value={p.filter.school} options={[["independent", say.independentMany], ...p.schools]} empty={all.all} />
        <Select name="state" label={all.state} value={p.filter.state} options={[["active", all.activeMany], ["inactive", all.inactiveMany]]} empty={all.all} />
      </FilterForm>
      <Card>
        <table id="instructors">
          <thead>
            <tr>
              <th safe>{say.name}</th>
              <th safe>{all.city}</th>
              <th safe>{say.school}</th>
              <th safe>{say.gearboxShort}</th>
              <th safe>{say.pricePerHour}</th>
              <th safe>{all.state}</th>
            </tr>
          </thead>
          <tbody>
            <EmptyRow when={p.rows.length === 0} columns={6} text={all.nothingFound} />
            {p.rows.map((i) => (
              <tr data-id={String(i.id)}>
                <td>
                  <a href={`/admin/instructors/${i.id}`} safe>
                    {i.name}
                  </a>
                </td>
                <td safe>{i.cityName}</td>
                <td safe>{i.schoolName ?? say.independent}</td>
                <td safe>{transmissionName(i.transmission, p.language)}</td>
                <td safe>{formatKzt(i.pricePerHourKzt)}</td>
                <td>
                  <ActiveBadge active={i.active} on={all.activeHe} off={all.inactiveHe} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={p.page} hasMore={p.hasMore} hrefOf={(n) => hrefOf("/admin/instructors", { ...p.filter, page: n })} language={p.language} />
      </Card>
    </>
  );
}

export function InstructorForm({ action, csrf, v, errors, cities, schools, submit, language }: { action: string; csrf: string; v: Values; errors?: Record<string, string>; cities: Choices; schools: Choices; submit: string; language: Language }) {
  const say = instructorTexts[language];
  const all = adminTexts[language];
  return (
    <form method="post" action={action} class="admin-form" id="instructor-form" novalidate>
      <CsrfInput token={csrf} />
      <FormErrors errors={errors} language={language} />
      <Select name="cityId" label={all.city} value={str(v.cityId)} options={cities} empty={all.choose} error={errors?.cityId} />
      <Select name="schoolId" label={say.school} value={str(v.schoolId)} options={schools} empty={say.independentInstructor} error={errors?.schoolId} />
      <Field name="name" label={say.name} value={str(v.name)} error={errors?.name} required maxlength={120} />
      <Field name="phone" label={all.phone} type="tel" value={str(v.phone)} error={errors?.phone} required placeholder="+7 701 123 45 67" />
      <Field name="whatsapp" label={say.whatsapp} type="tel" value={str(v.whatsapp)} error={errors?.whatsapp} />
      <Select name="transmission" label={say.gearbox} value={str(v.transmission || "automatic")} options={transmissionOptions(language)} error={errors?.transmission} />
      <Field name="car" label={say.car} value={str(v.car)} error={errors?.car} required maxlength={100} />
      <Field name="pricePerHourKzt" label={say.pricePerHourField} value={str(v.pricePerHourKzt)} error={errors?.pricePerHourKzt} required />
      <Field name="categories" label={say.categories} value={str(v.categories || "B")} error={errors?.categories} hint={say.categoriesHint} />
      <Field name="meetingPoint" label={say.meetingPoint} value={str(v.meetingPoint)} error={errors?.meetingPoint} maxlength={200} hint={say.meetingPointHint} />
      <Field name="meetingPointKk" label={say.meetingPointKk} value={str(v.meetingPointKk)} error={errors?.meetingPointKk} maxlength={200} />
      <Field name="kaspiUrl" label={say.kaspi} value={str(v.kaspiUrl)} error={errors?.kaspiUrl} />
      <Field name="halykUrl" label={say.halyk} value={str(v.halykUrl)} error={errors?.halykUrl} />
      <button type="submit" safe>
        {submit}
      </button>
    </form>
  );
}

export function SlotsSection({ instructorId, slots, csrf, zone, v, errors, language }: { instructorId: number; slots: SlotWithHolder[]; csrf: string; zone: string; v?: Values; errors?: Record<string, string>; language: Language }) {
  const say = instructorTexts[language];
  return (
    <>
      <table id="slots">
        <thead>
          <tr>
            <th safe>{say.start}</th>
            <th safe>{say.minutes}</th>
            <th safe>{adminTexts[language].state}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          <EmptyRow when={slots.length === 0} columns={4} text={say.noSlots} />
          {slots.map((s) => (
            <tr data-id={String(s.id)}>
              <td safe>{dateTime(s.startsAt, zone)}</td>
              <td safe>{String(s.minutes)}</td>
              <td safe>{SLOT_STATUS_LABELS[slotStatus(s)][language] + (s.publicNumber ? say.slotOf(s.publicNumber) : "")}</td>
              <td>{slotStatus(s) === "open" ? <PostButton action={`/admin/instructors/${instructorId}/slots/${s.id}/cancel`} csrf={csrf} label={say.cancel} danger /> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`/admin/instructors/${instructorId}/slots`} class="admin-form inline-form" id="slot-form" novalidate>
        <h3 safe>{say.addSlot}</h3>
        <CsrfInput token={csrf} />
        <Field name="startsAt" label={say.startLocal} type="datetime-local" value={str(v?.startsAt)} error={errors?.startsAt} required />
        <Field name="minutes" label={say.duration} type="number" value={str(v?.minutes ?? 90)} error={errors?.minutes} required />
        <button type="submit" safe>
          {say.addSlot}
        </button>
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
  language: Language;
  notice?: string;
}) {
  const i = p.instructor;
  const say = instructorTexts[p.language];
  const all = adminTexts[p.language];
  return (
    <>
      <Notice text={p.notice} />
      <p>
        <ActiveBadge active={i.active} on={all.activeHe} off={all.inactiveHe} />{" "}
        <a href={`/admin/applications?instructor=${i.id}`} safe>
          {say.instructorApplications}
        </a>{" "}
        ·{" "}
        <a href={`/admin/audit?subject=instructor:${i.id}`} safe>
          {all.auditLink}
        </a>
      </p>
      <p>
        {i.active ? (
          <PostButton action={`/admin/instructors/${i.id}/deactivate`} csrf={p.csrf} label={all.deactivateHide} danger />
        ) : (
          <PostButton action={`/admin/instructors/${i.id}/activate`} csrf={p.csrf} label={all.activate} />
        )}
      </p>
      <Card title={say.data}>
        <InstructorForm action={`/admin/instructors/${i.id}`} csrf={p.csrf} v={p.form ?? (i as unknown as Values)} errors={p.errors} cities={p.cities} schools={p.schools} submit={all.save} language={p.language} />
      </Card>
      <Card title={say.slotsTitle}>
        <SlotsSection instructorId={i.id} slots={p.slots} csrf={p.csrf} zone={p.zone} v={p.slotForm} errors={p.slotErrors} language={p.language} />
      </Card>
      <Card title={all.logins}>
        <OwnerAccounts accounts={p.accounts} zone={p.zone} language={p.language} />
        <AccountCreateForm owner={`instructor:${i.id}`} csrf={p.csrf} v={p.accountForm ?? {}} errors={p.accountErrors} language={p.language} />
      </Card>
    </>
  );
}
