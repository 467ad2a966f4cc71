// Charts: one row per value, its label and number as text (readable at any width: issue 17), the
// bar scaled to the largest, numbers in the page's language, every label escaped.
import { describe, expect, test } from "bun:test";
import { BarChart, FunnelChart } from "../../views/components/chart.tsx";

const evil = `<script>alert("x")</script>`;
const rows = (html: string) => [...html.matchAll(/<div class="chart-row">.*?<\/svg><\/div>/g)].map((m) => m[0]);
const barWidth = (row: string) => Number(row.match(/<rect width="([\d.]+)"/)?.[1]);

describe("BarChart", () => {
  test("one row per value: its label and number as text, the bar scaled to the largest", async () => {
    const html = await (
      <BarChart
        title="Заявки по неделям"
        data={[
          { label: "03.03", value: 2 },
          { label: "10.03", value: 4 },
        ]}
        language="ru"
      />
    );
    expect(html).toStartWith('<figure class="chart chart-bars"><figcaption class="hint">Заявки по неделям</figcaption>');
    const [first, second] = rows(html);
    expect(first).toContain('<span class="chart-label">03.03</span> <strong class="chart-value">2</strong>');
    expect(barWidth(first!)).toBe(50);
    expect(barWidth(second!)).toBe(100);
    // The bar stretches with its row (no fixed width anywhere) and is not read out: the text is.
    expect(html).toContain('<svg class="chart-bar" width="100%"');
    expect(html).toContain('aria-hidden="true"');
    expect(html).not.toMatch(/width="\d+"[^>]*viewBox="0 0 640/);
  });

  test("long labels are text on their own line, not squeezed under a bar (the status chart)", async () => {
    const html = await (<BarChart title="По статусам" data={[{ label: "Отменена учеником", value: 1 }, { label: "Оқушы бас тартты", value: 0 }]} language="kk" />);
    expect(html).toContain('<span class="chart-label">Отменена учеником</span>');
    expect(html).toContain('<span class="chart-label">Оқушы бас тартты</span>');
    expect(barWidth(rows(html)[1]!)).toBe(0);
  });

  test("numbers in the page's language", async () => {
    const ru = await (<BarChart title="x" data={[{ label: "a", value: 12345 }]} language="ru" />);
    const kk = await (<BarChart title="x" data={[{ label: "a", value: 12345 }]} language="kk" />);
    expect(ru).toContain(`>${(12345).toLocaleString("ru-RU")}</strong>`);
    expect(kk).toContain(`>${(12345).toLocaleString("kk-KZ")}</strong>`);
  });

  test("escapes labels and titles", async () => {
    const html = await (<BarChart title={evil} data={[{ label: evil, value: 1 }]} language="ru" />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  test("says so when there is no data, in the page's language by default", async () => {
    const given = await (<BarChart title="Пусто" data={[]} emptyText="Заявок пока нет" language="ru" />);
    expect(given).toContain("Заявок пока нет");
    expect(given).not.toContain("<rect");
    expect(await (<BarChart title="Бос" data={[]} language="kk" />)).toContain("Дерек жоқ");
  });
});

describe("FunnelChart", () => {
  test("shows each stage with its count and share of the first", async () => {
    const html = await (
      <FunnelChart
        title="Воронка"
        language="ru"
        steps={[
          { label: "Новые", value: 8 },
          { label: "Связались", value: 6 },
          { label: "Подтверждены", value: 4 },
          { label: "Оплачены", value: 3 },
        ]}
      />
    );
    expect(html).toContain("<figcaption class=\"hint\">Воронка</figcaption>");
    expect(rows(html)).toHaveLength(4);
    expect(html).toContain('<span class="chart-label">Связались</span> <strong class="chart-value">6 · 75%</strong>');
    expect(html).toContain(">3 · 38%</strong>");
    expect(barWidth(rows(html)[2]!)).toBe(50);
  });

  test("escapes stage labels", async () => {
    const html = await (<FunnelChart title="Воронка" steps={[{ label: evil, value: 1 }]} language="ru" />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
