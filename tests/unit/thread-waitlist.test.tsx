// The application's history says a waitlist booking as one (not as the instructor's cancellation).
import { describe, expect, test } from "bun:test";
import { ThreadEntry } from "../../views/partials/thread.tsx";

const entry = (payload: Record<string, unknown>) => ({ id: 1, type: "slot", fromStatus: null, toStatus: null, payload, at: new Date("2030-03-12T04:00:00Z"), actor: null });
const ctx = { zone: "Asia/Almaty", language: "ru" as const, studentName: "Асель" };

describe("slot events in the history", () => {
  test("a waitlist booking and an instructor's cancellation read differently", async () => {
    const took = await (<ThreadEntry e={entry({ action: "waitlist", slotId: 7, startsAt: "2030-03-12T05:00:00.000Z" })} ctx={ctx} />);
    expect(took).toContain("Ученик записался из листа ожидания на");
    expect(took).toContain("10:00");
    const cancelled = await (<ThreadEntry e={entry({ action: "cancelled", slotId: 7, startsAt: "2030-03-12T05:00:00.000Z", reason: "болею" })} ctx={ctx} />);
    expect(cancelled).toContain("Инструктор отменил запись");
  });
});
