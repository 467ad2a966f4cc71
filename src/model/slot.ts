// How a slot is shown to staff: offered and open, booked by a live application, or withdrawn.
// Whether a slot is booked comes from the application holding it (src/domain/slots.ts), never
// from the slot's own state, which only says whether the instructor offers it.

export type SlotStatus = "open" | "booked" | "cancelled";

export function slotStatus(slot: { state: "free" | "cancelled"; applicationId: number | null }): SlotStatus {
  if (slot.applicationId != null) return "booked";
  return slot.state === "cancelled" ? "cancelled" : "open";
}

export const SLOT_STATUS_LABELS: Readonly<Record<SlotStatus, { ru: string; kk: string }>> = {
  open: { ru: "свободно", kk: "бос" },
  booked: { ru: "занято", kk: "жазылған" },
  cancelled: { ru: "отменено", kk: "жабылды" },
};
