// The student's payment answers (issue 16), pure: the amount as people type it, what a receipt may
// be, when a claim is allowed, and the payment buttons through the one callback parser.
import { describe, expect, test } from "bun:test";
import { parseCallbackData, payButtonData, payData } from "../../src/bot/callback-data.ts";
import { applicationStatuses } from "../../src/model/application-status.ts";
import { paymentKk } from "../../src/i18n/payment-kk.ts";
import { canClaimPayment, paymentClosed, MAX_PAYMENT_KZT, MAX_RECEIPT_BYTES, parsePaymentKzt, receiptProblem } from "../../src/model/payment.ts";

describe("parsePaymentKzt", () => {
  test("accepts whole tenge written as people write them", () => {
    for (const [typed, n] of [["150 000", 150_000], ["150000 ₸", 150_000], ["150 000 тг", 150_000], ["150000тг", 150_000], ["12 000 теңге", 12_000], ["12000 тенге", 12_000], ["1", 1], [String(MAX_PAYMENT_KZT), MAX_PAYMENT_KZT], ["150\u00a0000", 150_000]] as const)
      expect(parsePaymentKzt(typed)).toBe(n);
  });
  test("refuses what is not a positive whole number up to the limit", () => {
    for (const typed of ["abc", "0", "-5", "1e9", "1.5", "150,5", "", " ", "тг", String(MAX_PAYMENT_KZT + 1), "99999999999", "1 000 000 000", "0x10"]) expect(parsePaymentKzt(typed)).toBeNull();
  });
});

describe("receiptProblem", () => {
  test("a photo or a PDF within the size is a receipt", () => {
    expect(receiptProblem({ text: "", media: { kind: "photo", fileId: "p", size: 1000 } })).toBeNull();
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", mime: "application/pdf", size: 1000 } })).toBeNull();
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "чек.PDF" } })).toBeNull();
  });
  test("a photo sent as a file (JPEG or PNG) and a PDF some client typed application/octet-stream are receipts", () => {
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "IMG_0042.JPG", mime: "image/jpeg", size: 3_000_000 } })).toBeNull();
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "screen.png", mime: "image/png", size: 900_000 } })).toBeNull();
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "kaspi-чек.pdf", mime: "application/octet-stream", size: 80_000 } })).toBeNull();
    // Still refused: an octet-stream that is not named .pdf, and an image type that is not a photo format.
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "чек.bin", mime: "application/octet-stream" } })).toBe("not_receipt");
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "x.svg", mime: "image/svg+xml" } })).toBe("not_receipt");
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "IMG.JPG", mime: "image/jpeg", size: MAX_RECEIPT_BYTES + 1 } })).toBe("too_large");
  });
  test("anything else is not, and a file over the limit is too large", () => {
    expect(receiptProblem({ unsupported: "sticker" })).toBe("not_receipt");
    expect(receiptProblem({ unsupported: "video" })).toBe("not_receipt");
    expect(receiptProblem({ text: "150000" })).toBe("not_receipt");
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "чек.docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } })).toBe("not_receipt");
    // A .pdf name does not make an HTML file a PDF: the type Telegram tells wins.
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", fileName: "x.pdf", mime: "text/html" } })).toBe("not_receipt");
    expect(receiptProblem({ text: "", media: { kind: "photo", fileId: "p", size: MAX_RECEIPT_BYTES + 1 } })).toBe("too_large");
    expect(receiptProblem({ text: "", media: { kind: "document", fileId: "d", mime: "application/pdf", size: MAX_RECEIPT_BYTES + 1 } })).toBe("too_large");
  });
});

test("the Kazakh amount and receipt answers read correctly", () => {
  expect(paymentKk.payBadAmount("10 000 000")).toContain("бүтін сан жазыңыз (ең көбі 10 000 000)");
  expect(paymentKk.payNotReceipt).toContain("немесе «Чексіз»");
  expect(paymentKk.payReceiptTooLarge(10)).toContain("немесе «Чексіз»");
});

test("a cancelled or rejected application's payment is closed to answers; a paid-like one is not", () => {
  expect(applicationStatuses.filter(paymentClosed)).toEqual(["rejected", "cancelled"]);
});

test("a claim is allowed on a confirmed or accepted application that is not final", () => {
  const allowed = applicationStatuses.filter(canClaimPayment);
  expect(allowed).toEqual(["confirmed", "paid", "studying", "accepted"]);
});

test("the payment buttons go through the one parser; forged ones are stale", () => {
  const data = payButtonData(42);
  expect(parseCallbackData(data.claim)).toEqual({ kind: "payment", applicationId: 42, action: "claim" });
  expect(parseCallbackData(data.skip)).toEqual({ kind: "payment", applicationId: 42, action: "skip" });
  expect(parseCallbackData(data.agree)).toEqual({ kind: "payment", applicationId: 42, action: "agree" });
  expect(parseCallbackData(payData.pack({ id: 42, a: "steal" }))).toEqual({ kind: "stale" });
  expect(parseCallbackData(payData.pack({ id: 2 ** 31, a: "claim" }))).toEqual({ kind: "stale" });
  expect(parseCallbackData(payData.pack({ id: -1, a: "claim" }))).toEqual({ kind: "stale" });
});
