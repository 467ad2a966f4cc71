// Text someone typed (a student's name, message or file name, a staff member's note or reply),
// where the CRM shows it in bulk: always escaped (`safe`), and inside `hx-ignore`, so that if
// markup ever slipped through escaping htmx would not process it (no hx-get/hx-post/hx-trigger
// in it would act). The second line of defence; public/htmx-guard.js and docs/security.md say
// the rest. htmx 4's attribute is hx-ignore (htmx 2 called it hx-disable).
/** One piece of user text as an inline element. */
export function UserText({ text, class: className }: { text: string; class?: string }) {
  return (
    <span class={className} hx-ignore safe>
      {text}
    </span>
  );
}

/** The attribute for an element whose whole content is user text (a thread entry), spread onto it. */
export const USER_CONTENT = { "hx-ignore": true } as const;
