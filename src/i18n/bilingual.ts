// The staff pages' dictionaries: bilingual() lives in the model (src/model/bilingual.ts) so the
// model's own messages can use it; everyone else imports it from here.
export { bilingual, registeredDictionaries, type Bilingual } from "../model/bilingual.ts";
