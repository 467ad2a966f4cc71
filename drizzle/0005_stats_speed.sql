-- Statistics pages (issue 7): counters per subject and UTC day/month kept by a trigger, an index to
-- fetch the exact median response time, and stored weekly trust-trend points. See src/domain/stats.ts.
--
-- What one application contributes to the statistics of its school or instructor: one key per
-- counted fact. The funnel predicates are those of src/analytics/trust.ts (isPaid, isConfirmed);
-- 'rt:<b>' is the response-time bucket (width_bucket over RT_THRESHOLDS in src/domain/stats.ts).
create or replace function application_stat_keys(p_status text, p_source text, p_created timestamptz,
    p_first timestamptz, p_confirmed timestamptz, p_paid timestamptz)
returns text[] language sql immutable parallel safe as $$
  select array_remove(array[
    'total',
    's:' || p_status,
    'src:' || p_source,
    case when p_paid is not null or p_status in ('paid', 'studying', 'completed') then 'paid' end,
    case when p_paid is not null or p_status in ('paid', 'studying', 'completed')
           or p_confirmed is not null or p_status in ('confirmed', 'accepted') then 'confirmed' end,
    case when p_paid is not null or p_status in ('paid', 'studying', 'completed')
           or p_confirmed is not null or p_status in ('confirmed', 'accepted')
           or p_first is not null or p_status = 'contacted' then 'contacted' end,
    case when p_first is not null then 'rt:' || (width_bucket(extract(epoch from p_first - p_created)::float8,
      array[60, 120, 180, 300, 420, 600, 900, 1200, 1800, 2400, 3000, 3600, 4500, 5400, 7200, 9000, 10800,
            14400, 18000, 21600, 25200, 28800, 32400, 36000, 43200, 50400, 57600, 64800, 72000, 86400,
            100800, 115200, 129600, 151200, 172800, 216000, 259200, 345600, 432000, 604800, 1209600]::float8[]))::text end
  ], null)
$$;
--> statement-breakpoint
-- Counters: for the applications of a school (school_id) or an instructor (instructor_id) created
-- in the UTC day (grain 'day') or month (grain 'month') starting at `period`, how many carry each
-- key: {"total": 185, "s:new": 20, "src:bot": 130, "rt:21": 14, ...}. One row per subject and period.
create table application_stats (
  subject_kind text not null,
  subject_id integer not null,
  grain text not null,
  period date not null,
  counts jsonb not null default '{}'::jsonb,
  primary key (subject_kind, subject_id, grain, period)
);
--> statement-breakpoint
-- Sums two counter objects key by key.
create or replace function application_stats_merge(a jsonb, b jsonb) returns jsonb language sql immutable parallel safe as $$
  select coalesce(jsonb_object_agg(k, coalesce((a ->> k)::int, 0) + coalesce((b ->> k)::int, 0)), '{}'::jsonb)
    from (select jsonb_object_keys(a) union select jsonb_object_keys(b)) ks(k)
$$;
--> statement-breakpoint
-- Adds `p_delta` (1 or -1) to each of `p_keys` in the day and month rows of the application's subjects.
create or replace function application_stats_add(p_school integer, p_instructor integer, p_created timestamptz, p_keys text[], p_delta integer)
returns void language sql as $$
  insert into application_stats as c (subject_kind, subject_id, grain, period, counts)
  select s.kind, s.id, g.grain, g.period, (select jsonb_object_agg(k, p_delta) from unnest(p_keys) k)
    from (values ('school', p_school), ('instructor', p_instructor)) s(kind, id),
         (values ('day', (p_created at time zone 'UTC')::date),
                 ('month', date_trunc('month', p_created at time zone 'UTC')::date)) g(grain, period)
   where s.id is not null
   order by 1, 2, 3, 4
  on conflict (subject_kind, subject_id, grain, period) do update set counts = application_stats_merge(c.counts, excluded.counts)
