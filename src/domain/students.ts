// Students as the bot knows them: one row per Telegram user, plus their conversation state.
import { eq, sql } from "drizzle-orm";
import { queryStatement, statement, type Db, type Tx } from "../db/client.ts";
import { botConversations, students, type FunnelAction, type Language } from "../db/schema.ts";

export type Student = typeof students.$inferSelect;

export interface TelegramPerson {
  telegramId: number;
  chatId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  language: Language;
}

export type Conversation = typeof botConversations.$inferSelect;

/** What a Telegram update starts from: the student (created on first contact) and their conversation. */
export interface Claimed {
  student: Student;
  conversation: Pick<Conversation, "flow" | "step" | "choices"> | null;
  /** The catalog's version as this update sees it (catalog-cache.ts). */
  catalogVersion: number;
}

/** The claim's statement, built once (claimStudentUpdate runs it on every update). */
const p = (name: string) => sql.placeholder(name);
const CLAIM = statement(sql`with fresh as (
    insert into processed_updates (update_id) values (${p("updateId")}) on conflict do nothing returning update_id
  ), s as (
    insert into students (telegram_id, chat_id, first_name, last_name, username, language)
    select ${p("telegramId")}, ${p("chatId")}, ${p("firstName")}, ${p("lastName")}, ${p("username")}, ${p("language")} from fresh
    on conflict (telegram_id) do update set chat_id = excluded.chat_id, first_name = excluded.first_name,
      last_name = excluded.last_name, username = excluded.username, unreachable_at = null
    returning *
  )
  select s.*, c.flow as conv_flow, c.step as conv_step, c.choices as conv_choices,
    (select version from catalog_version) as catalog_version
  from s left join bot_conversations c on c.student_id = s.id`);

/**
 * Claims an update for a student in one round trip (the bot's hot path): records the update id,
 * creates the student on first contact or refreshes their names (never the chosen language), and
 * reads their conversation and the catalog's version. Null when the update was already processed: then nothing changes.
 */
export async function claimStudentUpdate(tx: Tx, updateId: number, person: TelegramPerson): Promise<Claimed | null> {
  const [row] = await queryStatement<Record<string, any>>(tx, CLAIM, {
    updateId,
    telegramId: person.telegramId,
    chatId: person.chatId,
    firstName: person.firstName ?? "",
    lastName: person.lastName ?? "",
    username: person.username ?? "",
    language: person.language,
  });
  if (!row) return null;
  const student: Student = {
    id: Number(row.id),
    telegramId: Number(row.telegram_id),
    chatId: Number(row.chat_id),
    firstName: row.first_name,
    lastName: row.last_name,
    username: row.username,
    phone: row.phone,
    phoneConfirmed: row.phone_confirmed === true,
    language: row.language,
    blocked: row.blocked,
    unreachableAt: row.unreachable_at === null ? null : new Date(row.unreachable_at),
    threadApplicationId: row.thread_application_id === null ? null : Number(row.thread_application_id),
    createdAt: new Date(row.created_at),
  };
  const conversation = row.conv_step === null ? null : { flow: row.conv_flow, step: row.conv_step, choices: jsonOf(row.conv_choices) };
  return { student, conversation, catalogVersion: Number(row.catalog_version) };
}

/** A jsonb column read raw: an object (PGlite, postgres.js with json parsing) or its text. */
const jsonOf = (v: unknown): Record<string, unknown> => (typeof v === "string" ? JSON.parse(v) : (v as Record<string, unknown>));

/** An update's writes to the funnel, the conversation and the dirty marks, kept until its end (outbox.ts enqueueReplies stores them with its replies). */
export interface TurnWrites {
  funnel: { flow: string; step: string; action: FunnelAction }[];
  conversation?: { flow: string; step: string; choices: Record<string, unknown> };
  dirty: boolean;
}

/** The user blocked the bot (Telegram 403): stop sending until they write again. */
export async function markUnreachable(db: Db | Tx, chatId: number): Promise<void> {
  await db.update(students).set({ unreachableAt: sql`now()` }).where(eq(students.chatId, chatId));
}

export async function updateStudent(tx: Tx, studentId: number, patch: { language?: Language; phone?: string; phoneConfirmed?: boolean }): Promise<void> {
  await tx.update(students).set(patch).where(eq(students.id, studentId));
}
