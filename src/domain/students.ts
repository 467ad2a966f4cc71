// Students as the bot knows them: one row per Telegram user, plus their conversation state.
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { botConversations, funnelEvents, students, type FunnelAction, type Language } from "../db/schema.ts";

export type Student = typeof students.$inferSelect;

export interface TelegramPerson {
  telegramId: number;
  chatId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  language: Language;
}

/** Creates the student on first contact; later contacts refresh names, never the chosen language. */
export async function upsertStudent(tx: Tx, p: TelegramPerson): Promise<Student> {
  const [row] = await tx
    .insert(students)
    .values({
      telegramId: p.telegramId,
      chatId: p.chatId,
      firstName: p.firstName ?? "",
      lastName: p.lastName ?? "",
      username: p.username ?? "",
      language: p.language,
    })
    .onConflictDoUpdate({
      target: students.telegramId,
      set: {
        chatId: p.chatId,
        firstName: p.firstName ?? "",
        lastName: p.lastName ?? "",
        username: p.username ?? "",
        unreachableAt: null,
      },
    })
    .returning();
  return row!;
}

export async function setConversation(
  tx: Tx,
  studentId: number,
  state: { flow: string; step: string; choices?: Record<string, unknown>; messageId?: number | null },
): Promise<void> {
  const values = { studentId, flow: state.flow, step: state.step, choices: state.choices ?? {}, messageId: state.messageId ?? null };
  await tx
    .insert(botConversations)
    .values(values)
    .onConflictDoUpdate({ target: botConversations.studentId, set: { ...values, updatedAt: sql`now()` } });
}

export async function recordFunnel(tx: Tx, studentId: number, flow: string, step: string, action: FunnelAction) {
  await tx.insert(funnelEvents).values({ studentId, flow, step, action });
}

export type Conversation = typeof botConversations.$inferSelect;

export async function getConversation(tx: Tx, studentId: number): Promise<Conversation | null> {
  const [row] = await tx.select().from(botConversations).where(eq(botConversations.studentId, studentId));
  return row ?? null;
}

/** The user blocked the bot (Telegram 403): stop sending until they write again. */
export async function markUnreachable(db: Db | Tx, chatId: number): Promise<void> {
  await db.update(students).set({ unreachableAt: sql`now()` }).where(eq(students.chatId, chatId));
}

export async function updateStudent(tx: Tx, studentId: number, patch: { language?: Language; phone?: string }): Promise<void> {
  await tx.update(students).set(patch).where(eq(students.id, studentId));
}

/**
 * Kazakh mobile numbers to +77XXXXXXXXX: accepts +7 7XX…, 8 7XX…, 7 7XX… and 10 digits 7XX…,
 * with spaces, dashes and brackets. Anything else (other countries, landlines) is null.
 */
export function normalizeKazakhPhone(input: string): string | null {
  if (!/^[\d\s()+-]{10,20}$/.test(input.trim())) return null;
  let digits = input.replace(/\D/g, "");
  if (digits.length === 10) digits = "7" + digits;
  if (digits.length === 11 && digits.startsWith("8")) digits = "7" + digits.slice(1);
  return /^77\d{9}$/.test(digits) ? `+${digits}` : null;
}
