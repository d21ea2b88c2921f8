// Renders the HTML report in headless Chromium and checks what the browser shows, from the DOM
// after the page loaded: the summary numbers, the failing case with its first differing element,
// the computed background colours of the margin cells, and that the page fetched nothing.
//
// The page itself has no script. The test loads a copy with one inline probe script appended,
// which reads the DOM and the browser's Resource Timing list and writes them, base64-encoded JSON,
// into a <pre id="probe"> that `chromium --dump-dom` serialises. Skipped, saying so, when no
// Chromium is installed (`.ci/run` installs Debian's `chromium`); a hung page is killed after
// TIMEOUT_MS and fails the test.

import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { renderHtml } from "./html.ts";
import { buildFixture } from "./_report_test_util.ts";

const CHROMIUM = findChromium();
/** Chromium gets this long to load a page and print its DOM before it is killed. */
const TIMEOUT_MS = 30_000;

/** `$CHROMIUM` when set (a missing path there skips the test), else the usual Debian paths. */
function findChromium(): string | undefined {
  const chosen = Deno.env.get("CHROMIUM");
  const candidates = chosen !== undefined && chosen !== ""
    ? [chosen]
    : ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  for (const path of candidates) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not there: try the next.
    }
  }
  return undefined;
}

/** What the probe script reads from the loaded page. */
interface Probe {
  summaryLine: string;
  counts: Record<string, string>;
  failures: string[][];
  cells: { title: string; cls: string; background: string }[];
  legend: Record<string, string>;
  resources: string[];
}

const PROBE_SCRIPT = `<script>
addEventListener("load", () => {
  const text = (sel) => document.querySelector(sel)?.textContent ?? null;
  const probe = {
    summaryLine: text("#summary-line"),
    counts: Object.fromEntries(["passed", "failed", "skipped"].map((k) =>
      [k, text("#count-" + k + " dd")])),
    failures: [...document.querySelectorAll("#failures tr.failure")].map((tr) =>
      [...tr.children].map((td) => td.textContent)),
    cells: [...document.querySelectorAll("#matrix .cell")].map((el) => ({
      title: el.title, cls: el.dataset.class, background: getComputedStyle(el).backgroundColor })),
    legend: Object.fromEntries([...document.querySelectorAll("#legend li")].map((li) =>
      [li.dataset.class, getComputedStyle(li).backgroundColor])),
    resources: performance.getEntriesByType("resource").map((e) => e.name),
  };
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(probe))));
  document.body.append(pre);
});
</script>`;

/** Loads `page` (with the probe appended) in headless Chromium and returns what the probe read. */
async function probe(page: string, dir: string): Promise<Probe> {
  const file = `${dir}/page.html`;
  await Deno.writeTextFile(file, page.replace("</body>", `${PROBE_SCRIPT}\n</body>`));
  const profile = await Deno.makeTempDir({ prefix: "chromium_profile_" });
  try {
    const output = await new Deno.Command(CHROMIUM!, {
      args: [
        "--headless",
        "--disable-gpu",
        "--no-sandbox", // containers without user namespaces cannot start the sandbox
        `--user-data-dir=${profile}`,
        "--no-first-run",
        "--disable-background-networking",
        "--disable-extensions",
        "--dump-dom",
        `file://${file}`,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).output();
    const dom = new TextDecoder().decode(output.stdout);
    const match = /<pre id="probe">([A-Za-z0-9+/=]+)<\/pre>/.exec(dom);
    if (match === null) {
      const stderr = new TextDecoder().decode(output.stderr).split("\n").slice(-5).join("\n");
      throw new Error(
        `chromium (exit ${output.code}, signal ${output.signal}) printed no probe; stderr ends:\n` +
          stderr,
      );
    }
    const bytes = Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

function rgb(css: string): [number, number, number] {
  const m = /^rgba?\((\d+), (\d+), (\d+)/.exec(css);
  assert(m !== null, `not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

Deno.test({
  name: CHROMIUM === undefined
    ? "renderHtml() in headless Chromium (SKIPPED: no chromium at $CHROMIUM or /usr/bin; " +
      "apt-get install chromium)"
    : "renderHtml() in headless Chromium",
  ignore: CHROMIUM === undefined,
  fn: async (t) => {
    const fixture = await buildFixture();
    try {
      const shown = await probe(renderHtml(fixture.report), fixture.dir);

      await t.step("summary numbers equal the report's", () => {
        const s = fixture.report.summary;
        assertEquals([s.passed, s.failed, s.skipped], [3, 1, 1]);
        assertStrictEquals(shown.summaryLine, "3 passed, 1 failed, 1 skipped");
        assertEquals(shown.counts, { passed: "3", failed: "1", skipped: "1" });
      });

      await t.step("the failing case is listed with its first differing element", () => {
        assertEquals(shown.failures.map((row) => row.slice(0, 3)), [
          [fixture.failingLabel, "reference", "output_0 (data set 0)"],
          [fixture.failingLabel, "fast", "output_0 (data set 0)"],
        ]);
        for (const row of shown.failures) {
          assert(
            row[3].startsWith(
              `values differ at index ${fixture.index}: actual ${fixture.original}, ` +
                `expected ${fixture.expected}`,
            ),
            row[3],
          );
        }
      });

      await t.step("cells are coloured by margin as the browser computes it", () => {
        const bg = (title: string) => {
          const cell = shown.cells.find((c) => c.title.startsWith(title));
          assert(cell !== undefined, `no cell ${title}`);
          return cell;
        };
        const failing = bg("dilation = 2x2:"), passing = bg("dilation = 1x1:");
        assertStrictEquals(failing.cls, "fail");
        assertStrictEquals(failing.background, shown.legend.fail);
        assertStrictEquals(passing.background, shown.legend[passing.cls]);
        const [r, g, b] = rgb(failing.background);
        assert(r > g && r > b, `failure colour is not red: ${failing.background}`);
        const [r2, g2] = rgb(shown.legend.exact);
        assert(g2 > r2, `exact colour is not green: ${shown.legend.exact}`);
        // Every legend class has its own colour.
        const colours = Object.values(shown.legend);
        assertStrictEquals(new Set(colours).size, colours.length, colours.join(" "));
      });

      await t.step("no network requests (and the check sees one when there is)", async () => {
        assertEquals(shown.resources, []);
        // Control: the same page with an image from a closed local port.
        const leaky = renderHtml(fixture.report)
          .replace("</footer>", '<img src="http://127.0.0.1:9/x.png" alt=""></footer>');
        const control = await probe(leaky, fixture.dir);
        assertEquals(control.resources, ["http://127.0.0.1:9/x.png"]);
      });
    } finally {
      await Deno.remove(fixture.dir, { recursive: true });
    }
  },
});
