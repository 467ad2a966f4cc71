// Before applying: if the student already has an open application to this school or instructor,
// ask whether to open it instead of making a second one by accident. With none the step answers
// itself (flow.ts) and the student never sees it.
import { STATUS } from "../../model/application-status.ts";
import { earlierApplication } from "../flow.ts";
import { row, type StepDef } from "../conversation.ts";

export const duplicate: StepDef<"duplicate"> = {
  async render(c) {
    const { text } = c;
    const earlier = await earlierApplication(c);
    // Cancelled meanwhile (from /my or by the school): nothing to ask about any more.
    if (!earlier) return { text: text.duplicateGone, buttons: [row({ text: text.duplicateNew, value: "new" })] };
    return {
      text: text.duplicateAsk(earlier.publicNumber, STATUS[earlier.status].student[c.student.language]),
      buttons: [row({ text: text.duplicateOpen(earlier.publicNumber), value: "open" }), row({ text: text.duplicateNew, value: "new" })],
    };
  },
  async choose(c, value) {
    if (value === "new") return { next: "ok" };
    if (value !== "open") return { invalid: c.text.useButtons };
    const earlier = await earlierApplication(c);
    if (!earlier) return { invalid: c.text.duplicateGone };
    return { next: "open", patch: { applicationId: earlier.id, opened: true } };
  },
};
