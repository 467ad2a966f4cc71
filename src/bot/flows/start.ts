// /start and the city choice. Each handler does its writes in one transaction (with the
// update id, see domain/updates.ts) and returns the replies to send after the commit.
import type { Db } from "../../db/client.ts";
import { findActiveCity, listActiveCities } from "../../domain/catalog.ts";
import { recordFunnel, setConversation, upsertStudent, type TelegramPerson } from "../../domain/students.ts";
import { processOnce } from "../../domain/updates.ts";
import { t } from "../../i18n/index.ts";
import { cityKeyboard } from "../keyboards.ts";
import type { Reply } from "../replies.ts";

export async function onStart(db: Db, updateId: number, person: TelegramPerson): Promise<Reply[]> {
  const done = await processOnce(db, updateId, async (tx) => {
    const student = await upsertStudent(tx, person);
    await setConversation(tx, student.id, { flow: "start", step: "city" });
    await recordFunnel(tx, student.id, "start", "city", "enter");
    return { student, cities: await listActiveCities(tx) };
  });
  if (!done) return [];
  const { student, cities } = done.result;
  const text = t(student.language);
  if (cities.length === 0) return [{ kind: "send", text: `${text.greeting(student.firstName)}\n\n${text.noCities}` }];
  return [
    {
      kind: "send",
      text: `${text.greeting(student.firstName)}\n\n${text.chooseCity}`,
      keyboard: cityKeyboard(cities, student.language),
    },
  ];
}

export async function onCity(db: Db, updateId: number, person: TelegramPerson, cityId: number): Promise<Reply[]> {
  const done = await processOnce(db, updateId, async (tx) => {
    const student = await upsertStudent(tx, person);
    const city = await findActiveCity(tx, cityId);
    if (!city) return { student, city: null };
    await setConversation(tx, student.id, { flow: "start", step: "city_chosen", choices: { cityId } });
    await recordFunnel(tx, student.id, "start", "city", "submit");
    return { student, city };
  });
  if (!done) return [{ kind: "answer" }];
  const { student, city } = done.result;
  const text = t(student.language);
  if (!city) return [{ kind: "answer", text: text.outdatedButton }];
  const name = student.language === "kk" ? city.nameKk : city.nameRu;
  return [{ kind: "answer" }, { kind: "edit", text: text.cityChosen(name) }];
}
