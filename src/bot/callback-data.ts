// Every inline button's payload. Positional wire format: only append fields (see @gramio/callback-data).
import { CallbackData } from "gramio";

export const cityData = new CallbackData("city").number("id");
