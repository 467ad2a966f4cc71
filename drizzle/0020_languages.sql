-- Kazakh everywhere (issue 17):
-- - the language a staff member chose for the CRM and admin pages and for their Telegram alerts
--   (null: not chosen yet, the browser's Accept-Language decides);
-- - the Kazakh version of what schools and instructors write for students ('' = written only in
--   Russian: the bot shows the Russian text then, and the admin sees which schools lack Kazakh).
alter table accounts add column language text;
--> statement-breakpoint
alter table accounts add constraint accounts_language_ck check (language is null or language in ('ru', 'kk'));
--> statement-breakpoint
alter table schools add column name_kk text not null default '';
--> statement-breakpoint
alter table schools add column address_kk text not null default '';
--> statement-breakpoint
alter table schools add column description_kk text not null default '';
--> statement-breakpoint
alter table school_offers add column includes_kk text not null default '';
--> statement-breakpoint
alter table instructors add column meeting_point_kk text not null default '';
