import { assert, assertEquals, assertThrows } from "@std/assert";
import { trainingCurveSvg } from "./svg.ts";

/**
 * A small XML well-formedness check: one root, every tag closed in order, attributes quoted,
 * no stray `<` or `&` in text. Returns the element names in document order.
 */
function checkWellFormed(xml: string): string[] {
  const names: string[] = [], stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let at = 0, roots = 0;
  for (let m = token.exec(xml); m !== null; m = token.exec(xml)) {
    at = token.lastIndex;
    const [, closing, name, , selfClosing, text] = m;
    if (text !== undefined) {
      if (/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/.test(text)) throw new Error(`bare & in ${text}`);
      if (stack.length === 0 && text.trim() !== "") throw new Error("text outside the root");
      continue;
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
      continue;
    }
    if (stack.length === 0 && ++roots > 1) throw new Error("two roots");
    names.push(name);
    if (!selfClosing) stack.push(name);
  }
  if (at !== xml.length) throw new Error(`not XML at offset ${at}: ${xml.slice(at, at + 40)}`);
  if (stack.length > 0) throw new Error(`unclosed ${stack.join(", ")}`);
  return names;
}

/** Every number in every path and every x/y/cx/cy attribute. */
function coordinates(svg: string): { xs: number[]; ys: number[] } {
  const xs: number[] = [], ys: number[] = [];
  for (const [, d] of svg.matchAll(/ d="([^"]*)"/g)) {
    for (const [, x, y] of d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) {
      xs.push(Number(x));
      ys.push(Number(y));
    }
  }
  for (const [, k, v] of svg.matchAll(/ (c?[xy])="(-?[\d.]+)"/g)) {
    (k.endsWith("x") ? xs : ys).push(Number(v));
  }
  return { xs, ys };
}

Deno.test("trainingCurveSvg()", async (t) => {
  const losses = Array.from({ length: 300 }, (_, i) => 2.3 * Math.exp(-i / 60) + 0.2);

  await t.step("well-formed standalone SVG inside its view box", () => {
    const svg = trainingCurveSvg({ losses, stepsPerEpoch: 100, accuracies: [0.81, 0.85, 0.87] });
    assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="720" height="400"'));
    const names = checkWellFormed(svg);
    assertEquals(names[0], "svg");
    assertEquals(names.filter((n) => n === "circle").length, 3);
    const { xs, ys } = coordinates(svg);
    assert(xs.length > 600 && xs.every((x) => x >= 0 && x <= 720), "x inside the width");
    assert(ys.every((y) => y >= 0 && y <= 400), "y inside the height");
    for (const label of ["0.8100", "0.8500", "0.8700", "epoch", "test accuracy", "loss"]) {
      assert(svg.includes(`>${label}<`), label);
    }
  });

  await t.step("steps span the frame: last step on its right edge, top tick on its top", () => {
    // Constant loss 1 over 2 epochs of 4 steps: loss axis 0..1, so a flat raw line along the
    // frame's top from x(1/4 epoch) to x(2 epochs) = the right edge.
    const svg = trainingCurveSvg({ losses: [1, 1, 1, 1, 1, 1, 1, 1], stepsPerEpoch: 4 }, {
      width: 400,
      height: 300,
    });
    const [, left, top, , right] = /d="M([\d.]+) ([\d.]+)V([\d.]+)H([\d.]+)V/.exec(svg)!.map(
      Number,
    );
    const raw = /<path d="([^"]*)" fill="none" stroke="#9ecae1"/.exec(svg)![1];
    const points = [...raw.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [+m[1], +m[2]]);
    assertEquals(points.length, 8);
    assert(points.every(([, y]) => y === top), "flat along the top");
    assertEquals(points[7][0], right);
    assertEquals(points[0][0], Math.round((left + (right - left) / 8) * 10) / 10);
  });

  await t.step("non-finite losses break the line; title is escaped", () => {
    const svg = trainingCurveSvg(
      { losses: [2, 1.5, NaN, 1, Infinity, 0.5], stepsPerEpoch: 3 },
      { title: `a<b & "c"` },
    );
    checkWellFormed(svg);
    const raw = /<path d="([^"]*)" fill="none" stroke="#9ecae1"/.exec(svg)![1];
    assertEquals(raw.match(/M/g)?.length, 3);
    assert(svg.includes("<title>a&#60;b &#38; &#34;c&#34;</title>"));
  });

  await t.step("empty data still draws axes", () => {
    const svg = trainingCurveSvg({ losses: [], stepsPerEpoch: 1 });
    assertEquals(checkWellFormed(svg)[0], "svg");
  });

  await t.step("errors", () => {
    assertThrows(
      () => trainingCurveSvg({ losses: [1], stepsPerEpoch: 0 }),
      RangeError,
      "stepsPerEpoch must be a positive number, got 0",
    );
    assertThrows(
      () => trainingCurveSvg({ losses: "1" as unknown as number[], stepsPerEpoch: 1 }),
      TypeError,
      "losses must be an array of numbers",
    );
    assertThrows(
      () => trainingCurveSvg({ losses: [], stepsPerEpoch: 1 }, { width: -5 }),
      RangeError,
      "width",
    );
  });

  await t.step("the checker itself rejects broken XML", () => {
    assertThrows(() => checkWellFormed("<svg><g></svg>"), Error, "closes the wrong element");
    assertThrows(() => checkWellFormed("<svg>a & b</svg>"), Error, "bare &");
    assertThrows(() => checkWellFormed("<svg x=1></svg>"), Error, "not XML");
  });
});
