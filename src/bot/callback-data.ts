// Inline buttons' payloads. Positional wire format: only append fields (see @gramio/callback-data).
import { CallbackData } from "gramio";

/** A choice on a step: the step the button belongs to and the chosen value. */
export const stepData = new CallbackData("st").string("s").string("v");
/** /lang buttons. */
export const langData = new CallbackData("lg").string("l");
/** /my: cancel one of the student's applications. */
export const myCancelData = new CallbackData("mc").number("id");
