import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { FAIR_MARGIN, marginClass, renderHtml, TIGHT_MARGIN } from "./html.ts";
import { type JsonReport, jsonReport } from "./report.ts";
import { buildFixture, ODD_NAME } from "./_report_test_util.ts";

/** Elements HTML writes without a closing tag. */
const VOID = new Set(["meta", "br", "hr", "img", "input", "link"]);

/** Checks that every tag the page opens is closed in order; returns the error or "". */
function tagBalance(html: string): string {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, rawName, selfClosing] = m;
    const name = rawName.toLowerCase();
    if (VOID.has(name) || selfClosing === "/") continue;
    if (closing === "") stack.push(name);
    else if (stack.pop() !== name) return `</${name}> at ${m.index} closes <${stack.at(-1)}>`;
  }
  return stack.length === 0 ? "" : `unclosed: ${stack.join(" > ")}`;
}

/** The `<span class="cell …">` whose title starts with `title`. */
function cellWithTitle(html: string, title: string): string {
  const at = html.indexOf(` title="${title}`);
  assert(at >= 0, `no cell titled ${title}`);
  return html.slice(html.lastIndexOf("<span", at), html.indexOf("</span></span>", at));
}

Deno.test("marginClass()", () => {
  const t = (worstMargin: number | null, failed = 0, passed = 1, skipped = 0) =>
    marginClass({ passed, failed, skipped, worstMargin });
  // Boundaries: each threshold belongs to the class above it.
  assertStrictEquals(t(1), "exact");
  assertStrictEquals(t(0.999), "good");
  assertStrictEquals(t(FAIR_MARGIN), "good");
  assertStrictEquals(t(FAIR_MARGIN - 1e-9), "fair");
  assertStrictEquals(t(TIGHT_MARGIN), "fair");
  assertStrictEquals(t(TIGHT_MARGIN - 1e-9), "tight");
  assertStrictEquals(t(0), "tight");
  assertStrictEquals(t(-1e-9), "fail");
  // A failure colours the cell red whatever the margin of the other cases.
  assertStrictEquals(t(0.9, 1), "fail");
  // A case that threw leaves no margin (null): red, not "no data".
  assertStrictEquals(t(null), "fail");
  assertStrictEquals(t(null, 0, 0, 3), "skip");
  assertStrictEquals(t(null, 0, 0, 0), "none");
});

