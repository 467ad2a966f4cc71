// Flow 1 (and test preparation, and practice at a school): category → format → schools → a
// school's card; practice asks who with (a school or an instructor) instead of the format.
import { LICENCE_CATEGORIES, TRAINING_FORMATS, type LicenceCategory } from "../../domain/reference.ts";
import { PAGE_SIZE, type Offer, type OfferFilter } from "../../domain/catalog.ts";
import { nameOf, type Texts } from "../../i18n/index.ts";
import { offerLabel, schoolCard, schoolsList } from "../../notify/catalog.ts";
import { inLanguage } from "../../model/content.ts";
import { withReviewBlock } from "./review-card.ts"; // reviews (issue 16)
import { parseId } from "../callback-data.ts";
import { chunk, offerKind, row, type Button, type Choices, type StepContext, type StepDef } from "../conversation.ts";

const filter = (c: Choices): OfferFilter => ({ cityId: c.cityId!, kind: offerKind(c), category: c.category, format: c.format });
const instructorFilter = (c: Choices) => ({ cityId: c.cityId!, category: c.category });

/** The categories the path has something for in the city: school offers of its kind, instructors, or both (practice). */
async function offeredCategories(c: StepContext): Promise<LicenceCategory[]> {
  const { path, cityId } = c.choices;
  const fromSchools = path === "instructor" ? [] : await c.catalog.offeredValues("category", { cityId: cityId!, kind: offerKind(c.choices) });
  const fromInstructors = path === "instructor" || path === "practice" ? await c.catalog.offeredInstructorCategories(cityId!) : [];
  const offered = new Set([...fromSchools, ...fromInstructors]);
  return LICENCE_CATEGORIES.filter((code) => offered.has(code));
}

export const category: StepDef<"category"> = {
  async render(c) {
    const { text } = c;
    const ordered = await offeredCategories(c);
    if (!ordered.length) return { text: text.noCategories, buttons: [] };
    return {
      text: c.choices.path === "school" ? text.chooseCategory : text.choosePracticeCategory,
      buttons: chunk(ordered.map((code) => ({ text: `${code} — ${text.categoryHint[code]}`, value: code })), 2),
    };
  },
  async choose(c, value) {
    if (!(await offeredCategories(c)).some((code) => code === value)) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { category: value } };
  },
};

/** Practice: at a school (its practice offers) or with an instructor; only the ones the city has, with how many. */
async function providers(c: StepContext): Promise<{ school: number; instructor: number }> {
  const [schools, instructors] = await Promise.all([c.catalog.listSchools(filter(c.choices), 0), c.catalog.listInstructors(instructorFilter(c.choices), 0)]);
  return { school: schools.total, instructor: instructors.total };
}

export const provider: StepDef<"provider"> = {
  async render(c) {
    const { text } = c;
    const counts = await providers(c);
    const buttons = (["school", "instructor"] as const).filter((p) => counts[p] > 0).map((p) => row({ text: text.practiceWith[p](counts[p]), value: p }));
    return { text: text.choosePracticeProvider(c.choices.category ?? ""), buttons };
  },
  async choose(c, value) {
    if (value !== "school" && value !== "instructor") return { invalid: c.text.useButtons };
    if ((await providers(c))[value] === 0) return { invalid: c.text.outdatedButton };
    return { next: value };
  },
};

/** Formats in the product's fixed order; unknown ones last. */
const formatOrder = (f: string) => ((TRAINING_FORMATS as readonly string[]).indexOf(f) + 100) % 100;

export const format: StepDef<"format"> = {
  async render({ catalog, text, choices }) {
    const formats = await catalog.offeredValues("format", { ...filter(choices), format: undefined });
    return {
      text: text.chooseFormat(choices.category!),
      buttons: [...formats].sort((a, b) => formatOrder(a) - formatOrder(b)).map((f) => row({ text: nameOf(text.formatNames, f) ?? f, value: f })),
    };
  },
  async choose(c, value) {
    const formats = await c.catalog.offeredValues("format", { ...filter(c.choices), format: undefined });
    if (!formats.includes(value)) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { format: value } };
  },
};

export const schools: StepDef<"schools"> = {
  async render({ catalog, text, choices, student }) {
    const page = choices.page ?? 0;
    const { items, total } = await catalog.listSchools(filter(choices), page);
    if (!items.length) return { text: text.noSchools, buttons: [] };
    const first = page * PAGE_SIZE + 1;
    return {
      text: schoolsList(student.language, items, first, total),
      buttons: [
        ...items.map((s, i) => row({ text: `${first + i}. ${inLanguage(student.language, s.name, s.nameKk)}`, value: `s${s.schoolId}` })),
        pager(text, page, total),
      ],
    };
  },
  async choose(c, value) {
    if (value.startsWith("page:")) return { stay: true, patch: { page: Math.max(0, Number(value.slice(5)) || 0) } };
    // Only a school the list could show: a forged button for another city or filter is stale.
    const id = value.startsWith("s") ? parseId(value.slice(1)) : null;
    if (!id || !(await c.catalog.schoolMatches(filter(c.choices), id))) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { schoolId: id } };
  },
};

/** ‹ Prev / Next › under a list, only the buttons that lead somewhere. */
export function pager(text: Texts, page: number, total: number): Button[] {
  const buttons: Button[] = [];
  if (page > 0) buttons.push({ text: text.prevPage, value: `page:${page - 1}` });
  if ((page + 1) * PAGE_SIZE < total) buttons.push({ text: text.nextPage, value: `page:${page + 1}` });
  return buttons;
}

/**
 * At most this many offers on a card (cheapest first): Telegram refuses a message with about 100
 * inline buttons, and a school offers far fewer courses than that.
 */
export const MAX_CARD_OFFERS = 30;

/** The offers the card lets the student apply to: narrowed by what they chose, all of them after a deep link. */
async function cardOffers(c: StepContext): Promise<Offer[]> {
  const narrowed = c.choices.path ? { kind: offerKind(c.choices), category: c.choices.category, format: c.choices.format } : {};
  return (await c.catalog.schoolOffersFor(c.choices.schoolId!, narrowed)).slice(0, MAX_CARD_OFFERS);
}

export const school: StepDef<"school"> = {
  async render(c) {
    const { text } = c;
    const found = await c.catalog.findActiveSchool(c.choices.schoolId!);
    if (!found) return { text: text.outdatedButton, buttons: [] };
    const offers = await cardOffers(c);
    return {
      text: await withReviewBlock(c, "school", found.id, schoolCard(c.student.language, found, offers)),
      buttons: offers.map((o) => row({ text: text.applyTo(offerLabel(c.student.language, o)), value: `o${o.id}` })),
    };
  },
  async choose(c, value) {
    const offer = (await cardOffers(c)).find((o) => `o${o.id}` === value);
    if (!offer) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { offerId: offer.id } };
  },
};
