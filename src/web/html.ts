// The web side's answers: every HTML answer goes through htmlResponse, so the content type and
// charset are set once; seeOther is the redirect after a POST.
export function htmlResponse(body: string | Promise<string>, status = 200, headers: Record<string, string> = {}) {
  return Promise.resolve(body).then(
    (text) => new Response(text, { status, headers: { "content-type": "text/html; charset=utf-8", ...headers } }),
  );
}

/** 303 See Other: after a POST, the browser GETs `location`. */
export function seeOther(location: string) {
  return new Response(null, { status: 303, headers: { location } });
}