$$;
--> statement-breakpoint
-- From scratch, set-based, one pass over applications (the backfill below; bench/seed-run.ts after
-- its bulk load, which bypasses the trigger).
create or replace function application_stats_refresh() returns void language sql set work_mem = '256MB' as $$
  delete from application_stats;
  insert into application_stats (subject_kind, subject_id, grain, period, counts)
  select kind, id, grain, period, jsonb_object_agg(key, n)
    from (select kind, id,
                 case when grouping(day) = 0 then 'day' else 'month' end as grain,
                 coalesce(day, month) as period, key, count(*)::int as n
            from (select s.kind, s.id, (a.created_at at time zone 'UTC')::date as day,
                         date_trunc('month', a.created_at at time zone 'UTC')::date as month,
                         unnest(application_stat_keys(a.status, a.source, a.created_at, a.first_response_at, a.confirmed_at, a.paid_at)) collate "C" as key
                    from applications a
                    cross join lateral (values ('school', a.school_id), ('instructor', a.instructor_id)) s(kind, id)
                   where s.id is not null) k
           group by grouping sets ((kind, id, day, key), (kind, id, month, key))) x
   group by kind, id, grain, period;
$$;
--> statement-breakpoint
-- The trust index of a subject as it stood at the end of a past week (`at`), computed once.
create table trust_trend_points (
  subject_kind text not null,
  subject_id integer not null,
  at timestamp with time zone not null,
  version smallint not null,
  value smallint not null,
  computed_at timestamp with time zone not null default now(),
  primary key (subject_kind, subject_id, at)
);
--> statement-breakpoint
-- Keeps the counters current in the writing transaction, whoever writes (domain, admin, fixtures),
-- and forgets stored trend points that a backdated write can change (a point at T depends only on
-- rows and timestamps up to T; ordinary writes are stamped now() and leave every point alone).
create or replace function application_stats_track() returns trigger language plpgsql as $$
declare
  since timestamptz;
  schools integer[];
  instructors integer[];
