// Students as the bot knows them: one row per Telegram user, plus their conversation state.
import { sql } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
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
