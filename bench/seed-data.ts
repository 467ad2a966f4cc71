// The national-size data set, generated inside the database: every table is filled by a few
// set-based `insert … select … from generate_series` statements (no rows travel from the client,
// no row-by-row inserts), and every "random" choice is hashint8extended(row number, salt), so the
// same seed and anchor give the same rows on PostgreSQL and on PGlite.
//
// Scale 1 (national): 20 cities, 1,000 schools (4 offers each), 10,000 instructors (20 slots each),
// 300,000 students, 1,000,000 applications (the busiest school, id 1, holding 10% = 100,000) with
// ~2.9 history events each, ~200,000 lessons, payments of the paid applications (and some claims),
// reviews of ~40% of finished courses, 5,000,000 funnel events, one CRM account per school.
// Smaller scales shrink every count (the smoke test runs at 0.0005).

export interface BenchSizes {
  cities: number;
  schools: number;
  instructors: number;
  slotsPerInstructor: number;
  students: number;
  applications: number;
  /** Share of all applications that go to school 1. */
  busiestShare: number;
  funnelEvents: number;
}

export function sizesFor(scale: number): BenchSizes {
  const n = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  return {
    cities: 20,
    schools: n(1_000, 4),
    instructors: n(10_000, 6),
    slotsPerInstructor: 20,
    students: n(300_000, 50),
    applications: n(1_000_000, 200),
    busiestShare: 0.1,
    funnelEvents: n(5_000_000, 500),
  };
}

/** Marks a database as made by bench:seed (app_state key), so bench:seed may wipe it again. */
export const BENCH_MARKER = "bench:seed";
/** Every seeded school account has this password (the bench creates its own account for school 1). */
export const SEED_PASSWORD = "bench-password-1";

export interface SeedOptions {
  scale: number;
  seed: number;
  /** "Now" of the data set: everything is dated relative to it (UTC midnight of the seeding day by default). */
  anchor: Date;
  /** An argon2id hash for the seeded school accounts (computed once by the caller). */
  passwordHash: string;
  /** Foreign-key triggers are off for the load (lanes may then ignore table order). */
  foreignKeysOff?: boolean;
}

/** Runs SQL text on one connection (lanes may run concurrently on different connections). */
export type Exec = (sql: string) => Promise<unknown>;

export interface SeedTimings {
  [step: string]: number;
}

const FIRST_NAMES = [
  "Айгерим", "Асель", "Дана", "Алия", "Мадина", "Жанар", "Камила", "Айдана", "Томирис", "Аружан",
  "Салтанат", "Гульнара", "Динара", "Зарина", "Ирина", "Анна", "Екатерина", "Мария", "Светлана", "Ольга",
  "Ерлан", "Нурлан", "Данияр", "Арман", "Тимур", "Бауыржан", "Алибек", "Санжар", "Ерасыл", "Әли",
  "Максат", "Олжас", "Руслан", "Дмитрий", "Алексей", "Сергей", "Андрей", "Артём", "Ильяс", "Азамат",
];
const LAST_NAMES = [
  "Ахметов", "Омаров", "Сейткали", "Жумабаев", "Нурланов", "Касымов", "Абдрахманов", "Исаев", "Тулегенов", "Бекмуханов",
  "Смагулов", "Ержанов", "Садыков", "Мукашев", "Искаков", "Кенжебаев", "Досмухамедов", "Утепов", "Рахимов", "Жаксылыков",
  "Иванов", "Петров", "Ким", "Пак", "Цой", "Шевченко", "Байжанов", "Калиев", "Султанов", "Амиров",
  "Есенов", "Мухаметжанов", "Оспанов", "Серикбаев", "Толеуов", "Уалиев", "Хамитов", "Шарипов", "Юсупов", "Ярошенко",
  "Абенов", "Бейсенов", "Габдуллин", "Дюсенов", "Ермеков", "Жунусов", "Зейнуллин", "Ибраев", "Конысбаев", "Лукпанов",
];
const SCHOOL_WORDS = ["Жол", "Драйв", "Сарыарка", "Автолидер", "Старт", "Магистраль", "Руль", "Светофор", "Профи", "Альянс", "Тұлпар", "Шапағат"];
const STREETS = ["Абая", "Толе би", "Кенесары", "Республики", "Сейфуллина", "Жибек жолы", "Назарбаева", "Достык", "Аль-Фараби", "Туран"];
const CITIES = [
  ["Астана", "Астана"], ["Алматы", "Алматы"], ["Шымкент", "Шымкент"], ["Караганда", "Қарағанды"], ["Актобе", "Ақтөбе"],
  ["Тараз", "Тараз"], ["Павлодар", "Павлодар"], ["Усть-Каменогорск", "Өскемен"], ["Семей", "Семей"], ["Атырау", "Атырау"],
  ["Костанай", "Қостанай"], ["Кызылорда", "Қызылорда"], ["Уральск", "Орал"], ["Петропавловск", "Петропавл"], ["Актау", "Ақтау"],
  ["Туркестан", "Түркістан"], ["Кокшетау", "Көкшетау"], ["Талдыкорган", "Талдықорған"], ["Конаев", "Қонаев"], ["Жезказган", "Жезқазған"],
];

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `array[${xs.map(lit).join(",")}]`;

