-- The bot's durable inbox (issue 19, polling mode): each fetched batch of updates is stored here in
-- one statement before the offset confirms it to Telegram; per-chat workers (src/bot/chat-queues.ts)
-- handle the rows in update_id order and delete them once handled (processed_updates keeps the
-- exactly-once record). A new poller (a restart, another leader) starts from what is stored.
CREATE TABLE "bot_inbox" (
	"update_id" bigint PRIMARY KEY NOT NULL,
	"chat_key" text NOT NULL,
	"update" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
