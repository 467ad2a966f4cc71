// SVG charts: accessible, sized by viewBox, every label escaped.
import { describe, expect, test } from "bun:test";
import { BarChart, FunnelChart } from "../../views/components/chart.tsx";

const evil = `<script>alert("x")</script>`;

describe("BarChart", () => {
  test("renders one bar per value, scaled to the largest, with an accessible name and data", async () => {
    const html = await (
      <BarChart
        title="Заявки по неделям"
        data={[
          { label: "03.03", value: 2 },
          { label: "10.03", value: 4 },
        ]}
        width={200}
        height={100}
      />
    );
    expect(html).toStartWith('<svg class="chart chart-bars" viewBox="0 0 200 100" role="img" aria-label="Заявки по неделям"');
    expect(html).toContain("<title>Заявки по неделям</title>");
    expect(html).toContain("<desc>03.03: 2; 10.03: 4</desc>");
    // Plot height 100 − 20 − 28 = 52: the larger bar is full height, the other half.
    expect(html).toContain('height="52"');
    expect(html).toContain('height="26"');
    expect(html).not.toContain("width=\"100%\"");
  });

  // Issue 17: the status chart's labels ran into each other; a label wider than its slot is slanted.
  test("slants labels wider than their bars' slots, and only then", async () => {
    const statuses = ["Новая", "Связались", "Подтверждена", "Оплачена", "Обучается", "Завершена", "Отклонена", "Отменена студентом"].map((label) => ({ label, value: 1 }));
    const slanted = await (<BarChart title="По статусам" data={statuses} />);
    expect(slanted.match(/class="chart-label"/g)?.length).toBe(8);
    expect(slanted.match(/transform="rotate\(-40 /g)?.length).toBe(8);
    const weeks = await (<BarChart title="По неделям" data={[{ label: "03.03", value: 1 }, { label: "10.03", value: 2 }]} />);
    expect(weeks).not.toContain("rotate(");
  });

  test("escapes labels and titles", async () => {
    const html = await (<BarChart title={evil} data={[{ label: evil, value: 1 }]} />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toMatch(/aria-label="&lt;script&gt;alert\((&quot;|&#34;)x(&quot;|&#34;)\)&lt;\/script&gt;"/);
  });

  test("says so when there is no data", async () => {
    const html = await (<BarChart title="Пусто" data={[]} emptyText="Заявок пока нет" />);
    expect(html).toContain("Заявок пока нет");
    expect(html).not.toContain("<rect");
  });
});

describe("FunnelChart", () => {
  test("shows each stage with its count and share of the first", async () => {
    const html = await (
      <FunnelChart
        title="Воронка"
        steps={[
          { label: "Новые", value: 8 },
          { label: "Связались", value: 6 },
          { label: "Подтверждены", value: 4 },
          { label: "Оплачены", value: 3 },
        ]}
      />
    );
    expect(html).toContain('role="img" aria-label="Воронка"');
    expect(html).toContain("<desc>Новые: 8 (100%); Связались: 6 (75%); Подтверждены: 4 (50%); Оплачены: 3 (38%)</desc>");
    expect(html).toContain(">6 · 75%</text>");
    expect(html.match(/<rect /g)).toHaveLength(4);
  });

  test("escapes stage labels", async () => {
    const html = await (<FunnelChart title="Воронка" steps={[{ label: evil, value: 1 }]} />);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