begin
  if tg_op = 'UPDATE' then
    if old.status is not distinct from new.status and old.source is not distinct from new.source
       and old.created_at is not distinct from new.created_at and old.first_response_at is not distinct from new.first_response_at
       and old.confirmed_at is not distinct from new.confirmed_at and old.paid_at is not distinct from new.paid_at
       and old.cancelled_at is not distinct from new.cancelled_at and old.school_id is not distinct from new.school_id
       and old.instructor_id is not distinct from new.instructor_id then
      return null;
    end if;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform application_stats_add(old.school_id, old.instructor_id, old.created_at,
      application_stat_keys(old.status, old.source, old.created_at, old.first_response_at, old.confirmed_at, old.paid_at), -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform application_stats_add(new.school_id, new.instructor_id, new.created_at,
      application_stat_keys(new.status, new.source, new.created_at, new.first_response_at, new.confirmed_at, new.paid_at), 1);
  end if;
  if tg_op = 'INSERT' then
    since := least(new.created_at, new.first_response_at, new.confirmed_at, new.paid_at, new.cancelled_at);
    schools := array[new.school_id]; instructors := array[new.instructor_id];
  elsif tg_op = 'DELETE' then
    since := least(old.created_at, old.first_response_at, old.confirmed_at, old.paid_at, old.cancelled_at);
    schools := array[old.school_id]; instructors := array[old.instructor_id];
  else
    schools := array[old.school_id, new.school_id]; instructors := array[old.instructor_id, new.instructor_id];
    if old.created_at <> new.created_at or old.school_id is distinct from new.school_id or old.instructor_id is distinct from new.instructor_id then
      since := least(old.created_at, new.created_at);
    end if;
    if old.first_response_at is distinct from new.first_response_at then since := least(since, old.first_response_at, new.first_response_at); end if;
    if old.confirmed_at is distinct from new.confirmed_at then since := least(since, old.confirmed_at, new.confirmed_at); end if;
    if old.paid_at is distinct from new.paid_at then since := least(since, old.paid_at, new.paid_at); end if;
    if old.cancelled_at is distinct from new.cancelled_at then since := least(since, old.cancelled_at, new.cancelled_at); end if;
    -- An application without a status history is judged by its status and updated_at (stats.ts asOf).
    if old.status is distinct from new.status and not exists (
        select 1 from application_events e where e.application_id = new.id and e.type in ('created', 'status') and e.to_status is not null) then
      since := least(since, old.updated_at, new.updated_at);
    end if;
  end if;
  if since is not null then
    delete from trust_trend_points p
     where ((p.subject_kind = 'school' and p.subject_id = any(schools)) or (p.subject_kind = 'instructor' and p.subject_id = any(instructors)))
       and p.at >= since;
  end if;
  return null;
end
$$;
--> statement-breakpoint
-- Row by row for changes (the app changes one application at a time)…
create trigger application_stats_track after update or delete on applications
  for each row execute function application_stats_track();
--> statement-breakpoint
-- …and set-based for inserts, so a bulk insert (imports, fixtures) costs one aggregate, not one upsert per row.
create or replace function application_stats_track_insert() returns trigger language plpgsql as $$
begin
  insert into application_stats as c (subject_kind, subject_id, grain, period, counts)
  select kind, id, grain, period, jsonb_object_agg(key, n)
    from (select kind, id, case when grouping(day) = 0 then 'day' else 'month' end as grain,
                 coalesce(day, month) as period, key, count(*)::int as n
            from (select s.kind, s.id, (r.created_at at time zone 'UTC')::date as day,
                         date_trunc('month', r.created_at at time zone 'UTC')::date as month,
                         unnest(application_stat_keys(r.status, r.source, r.created_at, r.first_response_at, r.confirmed_at, r.paid_at)) collate "C" as key
                    from new_rows r
                    cross join lateral (values ('school', r.school_id), ('instructor', r.instructor_id)) s(kind, id)
                   where s.id is not null) k
           group by grouping sets ((kind, id, day, key), (kind, id, month, key))) x
   group by kind, id, grain, period
   order by 1, 2, 3, 4
  on conflict (subject_kind, subject_id, grain, period) do update set counts = application_stats_merge(c.counts, excluded.counts);
  delete from trust_trend_points p
   using (select s.kind, s.id, min(least(r.created_at, r.first_response_at, r.confirmed_at, r.paid_at, r.cancelled_at)) as since
            from new_rows r
            cross join lateral (values ('school', r.school_id), ('instructor', r.instructor_id)) s(kind, id)
           where s.id is not null
           group by 1, 2) n
   where p.subject_kind = n.kind and p.subject_id = n.id and p.at >= n.since;
  return null;
end
$$;
--> statement-breakpoint
create trigger application_stats_track_insert after insert on applications
  referencing new table as new_rows for each statement execute function application_stats_track_insert();
--> statement-breakpoint
-- A status history entry dated in the past (imports, fixtures) changes the trend from then on.
create or replace function application_events_trend_track() returns trigger language plpgsql as $$
declare
  since timestamptz;
begin
  if tg_op = 'UPDATE' then since := least(old.at, new.at); else since := new.at; end if;
  delete from trust_trend_points p using applications a
   where a.id = new.application_id and p.at >= since
     and ((p.subject_kind = 'school' and p.subject_id = a.school_id) or (p.subject_kind = 'instructor' and p.subject_id = a.instructor_id));
  return null;
end
$$;
--> statement-breakpoint
create trigger application_events_trend_track after update on application_events
  for each row when (new.type in ('created', 'status')) execute function application_events_trend_track();
--> statement-breakpoint
create or replace function application_events_trend_track_insert() returns trigger language plpgsql as $$
begin
  delete from trust_trend_points p
   using (select s.kind, s.id, min(e.at) as since
            from new_rows e
            join applications a on a.id = e.application_id
            cross join lateral (values ('school', a.school_id), ('instructor', a.instructor_id)) s(kind, id)
           where e.type in ('created', 'status') and s.id is not null
           group by 1, 2) n
   where p.subject_kind = n.kind and p.subject_id = n.id and p.at >= n.since;
  return null;
end
$$;
--> statement-breakpoint
create trigger application_events_trend_track_insert after insert on application_events
  referencing new table as new_rows for each statement execute function application_events_trend_track_insert();
--> statement-breakpoint
-- The exact median response time: the counters find the bucket holding the middle, and these
-- indexes read the few values from there on (index-only: created_at and first_response_at included).
create index applications_school_response_idx on applications (school_id, (extract(epoch from first_response_at - created_at)::float8))
  include (created_at, first_response_at) where first_response_at is not null and school_id is not null;
--> statement-breakpoint
create index applications_instructor_response_idx on applications (instructor_id, (extract(epoch from first_response_at - created_at)::float8))
  include (created_at, first_response_at) where first_response_at is not null and instructor_id is not null;
--> statement-breakpoint
select application_stats_refresh();
