// Ceiling (d): the least a bot can do per update against the same fake Bot API.
//   bun bench/servers/echo-bot.ts gramio   a bare GramIO bot, its own long polling, echo each text
//   bun bench/servers/echo-bot.ts raw      no framework: getUpdates, then one sendMessage per update
//                                          (all at once), the fake Bot API's own ceiling
// Env: TELEGRAM_API_ROOT, TELEGRAM_BOT_TOKEN. Replies "echo <text>"; runs until killed.
import { Bot } from "gramio";

const apiRoot = process.env.TELEGRAM_API_ROOT!;
const token = process.env.TELEGRAM_BOT_TOKEN!;
const mode = process.argv[2] ?? "gramio";

export async function runEcho(mode: string, apiRoot: string, token: string): Promise<{ stop(): Promise<void> }> {
  if (mode === "gramio") {
    const bot = new Bot({ token, api: { baseURL: `${apiRoot}/bot` } });
    bot.on("message", (ctx) => ctx.send(`echo ${ctx.text ?? ""}`));
    await bot.start();
    return { stop: () => bot.stop() };
  }
  let running = true;
  const call = (method: string, body: unknown) =>
    fetch(`${apiRoot}/bot${token}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
  const loop = (async () => {
    let offset = 0;
    while (running) {
      const { result } = await call("getUpdates", { offset, timeout: 1, limit: 100 });
      if (!result?.length) continue;
      await Promise.all(result.map((u: any) => call("sendMessage", { chat_id: u.message.chat.id, text: `echo ${u.message.text}` })));
      offset = result.at(-1).update_id + 1;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => {});
    },
  };
}

if (import.meta.main) {
  await runEcho(mode, apiRoot, token);
  process.stdout.write("ready\n");
}
