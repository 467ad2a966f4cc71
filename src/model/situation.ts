// Where the student stands when applying: no licence yet, a licence, or a school certificate
// without the licence. The bot's first question decides it; the school sees it on the application.
export const SITUATIONS = ["no_licence", "licence", "certificate"] as const;
export type Situation = (typeof SITUATIONS)[number];
