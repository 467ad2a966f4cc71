// Where the student stands when applying: no licence yet, a licence, or a school certificate
// without the licence. The bot's first question decides it; the school sees it on the application.
// Labels: i18n situationNames / situationShort.
export const SITUATIONS = ["no_licence", "licence", "certificate"] as const;
export type Situation = (typeof SITUATIONS)[number];

export function isSituation(value: unknown): value is Situation {
  return typeof value === "string" && (SITUATIONS as readonly string[]).includes(value);
}

/** The SQL list of the check constraint ("('no_licence', 'licence', 'certificate')"). */
export function sqlSituationList(): string {
  return `(${SITUATIONS.map((s) => `'${s}'`).join(", ")})`;
}