/** The full name the seed gives a student id (the same expression everywhere, so applications agree with students). */
export function studentNameSql(id: string): string {
  return `(${arr(FIRST_NAMES)})[1 + (${id}) % ${FIRST_NAMES.length}] || ' ' || (${arr(LAST_NAMES)})[1 + ((${id}) / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}]`;
}
/** The same in TypeScript (the bench searches for a name that exists). */
export function studentName(id: number): string {
  return `${FIRST_NAMES[id % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(id / FIRST_NAMES.length) % LAST_NAMES.length]}`;
}
const studentPhoneSql = (id: string) => `'+7707' || lpad((${id})::text, 7, '0')`;

/** The seeding statements, grouped in lanes that may run at the same time (each lane in order). */
export function seedPlan(o: SeedOptions): { name: string; lanes: { name: string; sql: string }[][] }[] {
  const z = sizesFor(o.scale);
  const anchor = `${lit(o.anchor.toISOString())}::timestamptz`;
  // A uniform number in [0, 1) for row `g` and a salt: deterministic, no random().
  const r = (g: string, salt: number) => `((hashint8extended((${g})::int8, ${o.seed * 1000 + salt}) & 2147483647)::float8 / 2147483648.0)`;
  const pick = (xs: string[], g: string, salt: number) => `(${arr(xs)})[1 + floor(${r(g, salt)} * ${xs.length})::int]`;
  const busiest = Math.round(z.applications * z.busiestShare);
  const S = z.schools;
  const I = z.instructors;

  const cities = `insert into cities (id, name_ru, name_kk, sort, active)
    select i, (${arr(CITIES.map((c) => c[0]!))})[i], (${arr(CITIES.map((c) => c[1]!))})[i], i * 10, true from generate_series(1, ${z.cities}) i`;

  // Cities are skewed (Almaty, Astana, Shymkent hold most schools); 3% of schools are inactive.
  const schools = `insert into schools (id, city_id, name, address, phone, whatsapp, description, kaspi_url, halyk_url, active, created_at)
    select g, 1 + floor(pow(${r("g", 1)}, 2) * ${z.cities})::int,
           'Автошкола «' || ${pick(SCHOOL_WORDS, "g", 2)} || '» № ' || g,
           'ул. ' || ${pick(STREETS, "g", 3)} || ', ' || (1 + g % 200),
           '+7701' || lpad(g::text, 7, '0'), '+7701' || lpad(g::text, 7, '0'),
           'Категории A, B, C. Свой автодром, опытные инструкторы, помощь со сдачей экзамена в СпецЦОН.',
           'https://pay.kaspi.kz/pay/school' || g, case when g % 3 = 0 then 'https://homebank.kz/pay/school' || g else '' end,
           g = 1 or ${r("g", 4)} > 0.03, ${anchor} - make_interval(days => 400 + floor(${r("g", 5)} * 2000)::int)
      from generate_series(1, ${S}) g`;

  // Offer 1: B in person; 2: B in another format; 3: another category; 4: test preparation.
  const offers = `insert into school_offers (id, school_id, category, format, kind, price_kzt, duration_weeks, active)
    select (s - 1) * 4 + j, s,
           case j when 3 then ${pick(["A", "C", "BE", "C1", "D"], "s", 10)} else 'B' end,
           case j when 1 then 'in_person' when 2 then ${pick(["evening", "weekend", "accelerated", "online_theory"], "s", 11)}
                  when 3 then 'in_person' else 'online_theory' end,
           case j when 4 then 'test_prep' else 'full_course' end,
           case j when 4 then 15000 + 1000 * floor(${r("s * 4 + j", 12)} * 15)::int else 120000 + 5000 * floor(${r("s * 4 + j", 12)} * 45)::int end,
           case j when 4 then 2 else 4 + floor(${r("s * 4 + j", 13)} * 12)::int end,
           true
      from generate_series(1, ${S}) s, generate_series(1, 4) j`;

  // 60% of instructors work for a school (in its city), the rest on their own.
  const instructors = `insert into instructors (id, city_id, school_id, name, phone, whatsapp, transmission, car, price_per_hour_kzt, categories, kaspi_url, halyk_url, active, created_at)
    select g, coalesce(s.city_id, 1 + floor(pow(${r("g", 21)}, 2) * ${z.cities})::int), s.id,
           ${pick(FIRST_NAMES, "g", 22)} || ' ' || ${pick(LAST_NAMES, "g", 23)},
           '+7702' || lpad(g::text, 7, '0'), '+7702' || lpad(g::text, 7, '0'),
           case when ${r("g", 24)} < 0.7 then 'automatic' else 'manual' end,
           ${pick(["Toyota Corolla", "Hyundai Accent", "Kia Rio", "Chevrolet Cobalt", "Lada Granta", "Skoda Rapid"], "g", 25)},
           6000 + 500 * floor(${r("g", 26)} * 13)::int, '{B}', 'https://pay.kaspi.kz/pay/instr' || g, '',
           ${r("g", 27)} > 0.03, ${anchor} - make_interval(days => 100 + floor(${r("g", 28)} * 1500)::int)
      from generate_series(1, ${I}) g
      left join schools s on s.id = case when ${r("g", 20)} < 0.6 then 1 + floor(${r("g", 29)} * ${S})::int end`;

  // Ten days ahead, two lessons a day (10:00 and 15:00 in Almaty, UTC+5); 10% withdrawn by their
  // instructor (a booking is an application's slot_id, and bench applications hold none).
  const slots = `insert into instructor_slots (id, instructor_id, starts_at, minutes, state)
    select (i - 1) * ${z.slotsPerInstructor} + k, i,
           date_trunc('day', ${anchor}) + make_interval(days => 1 + (k - 1) / 2, hours => case when k % 2 = 1 then 5 else 10 end),
           90, case when ${r("i * 100 + k", 30)} < 0.1 then 'cancelled' else 'free' end
      from generate_series(1, ${I}) i, generate_series(1, ${z.slotsPerInstructor}) k`;

  const students = `insert into students (id, telegram_id, chat_id, first_name, last_name, username, phone, language, blocked, created_at)
    select g, 1000000000 + g, 1000000000 + g,
           (${arr(FIRST_NAMES)})[1 + g % ${FIRST_NAMES.length}], (${arr(LAST_NAMES)})[1 + (g / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}],
           'user' || g, case when ${r("g", 40)} < 0.8 then ${studentPhoneSql("g")} else '' end,
           case when ${r("g", 41)} < 0.2 then 'kk' else 'ru' end, false,
           ${anchor} - make_interval(days => floor(${r("g", 42)} * 730)::int, secs => floor(${r("g", 43)} * 86400)::int)
      from generate_series(1, ${z.students}) g`;

  // Applications: the first 10% go to school 1; of the rest 80% to schools (skewed: small ids are
  // big schools), 20% to instructors. Newer is likelier; 25% are older than the 365-day window.
  // Statuses and their timestamps agree with each other and with the history below.
  const applications = `insert into applications (id, public_number, student_id, kind, city_id, school_id, offer_id, instructor_id, slot_id,
      category, format, transmission, preferred_time, student_name, student_phone, source, status, idempotency_key,
      created_at, updated_at, first_response_at, confirmed_at, paid_at, cancelled_at)
    select x.g, x.g::text, x.student_id, x.kind, coalesce(sc.city_id, ins.city_id), x.school_id, o.id, x.instructor_id, null,
           coalesce(o.category, 'B'), o.format, ins.transmission,
           case when x.kind = 'instructor' then ${pick(["morning", "day", "evening"], "x.g", 50)} end,
           ${studentNameSql("x.student_id")}, ${studentPhoneSql("x.student_id")},
           case when x.rs < 0.7 then 'bot' when x.rs < 0.8 then 'instagram' when x.rs < 0.9 then '2gis' when x.rs < 0.95 then 'tiktok' else 'site' end,
           x.status, 'bench:' || x.g,
           x.created_at,
           greatest(x.created_at, x.first_response_at, x.confirmed_at, x.paid_at, x.cancelled_at),
           x.first_response_at, x.confirmed_at, x.paid_at, x.cancelled_at
      from (
        select y.*,
               case when y.status in ('new', 'cancelled') and y.rt < 0.7 then null
                    else y.created_at + make_interval(secs => floor(pow(y.rt, 3) * 172800)::int + 60) end as first_response_at,
               case when y.status in ('confirmed', 'paid', 'studying', 'completed', 'accepted')
                    then y.created_at + make_interval(secs => floor(pow(y.rt, 3) * 172800)::int + 60 + floor(y.ru * 259200)::int) end as confirmed_at,
               case when y.status in ('paid', 'studying', 'completed')
                    then y.created_at + make_interval(secs => floor(pow(y.rt, 3) * 172800)::int + 60 + floor(y.ru * 259200)::int + floor(y.rv * 345600)::int) end as paid_at,
               case when y.status = 'cancelled' then y.created_at + make_interval(secs => 3600 + floor(y.rv * 604800)::int) end as cancelled_at
          from (
            select z.*,
                   case when z.kind = 'school' then
                     case when z.rst < 0.15 then 'new' when z.rst < 0.30 then 'contacted' when z.rst < 0.40 then 'confirmed'
                          when z.rst < 0.50 then 'paid' when z.rst < 0.60 then 'studying' when z.rst < 0.80 then 'completed'
                          when z.rst < 0.90 then 'rejected' else 'cancelled' end
                   else
                     case when z.rst < 0.20 then 'new' when z.rst < 0.75 then 'accepted' when z.rst < 0.90 then 'rejected' else 'cancelled' end
                   end as status
              from (
                select g,
                       case when g <= ${busiest} or ${r("g", 51)} < 0.8 then 'school' else 'instructor' end as kind,
                       case when g <= ${busiest} then 1 when ${r("g", 51)} < 0.8 then 2 + floor(pow(${r("g", 52)}, 2) * ${S - 1})::int end as school_id,
                       case when g > ${busiest} and ${r("g", 51)} >= 0.8 then 1 + floor(pow(${r("g", 53)}, 2) * ${I})::int end as instructor_id,
                       1 + floor(${r("g", 54)} * ${z.students})::int as student_id,
                       ${anchor} - make_interval(secs => floor(pow(${r("g", 55)}, 1.6) * 540 * 86400)::int + 600) as created_at,
                       ${r("g", 56)} as rst, ${r("g", 57)} as rt, ${r("g", 58)} as ru, ${r("g", 59)} as rv, ${r("g", 60)} as rs,
                       ${r("g", 61)} as ro
                  from generate_series(1, ${z.applications}) g
              ) z
          ) y
      ) x
      left join schools sc on sc.id = x.school_id
      left join school_offers o on o.id = case when x.school_id is not null then (x.school_id - 1) * 4 + case when x.ro < 0.7 then 1 else 2 end end
      left join instructors ins on ins.id = x.instructor_id`;

  // History: created, then one status event per step the application went through (by the
  // school's account), a staff reply and the student's answer ('message') on 20% of the answered ones, payments.
  // Explicit ids (no nextval per row); the two statements run at the same time, so disjoint ranges.
  const eventsHead = (first: number) => `insert into application_events (id, application_id, account_id, type, from_status, to_status, payload, at)
    select ${first} + row_number() over (), e.* from (`;
  const events = `${eventsHead(0)}
    select a.id, null::int, 'created', null, 'new', '{"source":"bot"}'::jsonb, a.created_at from applications a
    union all
    select a.id, a.school_id, 'status', 'new', 'contacted', '{}'::jsonb, a.first_response_at
      from applications a where a.kind = 'school' and a.first_response_at is not null and a.status not in ('new', 'rejected', 'cancelled')
    union all
    select a.id, a.school_id, 'status', 'contacted', 'confirmed', '{}'::jsonb, a.confirmed_at from applications a where a.kind = 'school' and a.confirmed_at is not null
    union all
    select a.id, null, 'status', 'new', 'accepted', '{}'::jsonb, a.confirmed_at from applications a where a.kind = 'instructor' and a.confirmed_at is not null) e`;
  const events2 = `${eventsHead(10 * z.applications)}
    select a.id, a.school_id::int, 'status', 'confirmed', 'paid', '{}'::jsonb, a.paid_at from applications a where a.paid_at is not null
    union all
    select a.id, a.school_id, 'payment', null, null, jsonb_build_object('amount', 150000), a.paid_at from applications a where a.paid_at is not null
    union all
    select a.id, a.school_id, 'status', 'paid', 'studying', '{}'::jsonb, a.paid_at + interval '1 day' from applications a where a.status in ('studying', 'completed')
    union all
    select a.id, a.school_id, 'status', 'studying', 'completed', '{}'::jsonb, a.paid_at + interval '60 days' from applications a where a.status = 'completed'
    union all
    select a.id, a.school_id, 'status', case when a.first_response_at is null then 'new' else 'contacted' end, 'rejected',
           '{"reason":"Нет мест в группе"}'::jsonb, coalesce(a.first_response_at, a.created_at + interval '1 day') from applications a where a.status = 'rejected'
    union all
    select a.id, null, 'status', 'new', 'cancelled', '{}'::jsonb, a.cancelled_at from applications a where a.status = 'cancelled'
    union all
    select a.id, a.school_id, 'reply', null, null, '{"text":"Здравствуйте! Когда вам удобно подойти?"}'::jsonb, a.first_response_at
      from applications a where a.first_response_at is not null and a.id % 5 = 0
    union all
    select a.id, null, 'message', null, null, '{"text":"Завтра после обеда"}'::jsonb,
           a.first_response_at + make_interval(secs => 60 + floor(${r("a.id", 70)} * 172800)::int)
      from applications a where a.first_response_at is not null and a.id % 5 = 0) e`;

  // Two lessons per accepted instructor application: mostly conducted, some missed.
  const lessons = `insert into lessons (application_id, instructor_id, starts_at, minutes, state, no_show_by, created_at)
    select a.id, a.instructor_id, a.confirmed_at + make_interval(days => 2 * k), 90,
           case when a.confirmed_at + make_interval(days => 2 * k) > ${anchor} then 'planned'
                when ${r("a.id * 2 + k", 80)} < 0.85 then 'conducted' else 'no_show' end,
           case when a.confirmed_at + make_interval(days => 2 * k) <= ${anchor} and ${r("a.id * 2 + k", 80)} >= 0.85
                then case when ${r("a.id * 2 + k", 81)} < 0.7 then 'student' else 'instructor' end end,
           a.confirmed_at
      from applications a, generate_series(1, 2) k
     where a.kind = 'instructor' and a.status = 'accepted'`;

  // Payments (issue 16), consistent with paid_at: a paid school application was confirmed by both
  // sides (65%) or marked by the school alone (35%); an accepted instructor application was paid
  // by both sides' word in half the cases; 4% of confirmed school applications without paid_at
  // have the student's word only, disputed by the school (60%) or not checked yet (40%).
  const payments = `insert into payments (application_id, amount_kzt, student_at, staff_at, disputed_at, updated_at)
    select a.id, 150000, case when ${r("a.id", 100)} < 0.65 then a.paid_at - interval '1 hour' end, a.paid_at, null::timestamptz, a.paid_at
      from applications a where a.paid_at is not null
    union all
    select a.id, 5000 * 10, a.confirmed_at + interval '1 day', a.confirmed_at + interval '1 day', null::timestamptz, a.confirmed_at + interval '1 day'
      from applications a where a.kind = 'instructor' and a.status = 'accepted' and a.confirmed_at is not null and ${r("a.id", 101)} < 0.5
    union all
    select a.id, 150000, a.confirmed_at + interval '2 days', null::timestamptz,
           case when ${r("a.id", 102)} < 0.6 then a.confirmed_at + interval '3 days' end, a.confirmed_at + interval '3 days'
      from applications a
     where a.kind = 'school' and a.confirmed_at is not null and a.paid_at is null and ${r("a.id", 103)} < 0.04`;

  // Reviews (issue 16) of finished applications: 40% of completed school courses and 30% of
  // accepted instructor applications, one per student and subject (the unique indexes), ratings
  // skewed toward 4–5 (mean ≈ 4), a few days after the end, never after the anchor.
  const reviewOf = (kind: "school" | "instructor", where: string, end: string, share: number, salt: number) => `
    select distinct on (a.student_id, a.${kind}_id) a.id, a.student_id, ${kind === "school" ? "a.school_id, null::int" : "null::int, a.instructor_id"}, a.city_id,
           least(5, 1 + floor(pow(${r("a.id", salt)}, 0.45) * 5))::smallint,
           case when ${r("a.id", salt + 1)} < 0.5 then 'Всё понравилось' else '' end,
           least(${anchor}, ${end} + interval '3 days')
      from applications a where ${where} and ${r("a.id", salt + 2)} < ${share}`;
  const reviews = `insert into reviews (application_id, student_id, school_id, instructor_id, city_id, rating, comment, created_at)
    ${reviewOf("school", "a.kind = 'school' and a.status = 'completed' and a.paid_at is not null", "a.paid_at + interval '60 days'", 0.4, 110)}
    union all
    ${reviewOf("instructor", "a.kind = 'instructor' and a.status = 'accepted' and a.confirmed_at is not null", "a.confirmed_at + interval '4 days'", 0.3, 120)}`;

  // Funnel events: sessions of 1–12 steps per student and flow, mostly forward.
  const steps = ["licence", "certificate", "city", "category", "format", "schools", "school", "transmission", "instructors", "instructor", "phone", "name", "summary"];
  const half = Math.floor(z.funnelEvents / 2);
  const funnel = (from: number, to: number) => `insert into funnel_events (id, student_id, flow, step, action, at)
    select g, 1 + floor(${r("g", 90)} * ${z.students})::int,
           ${pick(["school", "school", "instructor", "testprep", "start"], "g", 91)},
           ${pick(steps, "g", 92)},
           case when ${r("g", 93)} < 0.80 then 'enter' when ${r("g", 93)} < 0.90 then 'back' when ${r("g", 93)} < 0.94 then 'restart'
                when ${r("g", 93)} < 0.97 then 'submit' else 'abandon' end,
           ${anchor} - make_interval(secs => floor(pow(${r("g", 94)}, 1.6) * 540 * 86400)::int)
      from generate_series(${from}, ${to}) g`;

  const accounts = `insert into accounts (id, login, password_hash, role, school_id, display_name)
    select g, 'school-' || g, ${lit(o.passwordHash)}, 'school', g, 'Менеджер школы ' || g from generate_series(1, ${S}) g`;

  const sequences = ["cities", "schools", "school_offers", "instructors", "instructor_slots", "students", "applications", "accounts", "application_events", "funnel_events"]
    .map((t) => `select setval(pg_get_serial_sequence('${t}', 'id'), (select coalesce(max(id), 1) from ${t}))`)
    .join(";\n");

  const catalog = [
    { name: "cities", sql: cities }, { name: "schools", sql: schools }, { name: "offers", sql: offers }, { name: "accounts", sql: accounts },
    { name: "instructors", sql: instructors }, { name: "slots", sql: slots }, { name: "students", sql: students },
  ];
  const funnelLane = [{ name: "funnel_events 1/2", sql: funnel(1, half) }, { name: "funnel_events 2/2", sql: funnel(half + 1, z.funnelEvents) }];
  const history = [
    [{ name: "application_events 1/2", sql: events }, { name: "lessons", sql: lessons }],
    [{ name: "application_events 2/2", sql: events2 }, { name: "payments", sql: payments }, { name: "reviews", sql: reviews }],
  ];
  const tail = { name: "sequences", lanes: [[{ name: "sequences", sql: sequences }]] };
  // Without foreign-key checks the funnel events need not wait for the students.
  if (o.foreignKeysOff)
    return [{ name: "catalog + applications | funnel", lanes: [[...catalog, { name: "applications", sql: applications }], funnelLane] }, { name: "history", lanes: history }, tail];
  return [
    { name: "catalog", lanes: [catalog] },
    { name: "applications | funnel", lanes: [[{ name: "applications", sql: applications }], funnelLane] },
    { name: "history", lanes: history },
    tail,
  ];
}

/** The tables whose secondary indexes are dropped during the load and built afterwards. */
export const BULK_TABLES = ["applications", "application_events", "funnel_events", "lessons", "students", "instructor_slots", "instructors", "schools", "school_offers"];
