// How the bot reads a student's Telegram message into what the thread stores
// (src/bot/message-content.ts): text, the largest photo, a document with its name, type and
// size, or the kind of message that is not relayed.
import { describe, expect, test } from "bun:test";
import { studentContentOf } from "../../src/bot/message-content.ts";

describe("studentContentOf", () => {
  test("text, clipped to one Telegram message", () => {
    expect(studentContentOf({ text: "Здравствуйте" })).toEqual({ text: "Здравствуйте" });
    expect(studentContentOf({ text: "я".repeat(5000) })).toEqual({ text: "я".repeat(4096) });
  });

  test("a photo: the largest size whatever the order, the caption as text, and a ~320 px size for the thumbnail", () => {
    const photo = [
      { file_id: "big", width: 1280, height: 960 },
      { file_id: "small", width: 90, height: 67, file_size: 900 },
      { file_id: "huge", width: 2560, height: 1920 },
      { file_id: "mid", width: 320, height: 240 },
      { file_id: "800", width: 800, height: 600 },
    ];
    expect(studentContentOf({ photo, caption: "Чек" })).toEqual({ text: "Чек", media: { kind: "photo", fileId: "huge", thumbFileId: "mid" } });
    // A tall photo: its longer side counts.
    expect(studentContentOf({ photo: [{ file_id: "t1", width: 240, height: 320 }, { file_id: "t2", width: 900, height: 1200 }] })).toMatchObject({ media: { fileId: "t2", thumbFileId: "t1" } });
  });

  test("no separate thumbnail when the only size of ~320 px or more is the photo itself, or all sizes are smaller", () => {
    const content = studentContentOf({ photo: [{ file_id: "a", width: 90, height: 60 }, { file_id: "b", width: 200, height: 150 }, { file_id: "c", width: 600, height: 450 }] });
    expect(content).toEqual({ text: "", media: { kind: "photo", fileId: "c" } });
    expect(studentContentOf({ photo: [{ file_id: "a", width: 90, height: 60 }, { file_id: "only", width: 200, height: 150, file_size: 3 }] })).toEqual({ text: "", media: { kind: "photo", fileId: "only", size: 3 } });
  });

  test("a document keeps its file_id, name, type and size", () => {
    const document = { file_id: "d1", file_name: "med.pdf", mime_type: "application/pdf", file_size: 1000 };
    expect(studentContentOf({ document })).toEqual({ text: "", media: { kind: "document", fileId: "d1", fileName: "med.pdf", mime: "application/pdf", size: 1000 } });
  });

  test("kinds that are not relayed are named; a GIF is not taken for a document", () => {
    expect(studentContentOf({ sticker: {} })).toEqual({ unsupported: "sticker" });
    expect(studentContentOf({ voice: {} })).toEqual({ unsupported: "voice" });
    expect(studentContentOf({ animation: {}, document: { file_id: "gif" } })).toEqual({ unsupported: "animation" });
    expect(studentContentOf({ venue: {}, location: {} })).toEqual({ unsupported: "location" });
    expect(studentContentOf({ contact: { phone_number: "+77010000000" } })).toEqual({ unsupported: "contact" });
    expect(studentContentOf({})).toEqual({ unsupported: "other" });
    expect(studentContentOf({ photo: [] })).toEqual({ unsupported: "other" });
  });
});
