// The phone's top bar (issue 17, phone-first CRM): the button that shows the page's filters, which
// a phone keeps folded. The menu's own name is the shared areaTexts.menu (common.ts).
import { bilingual } from "../bilingual.ts";

export const navTexts = bilingual({
  ru: { filters: "Фильтры" },
  kk: { filters: "Сүзгілер" },
});