Deno.test("renderHtml()", async (t) => {
  const fixture = await buildFixture();
  const peer = await buildFixture(["fast-ts"]);
  try {
    const html = renderHtml(fixture.report);

    await t.step("summary numbers are the run's: 3 passed, 1 failed, 1 skipped", () => {
      assert(html.startsWith("<!doctype html>\n"));
      // Three golden copies pass, the perturbed one fails, the unknown operator is skipped.
      assert(html.includes('<p id="summary-line">3 passed, 1 failed, 1 skipped</p>'));
      assert(html.includes('id="count-failed"><dt>failed</dt><dd>1</dd>'));
    });

    await t.step("the failing case shows its first differing element under each impl", () => {
      const rows = html.split("\n").filter((l) => l.startsWith('<tr class="failure"'));
      assertStrictEquals(rows.length, 2, rows.join("\n"));
      for (const [i, impl] of ["reference", "fast"].entries()) {
        assert(rows[i].includes(`data-case="${fixture.failingLabel}"`), rows[i]);
        assert(rows[i].includes(`<td class="impl">${impl}</td>`), rows[i]);
        assert(rows[i].includes("output_0 (data set 0)"), rows[i]);
        assert(
          rows[i].includes(
            `values differ at index ${fixture.index}: actual ${fixture.original}, ` +
              `expected ${fixture.expected}, delta ${fixture.expected - fixture.original}`,
          ),
          rows[i],
        );
      }
      assert(html.includes(`<h2>Failing cases (1)</h2>`));
    });

    await t.step("cells coloured by margin: the failing case's dilation red, the rest not", () => {
      // Only the perturbed case (…_d2x2_…) has dilation 2x2; both 1x1 conv2d cases pass.
      assert(cellWithTitle(html, "dilation = 2x2:").includes('class="cell m-fail"'));
      const passing = cellWithTitle(html, "dilation = 1x1:");
      assert(/class="cell m-(good|exact|fair|tight)"/.test(passing), passing);
      assert(passing.includes('<span class="count">2/2</span>'), passing);
      // A family of only skipped cases is grey.
      assert(cellWithTitle(html, "nosuchop:").includes('class="cell m-skip"'));
      for (const c of ["fail", "tight", "fair", "good", "exact", "skip"]) {
        assert(html.includes(`.m-${c} {`), `no style for m-${c}`);
      }
    });

    await t.step("names that need escaping are escaped everywhere", () => {
      const escaped = "odd &lt;i&gt;name &amp; &quot;quotes&quot; &#39;too&#39;";
      assert(!html.includes(ODD_NAME), "raw name in the page");
      assert(!html.includes("<i>"), "the name's markup leaked into the page");
      assert(html.includes(`extra/${escaped}`));
      const titled = renderHtml(fixture.report, { title: `</title><script>x</script>` });
      assert(titled.includes("<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"));
      assertStrictEquals(tagBalance(titled), "");
    });

    await t.step("self-contained: no script, no link, no URL", () => {
      for (const bad of ["http://", "https://", "<script", "<link", "src=", "url(", "@import"]) {
        assert(!html.includes(bad), `page contains ${bad}`);
      }
    });

    await t.step("tags are balanced (the checker rejects an unbalanced page)", () => {
      assertStrictEquals(tagBalance(html), "");
      assert(tagBalance("<div><span></div>") !== "");
    });

    await t.step("a report parsed back from --json renders the same page", () => {
      assertStrictEquals(renderHtml(fixture.parsed), html);
    });

    await t.step("peer matrix: forward and backward passed/ran per family and column", () => {
      assert(!html.includes('id="peers"'), "peer section without peers");
      const page = renderHtml(fixture.report, {
        peers: [{ name: "fast-ts", report: peer.report }],
      });
      const start = page.indexOf('<table class="peers">');
      const head = page.slice(start, page.indexOf("</thead>", start));
      const headings = [...head.matchAll(/<th colspan="2" class="peer">([^<]*)<\/th>/g)]
        .map((m) => m[1]);
      assertEquals(headings, ["ours: reference", "ours: fast", "fast-ts"]);
      // conv2d: three cases with gradients; the perturbed one fails forward only.
      const conv = page.split("\n").find((l) => l.startsWith('<tr data-family="conv2d">'));
      assert(conv !== undefined);
      const counts = [...conv.matchAll(/<span class="count">([^<]*)<\/span>/g)].map((m) => m[1]);
      assertEquals(counts, ["2/3", "3/3", "2/3", "3/3", "2/3", "3/3"]);
      const maxpool = page.split("\n").find((l) => l.startsWith('<tr data-family="maxpool2d">'));
      assertEquals(
        [...maxpool!.matchAll(/<span class="count">([^<]*)<\/span>/g)].map((m) => m[1]),
        ["1/1", "1/1", "1/1", "1/1", "1/1", "1/1"],
      );
      assert(page.includes("<h2>Failing cases of fast-ts (1)</h2>"));
      assertStrictEquals(tagBalance(page), "");
    });

    await t.step("an empty report", () => {
      const empty = renderHtml(jsonReport([], ["reference"], ["nowhere"]));
      assert(empty.includes('<p id="summary-line">0 passed, 0 failed, 0 skipped</p>'));
      assert(empty.includes("No failing cases."));
      assertStrictEquals(tagBalance(empty), "");
    });

    await t.step("bad input: TypeError naming the argument", () => {
      assertThrows(
        () => renderHtml(null as unknown as JsonReport),
        TypeError,
        "Cannot render the HTML report: report must be a conformance report of format 1, got null",
      );
      assertThrows(
        () => renderHtml({ ...fixture.report, format: 2 } as unknown as JsonReport),
        TypeError,
        "got format 2",
      );
      assertThrows(
        () => renderHtml({ ...fixture.report, cases: {} } as unknown as JsonReport),
        TypeError,
        "report.cases must be an array",
      );
      assertThrows(
        () => renderHtml(fixture.report, { peers: [{ name: "x", report: {} as JsonReport }] }),
        TypeError,
        "options.peers[0].report must be a conformance report of format 1",
      );
    });
  } finally {
    await Deno.remove(fixture.dir, { recursive: true });
    await Deno.remove(peer.dir, { recursive: true });
  }
});
