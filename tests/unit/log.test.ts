import { describe, expect, test } from "bun:test";
import { redactSecrets } from "../../src/log.ts";

describe("logs", () => {
  test("never carry the bot token or a database password", () => {
    const line = redactSecrets('getUpdates failed url=https://api.telegram.org/bot123456:AAH-x_y/getUpdates db=postgres://app:s3cret@db/app');
    expect(line).not.toContain("AAH-x_y");
    expect(line).not.toContain("s3cret");
    expect(line).toContain("https://api.telegram.org/bot<redacted>/getUpdates");
  });
});
