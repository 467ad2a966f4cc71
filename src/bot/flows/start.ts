// The first questions: licence or not, what after the school certificate, which city.
import { greeting } from "../../notify/student.ts";
import type { CityWithCounts } from "../../domain/catalog.ts";
import type { Path, StepContext, StepDef } from "../conversation.ts";
import { chunk, offerKind, row } from "../conversation.ts";
import { isSituation, SITUATIONS } from "../../model/situation.ts";

export const licence: StepDef<"licence"> = {
  async render({ text, student }) {
    return {
      text: greeting(student.language, student.firstName),
      buttons: [
        row({ text: text.licenceNo, value: "no" }),
        row({ text: text.licenceYes, value: "yes" }),
        row({ text: text.licenceCertificate, value: "cert" }),
      ],
    };
  },
  async choose(c, value) {
    if (value === "no") return { next: "no", patch: { path: "school", situation: "no_licence" } };
    if (value === "yes") return { next: "yes", patch: { path: "instructor", situation: "licence" } };
    if (value === "cert") return { next: "cert", patch: { situation: "certificate" } };
    return { invalid: c.text.useButtons };
  },
};

const CERTIFICATE_PATHS = { practice: "practice", course: "school", testprep: "testprep" } as const satisfies Record<string, Path>;
const isCertificateChoice = (v: string): v is keyof typeof CERTIFICATE_PATHS => Object.hasOwn(CERTIFICATE_PATHS, v);

export const certificate: StepDef<"certificate"> = {
  async render({ text }) {
    return {
      text: text.certificateQuestion,
      buttons: [
        row({ text: text.certPractice, value: "practice" }),
        row({ text: text.certFullCourse, value: "course" }),
        row({ text: text.certTestPrep, value: "testprep" }),
      ],
    };
  },
  async choose(c, value) {
    return isCertificateChoice(value) ? { next: value, patch: { path: CERTIFICATE_PATHS[value] } } : { invalid: c.text.useButtons };
  },
};

/**
 * How much the path has in a city: schools with its kind of offer, instructors for a licence,
 * both for practice. Cities with nothing are not offered (they would lead nowhere).
 */
function countFor(c: StepContext, city: CityWithCounts): number {
  const { path } = c.choices;
  if (path === "instructor") return city.instructors;
  return path === "practice" ? city.schools + city.instructors : city.schools;
}

async function citiesWithSomething(c: StepContext): Promise<{ city: CityWithCounts; count: number }[]> {
  const all = await c.catalog.listCitiesWithCounts(offerKind(c.choices));
  return all.map((city) => ({ city, count: countFor(c, city) })).filter((x) => x.count > 0);
}

/** Whether the path has anything in the city (a deep link's city is taken as answered only then). */
export async function cityLeadsSomewhere(c: StepContext, cityId: number): Promise<boolean> {
  return (await citiesWithSomething(c)).some(({ city: ct }) => ct.id === cityId);
}

export const city: StepDef<"city"> = {
  async render(c) {
    const { text, student } = c;
    const cities = await citiesWithSomething(c);
    if (!cities.length) return { text: text.noCities, buttons: [] };
    const buttons = cities.map(({ city: ct, count }) => ({ text: `${student.language === "kk" ? ct.nameKk : ct.nameRu} (${count})`, value: String(ct.id) }));
    return { text: text.chooseCityCounted(c.choices.path === "instructor" ? "instructors" : c.choices.path === "practice" ? "both" : "schools"), buttons: chunk(buttons, 2) };
  },
  async choose(c, value) {
    const found = (await citiesWithSomething(c)).find(({ city: ct }) => String(ct.id) === value);
    if (!found) return { invalid: c.text.outdatedButton };
    return { next: "ok", patch: { cityId: found.city.id } };
  },
};

/** After a school's or instructor's link: where the student stands, for the school to see. */
export const situation: StepDef<"situation"> = {
  async render({ text }) {
    return { text: text.licenceQuestion, buttons: SITUATIONS.map((v) => row({ text: text.situationNames[v], value: v })) };
  },
  async choose(c, value) {
    return isSituation(value) ? { next: "ok", patch: { situation: value } } : { invalid: c.text.useButtons };
  },
};
