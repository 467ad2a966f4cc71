// A believable demo data set: schools in several cities with offers, independent and
// school instructors with free slots over the next two weeks, and a login for each.
// Idempotent: existing rows are found by name; demo logins get fresh passwords each run.
import { and, eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { cities, instructors, instructorSlots, schoolOffers, schools, type Transmission } from "../schema.ts";
import { generatePassword, upsertAccount } from "../../domain/accounts.ts";
import { addDays, localDate, localToUtc, weekdayOf } from "../../model/time.ts";
import { seedCities } from "./cities.ts";

export interface DemoLogin {
  role: "admin" | "school" | "instructor";
  name: string;
  login: string;
  password: string;
}

// A practice offer is sold by the hour: it says how many hours of driving and what the price includes.
type Offer = [category: string, format: string, kind: "full_course" | "practice" | "test_prep", priceKzt: number, weeks: number, extra?: { hours: number; includes: string }];

const SCHOOLS: { city: string; name: string; login: string; address: string; phone: string; offers: Offer[] }[] = [
  {
    city: "Алматы",
    name: "Автошкола «Жол»",
    login: "school-zhol",
    address: "ул. Толе би, 101",
    phone: "+77012345601",
    offers: [
      ["B", "in_person", "full_course", 180_000, 10],
      ["B", "evening", "full_course", 190_000, 12],
      ["B", "online_theory", "test_prep", 25_000, 2],
      ["A", "in_person", "full_course", 120_000, 6],
    ],
  },
  {
    city: "Алматы",
    name: "Драйв Академия",
    login: "school-drive",
    address: "пр. Абая, 52",
    phone: "+77012345602",
    offers: [
      ["B", "accelerated", "full_course", 230_000, 5],
      ["B", "weekend", "full_course", 175_000, 14],
      ["C", "in_person", "full_course", 260_000, 12],
      ["B", "in_person", "practice", 75_000, 2, { hours: 10, includes: "автомобиль школы, топливо, автодром" }],
    ],
  },
  {
    city: "Астана",
    name: "Автошкола «Сарыарка»",
    login: "school-saryarka",
    address: "ул. Кенесары, 40",
    phone: "+77012345603",
    offers: [
      ["B", "in_person", "full_course", 170_000, 10],
      ["BE", "in_person", "full_course", 90_000, 4],
      ["D", "in_person", "full_course", 320_000, 16],
      ["B", "online_theory", "test_prep", 20_000, 2],
    ],
  },
  {
    city: "Шымкент",
    name: "Автошкола «Оңтүстік»",
    login: "school-ontustik",
    address: "пр. Тауке хана, 15",
    phone: "+77012345604",
    offers: [
      ["B", "in_person", "full_course", 150_000, 10],
      ["B", "evening", "full_course", 155_000, 12],
      ["A1", "in_person", "full_course", 80_000, 4],
    ],
  },
];

const INSTRUCTORS: {
  city: string;
  school?: string;
  name: string;
  login: string;
  transmission: Transmission;
  car: string;
  price: number;
}[] = [
  { city: "Алматы", school: "Автошкола «Жол»", name: "Ерлан Сапаров", login: "instr-erlan", transmission: "manual", car: "Chevrolet Cobalt", price: 7_000 },
  { city: "Алматы", name: "Айгерим Нурланова", login: "instr-aigerim", transmission: "automatic", car: "Hyundai Accent", price: 9_000 },
  { city: "Астана", school: "Автошкола «Сарыарка»", name: "Дмитрий Ким", login: "instr-dmitry", transmission: "automatic", car: "Kia Rio", price: 8_000 },
  { city: "Астана", name: "Бауыржан Ахметов", login: "instr-bauyrzhan", transmission: "manual", car: "Lada Vesta", price: 6_500 },
  { city: "Шымкент", name: "Гульнара Оспанова", login: "instr-gulnara", transmission: "automatic", car: "Toyota Corolla", price: 7_500 },
];

const SLOT_HOURS = [9, 11, 15, 18];

async function cityIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.select({ id: cities.id, nameRu: cities.nameRu }).from(cities);
  return new Map(rows.map((r) => [r.nameRu, r.id]));
}

async function ensureSchool(db: Db, cityId: number, s: (typeof SCHOOLS)[number]): Promise<number> {
  const [found] = await db.select({ id: schools.id }).from(schools).where(and(eq(schools.cityId, cityId), eq(schools.name, s.name)));
  if (found) return found.id;
  const [row] = await db
    .insert(schools)
    .values({
      cityId,
      name: s.name,
      address: s.address,
      phone: s.phone,
      whatsapp: s.phone,
      description: "Лицензированная автошкола, собственный автодром, опытные инструкторы.",
      kaspiUrl: "https://pay.kaspi.kz/pay/demo",
      halykUrl: "https://homebank.kz/payments/demo",
    })
    .returning({ id: schools.id });
  await db.insert(schoolOffers).values(
    s.offers.map(([category, format, kind, priceKzt, durationWeeks, extra]) => ({ schoolId: row!.id, category, format, kind, priceKzt, durationWeeks, hours: extra?.hours ?? null, includes: extra?.includes ?? "" })),
  );
  return row!.id;
}

async function ensureInstructor(db: Db, cityId: number, schoolId: number | null, i: (typeof INSTRUCTORS)[number], zone: string, now: Date) {
  const [found] = await db.select({ id: instructors.id }).from(instructors).where(and(eq(instructors.cityId, cityId), eq(instructors.name, i.name)));
  if (found) return found.id;
  const phone = `+7701${String(1000000 + i.name.length * 7919).slice(-7)}`;
  const [row] = await db
    .insert(instructors)
    .values({ cityId, schoolId, name: i.name, phone, whatsapp: phone, transmission: i.transmission, car: i.car, pricePerHourKzt: i.price, categories: ["B"] })
    .returning({ id: instructors.id });
  const today = localDate(zone, now);
  const slots = [];
  for (let day = 1; day <= 14; day++) {
    const date = addDays(today, day);
    if (weekdayOf(date) === 7) continue; // no lessons on Sundays
    for (const hour of SLOT_HOURS) {
      slots.push({ instructorId: row!.id, startsAt: localToUtc(zone, date.y, date.m, date.d, hour), minutes: 90 });
    }
  }
  await db.insert(instructorSlots).values(slots).onConflictDoNothing();
  return row!.id;
}

export async function seedDemo(db: Db, zone: string, now = new Date()): Promise<DemoLogin[]> {
  await seedCities(db);
  const ids = await cityIds(db);
  const logins: DemoLogin[] = [];
  const schoolIds = new Map<string, number>();
  for (const s of SCHOOLS) {
    const id = await ensureSchool(db, ids.get(s.city)!, s);
    schoolIds.set(s.name, id);
    logins.push(await login(db, { role: "school", name: s.name, login: s.login, schoolId: id }));
  }
  for (const i of INSTRUCTORS) {
    const schoolId = i.school ? schoolIds.get(i.school)! : null;
    const id = await ensureInstructor(db, ids.get(i.city)!, schoolId, i, zone, now);
    logins.push(await login(db, { role: "instructor", name: i.name, login: i.login, instructorId: id }));
  }
  logins.unshift(await login(db, { role: "admin", name: "Администратор", login: "admin" }));
  return logins;
}

async function login(
  db: Db,
  a: { role: DemoLogin["role"]; name: string; login: string; schoolId?: number; instructorId?: number },
): Promise<DemoLogin> {
  const password = generatePassword();
  await upsertAccount(db, { ...a, password, displayName: a.name });
  return { role: a.role, name: a.name, login: a.login, password };
}
