-- Inbox search by words (issue 19's search target): a typed text finds a student when each of its
-- words starts a word of the name, in any order ("жан конысб", "Конысбаева Жанар"); digits (3+)
-- still find any part of the phone. Replaces 0006's trigram index over name and phone, whose scan
-- intersected 13 common trigrams with the whole school's posting list (1.4–1.9 ms on the busiest
-- school, bench/results.md).
--
-- The keys are scoped: each lexeme of the name (PostgreSQL's 'simple' parser, lower-cased) is stored
-- as 's<school id>/<word>' (an instructor's application: 'i<instructor id>/…'), so a prefix search
-- reads only that school's keys, and again as 's<school id>:<status>/<word>', so a search within a
-- status tab reads only that status's keys (busiest school, a full name: 0.24 ms instead of 0.8 ms;
-- the price is twice the index, 100 MB instead of 40 for 1,000,000 applications). A plain multi-column
-- GIN (school_id, status, to_tsvector(name)) was measured and rejected: a prefix query there collects
-- every school's rows of the word into a bitmap (20–60 ms). Both the keys and the query are made by
-- these functions, so the typed text and the names are split and folded by the same rule.
-- src/domain/inbox.ts spells the indexed expressions exactly as here (PostgreSQL matches an index by
-- expression).
create or replace function inbox_name_keys(owner text, status text, name text) returns tsvector
language sql immutable parallel safe
as $$ select array_to_tsvector(array(
  select scope || w
  from unnest(tsvector_to_array(to_tsvector('simple'::regconfig, coalesce(name, '')))) w,
       unnest(array[owner || '/', owner || ':' || status || '/']) scope
)) $$;
--> statement-breakpoint
-- Each word of the typed text as a prefix of a key of the owner (of the owner and the status when the
-- search is within one), all of them required. A text with no word (only punctuation) gives the bare
-- scope ('s1/'), which is no key: it finds nothing (an empty tsquery would match nothing too, but
-- with a NOTICE on every call).
create or replace function inbox_name_query(owner text, status text, typed text) returns tsquery
language sql immutable parallel safe
as $$ select coalesce(
    string_agg('''' || replace(replace(scope || w, '\', '\\'), '''', '''''') || ''':*', ' & '),
    '''' || replace(replace(scope, '\', '\\'), '''', '''''') || '''')::tsquery
  from (select owner || coalesce(':' || status, '') || '/' as scope) s
  left join unnest(tsvector_to_array(to_tsvector('simple'::regconfig, coalesce(typed, '')))) w on true
  group by scope $$;
--> statement-breakpoint
create index if not exists "applications_name_words_idx" on "applications" using gin (inbox_name_keys((case "kind" when 'school' then 's' || "school_id" else 'i' || "instructor_id" end), "status", "student_name"));
--> statement-breakpoint
-- Digits of the phone: trigrams under the same owner key (btree_gin), not the school_id column, so
-- the planner never ANDs the whole school's posting list into a name search.
create index if not exists "applications_phone_search_idx" on "applications" using gin ((case "kind" when 'school' then 's' || "school_id" else 'i' || "instructor_id" end), "student_phone" gin_trgm_ops);
--> statement-breakpoint
drop index if exists "applications_school_search_idx";
