// The first questions: licence or not, what after the school certificate, which city.
import { greeting } from "../../notify/student.ts";
import type { Outcome, Path, Step, StepContext, StepDef } from "../conversation.ts";
import { chunk, row } from "../conversation.ts";

/** Where a path goes once the city is known. */
export function afterCity(path: Path | undefined): Step {
  return path === "instructor" ? "transmission" : path === "testprep" ? "schools" : "category";
}

/** Picking a path: straight past the city step when a deep link already chose the city. */
function pathOutcome(c: StepContext, path: Path): Outcome {
  return { go: c.choices.presetCity ? afterCity(path) : "city", patch: { path, page: 0 } };
}

export const licence: StepDef = {
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
    if (value === "no") return pathOutcome(c, "school");
    if (value === "yes") return pathOutcome(c, "instructor");
    if (value === "cert") return { go: "certificate" };
    return { invalid: c.text.useButtons };
  },
};

export const certificate: StepDef = {
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
    const path: Path | null = value === "practice" ? "instructor" : value === "course" ? "school" : value === "testprep" ? "testprep" : null;
    return path ? pathOutcome(c, path) : { invalid: c.text.useButtons };
  },
};

export const city: StepDef = {
  async render({ catalog, text, student }) {
    const cities = await catalog.listActiveCities();
    if (!cities.length) return { text: text.noCities, buttons: [] };
    const buttons = cities.map((ct) => ({ text: student.language === "kk" ? ct.nameKk : ct.nameRu, value: String(ct.id) }));
    return { text: text.chooseCity, buttons: chunk(buttons, 2) };
  },
  async choose(c, value) {
    const found = await c.catalog.findActiveCity(Number(value));
    if (!found) return { invalid: c.text.outdatedButton };
    return { go: afterCity(c.choices.path), patch: { cityId: found.id, page: 0 } };
  },
};
