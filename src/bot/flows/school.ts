// Flow 1 (and test preparation): category → format → schools → a school's card.
import { LICENCE_CATEGORIES, TRAINING_FORMATS } from "../../domain/reference.ts";
import { PAGE_SIZE, type Offer } from "../../domain/catalog.ts";
import { nameOf, type Texts } from "../../i18n/index.ts";
import { offerLabel, schoolCard, schoolsList } from "../../notify/catalog.ts";
import { chunk, offerKind, row, startApplying, type Button, type Choices, type StepContext, type StepDef } from "../conversation.ts";

const filter = (c: Choices) => ({ cityId: c.cityId!, kind: offerKind(c), category: c.category, format: c.format });

export const category: StepDef = {
  async render({ catalog, text, choices }) {
    const offered = new Set(await catalog.offeredValues("category", { cityId: choices.cityId!, kind: "full_course" }));
    const ordered = LICENCE_CATEGORIES.filter((code) => offered.has(code));
    if (!ordered.length) return { text: text.noCategories, buttons: [] };
    return {
      text: text.chooseCategory,
      buttons: chunk(ordered.map((code) => ({ text: `${code} — ${text.categoryHint[code]}`, value: code })), 2),
    };
  },
  async choose(c, value) {
    const offered = await c.catalog.offeredValues("category", { cityId: c.choices.cityId!, kind: "full_course" });
    if (!offered.includes(value)) return { invalid: c.text.outdatedButton };
    return { go: "format", patch: { category: value, format: undefined, page: 0 } };
  },
};

/** Formats in the product's fixed order; unknown ones last. */
const formatOrder = (f: string) => ((TRAINING_FORMATS as readonly string[]).indexOf(f) + 100) % 100;

export const format: StepDef = {
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
    return { go: "schools", patch: { format: value, page: 0 } };
  },
};

export const schools: StepDef = {
  async render({ catalog, text, choices, student }) {
    const page = choices.page ?? 0;
    const { items, total } = await catalog.listSchools(filter(choices), page);
    if (!items.length) return { text: text.noSchools, buttons: [] };
    const first = page * PAGE_SIZE + 1;
    return {
      text: schoolsList(student.language, items, first, total),
      buttons: [
        ...items.map((s, i) => row({ text: `${first + i}. ${s.name}`, value: `s${s.schoolId}` })),
        pager(text, page, total),
      ],
    };
  },
  async choose(c, value) {
    if (value.startsWith("page:")) return { stay: true, patch: { page: Math.max(0, Number(value.slice(5)) || 0) } };
    const school = await c.catalog.findActiveSchool(Number(value.slice(1)));
    if (!value.startsWith("s") || !school) return { invalid: c.text.outdatedButton };
    return { go: "school", patch: { schoolId: school.id } };
  },
};

/** ‹ Prev / Next › under a list, only the buttons that lead somewhere. */
export function pager(text: Texts, page: number, total: number): Button[] {
  const buttons: Button[] = [];
  if (page > 0) buttons.push({ text: text.prevPage, value: `page:${page - 1}` });
  if ((page + 1) * PAGE_SIZE < total) buttons.push({ text: text.nextPage, value: `page:${page + 1}` });
  return buttons;
}

/** The offers the card lets the student apply to: narrowed by what they chose, all of them after a deep link. */
async function cardOffers(c: StepContext): Promise<Offer[]> {
  const narrowed = c.choices.path ? { kind: offerKind(c.choices), category: c.choices.category, format: c.choices.format } : {};
  return c.catalog.schoolOffersFor(c.choices.schoolId!, narrowed);
}

export const school: StepDef = {
  async render(c) {
    const { text } = c;
    const found = await c.catalog.findActiveSchool(c.choices.schoolId!);
    if (!found) return { text: text.outdatedButton, buttons: [] };
    const offers = await cardOffers(c);
    return {
      text: schoolCard(c.student.language, found, offers.length > 0),
      buttons: offers.map((o) => row({ text: text.applyTo(offerLabel(c.student.language, o)), value: `o${o.id}` })),
    };
  },
  async choose(c, value) {
    const offer = (await cardOffers(c)).find((o) => `o${o.id}` === value);
    if (!offer) return { invalid: c.text.outdatedButton };
    return startApplying(c, { offerId: offer.id, category: offer.category, format: offer.format });
  },
};
