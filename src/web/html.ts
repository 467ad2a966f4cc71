// Every HTML answer goes through here, so the content type and charset are set once.
export function htmlResponse(body: string | Promise<string>, status = 200, headers: Record<string, string> = {}) {
  return Promise.resolve(body).then(
    (text) => new Response(text, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } }),
  );
}
