import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { renderJunit } from "./junit.ts";
import { type JsonReport, jsonReport } from "./report.ts";
import { buildFixture, ODD_NAME } from "./_report_test_util.ts";

/**
 * Characters outside XML 1.0's `Char` production (§2.2): a conforming parser must reject them,
 * xmldom does not look, so the test does.
 */
const NOT_XML_CHAR = new RegExp(
  "[^\\t\\n\\r\\u0020-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]",
  "u",
);

/** Parses XML, failing on any error the parser reports. */
function parseXml(xml: string): Element {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad !== null) {
    throw new Error(`character U+${bad[0].codePointAt(0)!.toString(16)} at ${bad.index}`);
  }
  const doc = new DOMParser({
    onError: (level, message) => {
      // Its one warning is about U+FFFD in the input, which the renderer writes on purpose.
      if (level !== "warning") throw new Error(`xmldom ${level}: ${message}`);
    },
  }).parseFromString(xml, "text/xml");
  assert(doc.documentElement !== null);
  return doc.documentElement;
}

function children(e: Element, tag: string): Element[] {
  return Array.from(e.childNodes).filter((n): n is Element =>
    n.nodeType === 1 && (n as Element).tagName === tag
  );
}

function counts(e: Element): number[] {
  return ["tests", "failures", "errors", "skipped"].map((a) => Number(e.getAttribute(a)));
}

Deno.test("renderJunit()", async (t) => {
  const fixture = await buildFixture();
  try {
    const xml = renderJunit(fixture.report);
    const root = parseXml(xml);

    await t.step("one testsuite per source and family, counts of the run", () => {
      assertStrictEquals(root.tagName, "testsuites");
      // 3 passing and 1 failing case × reference, fast; 1 skipped case once.
      assertEquals(counts(root), [9, 2, 0, 1]);
      const suites = children(root, "testsuite");
      assertEquals(suites.map((s) => [s.getAttribute("name"), ...counts(s)]), [
        ["onnxruntime.conv2d", 4, 2, 0, 0],
        ["onnxruntime.maxpool2d", 2, 0, 0, 0],
        ["pytorch.conv2d", 2, 0, 0, 0],
        ["extra.nosuchop", 1, 0, 0, 1],
      ]);
      // Each suite's counts are its children's.
      for (const s of suites) {
        const cases = children(s, "testcase");
        assertEquals(counts(s), [
          cases.length,
          cases.filter((c) => children(c, "failure").length > 0).length,
          cases.filter((c) => children(c, "error").length > 0).length,
          cases.filter((c) => children(c, "skipped").length > 0).length,
        ]);
        for (const c of cases) {
          assertStrictEquals(c.getAttribute("classname"), s.getAttribute("name"));
        }
      }
    });

    await t.step("the failure names the first differing element, per implementation", () => {
      const all = children(root, "testsuite").flatMap((s) => children(s, "testcase"));
      for (const impl of ["reference", "fast"]) {
        const testcase = all.find((c) =>
          c.getAttribute("name") === `${fixture.failingLabel} [${impl}]`
        );
        assert(testcase !== undefined, impl);
        const [failure] = children(testcase, "failure");
        const first = `output_0 (data set 0): values differ at index ${fixture.index}: actual ` +
          `${fixture.original}, expected ${fixture.expected}`;
        assert(
          failure.getAttribute("message")!.startsWith(first),
          failure.getAttribute("message")!,
        );
        assertStrictEquals(failure.getAttribute("type"), "tolerance");
        assert(failure.textContent!.startsWith(first), failure.textContent!);
        assert(
          failure.textContent!.includes("1 of 3 tensors outside tolerance"),
          failure.textContent!,
        );
      }
      const passing = all.find((c) =>
        c.getAttribute("name") === "golden/ort/conv2d_k1x1_s1x1_p0_d1x1_g1_b_n1_x3x3 [fast]"
      );
      assert(passing !== undefined);
      assertStrictEquals(passing.childNodes.length, 0);
    });

    await t.step("the skipped case: its name and reason survive escaping", () => {
      const suite = children(root, "testsuite").find((s) =>
        s.getAttribute("name") === "extra.nosuchop"
      );
      const [testcase] = children(suite!, "testcase");
      assertStrictEquals(testcase.getAttribute("name"), `extra/${ODD_NAME}`);
      assertStrictEquals(
        children(testcase, "skipped")[0].getAttribute("message"),
        "NoSuchOp (opset 17): operator NoSuchOp is not supported",
      );
    });

    await t.step("characters XML cannot carry become U+FFFD; newlines and tabs stay", () => {
      const hostile = structuredClone(fixture.parsed);
      const skipped = hostile.cases.find((c) => c.status === "skipped")!;
      skipped.reason = "a\u0001b & <c> \"d\" 'e'\nline\ttab \uD800 lone \uDFFF \uFFFE end";
      const parsed = parseXml(renderJunit(hostile));
      const message = parsed.getElementsByTagName("skipped")[0].getAttribute("message");
      assertStrictEquals(
        message,
        "a\uFFFDb & <c> \"d\" 'e'\nline\ttab \uFFFD lone \uFFFD \uFFFD end",
      );
      // The check above can fail: a raw control character is caught.
      assertThrows(() => parseXml("<a>\u0001</a>"), Error, "U+1");
      assertThrows(() => parseXml("<a><b></a>"), Error, "xmldom");
    });

    await t.step("a report parsed back from --json gives the same XML", () => {
      assertStrictEquals(renderJunit(fixture.parsed), xml);
    });

    await t.step("implementation names are plain strings (peers)", () => {
      const peer = structuredClone(fixture.parsed);
      // The peer adapters widen the implementation type; the renderer must not care.
      const name = "tfjs-cpu" as JsonReport["impls"][number];
      peer.impls = [name];
      for (const c of peer.cases) {
        c.impls = c.impls.slice(0, 1).map((r) => ({ ...r, impl: name }));
      }
      const names = Array.from(parseXml(renderJunit(peer)).getElementsByTagName("testcase"))
        .map((c) => c.getAttribute("name")!);
      assert(names.includes(`${fixture.failingLabel} [tfjs-cpu]`), names.join("\n"));
      assertStrictEquals(names.length, 5);
    });

    await t.step("an empty report; bad input is a TypeError naming the argument", () => {
      const empty = parseXml(renderJunit(jsonReport([], ["reference"], [])));
      assertEquals(counts(empty), [0, 0, 0, 0]);
      assertThrows(
        () => renderJunit({ format: 1 } as unknown as JsonReport),
        TypeError,
        "Cannot render the JUnit report: report.impls must be an array",
      );
      assertThrows(
        () => renderJunit("{}" as unknown as JsonReport),
        TypeError,
        "report must be a conformance report of format 1, got string",
      );
    });
  } finally {
    await Deno.remove(fixture.dir, { recursive: true });
  }
});
