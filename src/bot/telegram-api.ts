// Calls to the Bot API for everything the bot sends. We call it ourselves rather than through
// GramIO's api object to get a timeout on every call (a hung request must not block a chat) and
// one retry policy (GramIO's auto-retry plugin is not available here): 429 waits retry_after,
// 5xx / network errors / timeouts back off, 403 means the user blocked the bot.

export class TelegramApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number, // 0 = network error or timeout
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(`${method}: ${code || "network"} ${description}`);
  }
  get blocked(): boolean {
    return this.code === 403;
  }
  get retryable(): boolean {
    return this.code === 0 || this.code === 429 || this.code >= 500;
  }
}

export interface TelegramApi {
  call<T = unknown>(method: string, params: Record<string, unknown>): Promise<T>;
}

export function telegramApi(apiRoot: string, token: string, timeoutMs = 15_000): TelegramApi {
  return {
    async call<T>(method: string, params: Record<string, unknown>): Promise<T> {
      let res: Response;
      try {
        res = await fetch(`${apiRoot}/bot${token}/${method}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(params),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new TelegramApiError(method, 0, (err as Error).name === "TimeoutError" ? "timed out" : (err as Error).message);
      }
      const body = (await res.json().catch(() => null)) as {
        ok: boolean;
        result?: T;
        error_code?: number;
        description?: string;
        parameters?: { retry_after?: number };
      } | null;
      if (body?.ok) return body.result as T;
      throw new TelegramApiError(method, body?.error_code ?? res.status, body?.description ?? res.statusText, body?.parameters?.retry_after);
    },
  };
}

/** Retries retryable failures `attempts` times in all, waiting retry_after or backing off. */
export async function callWithRetry<T>(api: TelegramApi, method: string, params: Record<string, unknown>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await api.call<T>(method, params);
    } catch (err) {
      if (!(err instanceof TelegramApiError) || !err.retryable || i >= attempts) throw err;
      await Bun.sleep(err.retryAfter ? err.retryAfter * 1000 : Math.min(500 * 2 ** (i - 1), 8000));
    }
  }
}
