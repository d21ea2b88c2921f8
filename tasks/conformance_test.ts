import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { writeCase } from "../onnx/case.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { singleNodeModel } from "../onnx/single_node.ts";
import { parseConformanceArgs, UsageError } from "./conformance.ts";

Deno.test("parseConformanceArgs()", async (t) => {
  await t.step("defaults: golden/, every implementation", () => {
    const args = parseConformanceArgs([]);
    assertEquals(args.impls, ["reference", "fast", "fast-ts"]);
    assertStrictEquals(args.paths.length, 1);
    assert(args.paths[0].endsWith("/golden"), args.paths[0]);
    assertEquals([args.filter, args.json, args.quiet], [undefined, undefined, false]);
  });
  await t.step("--impl lists in canonical order; paths, --filter, --json, --quiet", () => {
    const args = parseConformanceArgs([
      "a",
      "--impl",
      "fast-ts,reference",
      "b",
      "--filter=conv",
      "--json",
      "-",
      "--quiet",
    ]);
    assertEquals(args.impls, ["reference", "fast-ts"]);
    assertEquals(args.paths, ["a", "b"]);
    assertEquals([args.filter, args.json, args.quiet], ["conv", "-", true]);
  });
  await t.step("--html FILE and --junit FILE", () => {
    const args = parseConformanceArgs(["--html", "r.html", "--junit=r.xml"]);
    assertEquals([args.html, args.junit], ["r.html", "r.xml"]);
    assertEquals([parseConformanceArgs([]).html, parseConformanceArgs([]).junit], [
      undefined,
      undefined,
    ]);
    assertThrows(() => parseConformanceArgs(["--html"]), UsageError, "--html");
    assertThrows(() => parseConformanceArgs(["--junit"]), UsageError, "--junit");
    assertStrictEquals(
      parseConformanceArgs(["--html", "r.html", "--html-peers", "p.json"]).htmlPeers,
      "p.json",
    );
    assertThrows(
      () => parseConformanceArgs(["--html-peers", "p.json"]),
      UsageError,
      "--html-peers needs --html",
    );
    assertThrows(
      () => parseConformanceArgs(["--html", "-"]),
      UsageError,
      '--html needs a file name (only --json writes to stdout), got "-"',
    );
    // --peers reports the peers only: an --html or --junit of our own run would be silently empty.
    assertThrows(
      () => parseConformanceArgs(["--peers", "--html", "r.html"]),
      UsageError,
      "--html reports our own run; with --peers write the peers' reports with --json FILE",
    );
    assertThrows(
      () => parseConformanceArgs(["--peers", "--junit", "r.xml"]),
      UsageError,
      "--junit reports our own run",
    );
  });
  await t.step("bad flags are UsageErrors", () => {
    assertThrows(() => parseConformanceArgs(["--impl", "gpu"]), UsageError, 'got "gpu"');
    assertThrows(() => parseConformanceArgs(["--fast"]), UsageError, "--fast");
    assertThrows(() => parseConformanceArgs(["--json"]), UsageError, "--json");
  });
  await t.step(
    "peers: --impl tfjs-wasm,reference; --peers defaults to golden/ort and golden/torch",
    () => {
      assertEquals(parseConformanceArgs(["--impl", "tfjs-wasm,reference"]).impls, [
        "reference",
        "tfjs-wasm",
      ]);
      const peers = parseConformanceArgs(["--peers"]);
      assert(peers.peers);
      assertEquals(peers.paths.map((p) => p.slice(p.lastIndexOf("/golden"))), [
        "/golden/ort",
        "/golden/torch",
      ]);
      assert(peers.readme.endsWith("/README.md"), peers.readme);
      assertThrows(
        () => parseConformanceArgs(["--peers", "--impl", "fast"]),
        UsageError,
        "no --impl",
      );
      assertThrows(() => parseConformanceArgs(["--readme", "x.md"]), UsageError, "needs --peers");
    },
  );
  await t.step("--threads N", () => {
    assertEquals(parseConformanceArgs([]).threads, undefined);
    assertEquals(parseConformanceArgs(["--threads", "2"]).threads, 2);
    for (const bad of ["0", "1.5", "two", "65"]) {
      assertThrows(
        () => parseConformanceArgs(["--threads", bad]),
        UsageError,
        `--threads must be an integer from 1 to 64, got "${bad}"`,
      );
    }
  });
});

Deno.test("deno task conformance (subprocess)", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "conformance_cli_test_" });
  const run = async (...args: string[]) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        "--allow-read",
        "--allow-write",
        "--allow-env",
        new URL("./conformance.ts", import.meta.url).pathname,
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trimEnd().split("\n");
    return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
  };
  try {
    const model = singleNodeModel({
      opType: "Relu",
      inputs: [{ name: "x", dtype: "float32", dims: [2] }],
      outputs: [{ name: "y", dtype: "float32", dims: [2] }],
    });
    const t32 = (v: number[]) => new OnnxTensor(new Float32Array(v), [2]);
    await writeCase(`${dir}/cases/good`, model, [{
      inputs: [t32([-1, 2])],
      outputs: [t32([0, 2])],
    }]);
    await writeCase(`${dir}/cases/bad`, model, [{
      inputs: [t32([-1, 2])],
      outputs: [t32([1, 2])],
    }]);

    await t.step("a failure: exit 1, FAIL line, summary alone on the last line", async () => {
      const { code, stdout } = await run(`${dir}/cases`);
      assertStrictEquals(code, 1);
      assert(stdout.some((l) => l.startsWith("FAIL  cases/bad")), stdout.join("\n"));
      assert(stdout.some((l) => l.startsWith("ok    cases/good")), stdout.join("\n"));
      assertStrictEquals(stdout.at(-1), "1 passed, 1 failed, 0 skipped");
    });
    await t.step("--filter and --json FILE: exit 0, report written", async () => {
      const { code, stdout } = await run(
        `${dir}/cases`,
        "--filter",
        "good",
        "--json",
        `${dir}/r.json`,
      );
      assertStrictEquals(code, 0);
      assertStrictEquals(stdout.at(-1), "1 passed, 0 failed, 0 skipped");
      const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
      assertEquals(report.summary, { passed: 1, failed: 0, skipped: 0, worstMargin: 1 });
      assertEquals(report.cases[0].label, "cases/good");
    });
    await t.step("--html and --junit FILE: both written, with the failure", async () => {
      const { code, stdout } = await run(
        `${dir}/cases`,
        "--html",
        `${dir}/r.html`,
        "--junit",
        `${dir}/r.xml`,
      );
      assertStrictEquals(code, 1);
      assertStrictEquals(stdout.at(-1), "1 passed, 1 failed, 0 skipped");
      const html = await Deno.readTextFile(`${dir}/r.html`);
      assert(html.includes('<p id="summary-line">1 passed, 1 failed, 0 skipped</p>'));
      // The bad case expects 1 where Relu(-1) = 0: the first element differs.
      assert(html.includes("values differ at index [0]: actual 0, expected 1"), html);
      const xml = await Deno.readTextFile(`${dir}/r.xml`);
      // 2 cases × 3 implementations; the bad case fails under each.
      assert(xml.includes('<testsuites name="conformance" tests="6" failures="3" errors="0"'), xml);
    });
    await t.step("--html-peers FILE: the peer matrix; a corrupt file is exit 2", async () => {
      // A peer report from a real run (our TypeScript GEMM path standing in for a peer).
      await run(`${dir}/cases`, "--impl", "fast-ts", "--json", `${dir}/peer.json`);
      const peer = JSON.parse(await Deno.readTextFile(`${dir}/peer.json`));
      await Deno.writeTextFile(
        `${dir}/peers.json`,
        JSON.stringify({ peers: [{ name: "stand-in", version: "0", report: peer }] }),
      );
      const { code } = await run(
        `${dir}/cases`,
        "--html",
        `${dir}/p.html`,
        "--html-peers",
        `${dir}/peers.json`,
      );
      assertStrictEquals(code, 1);
      const html = await Deno.readTextFile(`${dir}/p.html`);
      assert(html.includes('<th colspan="2" class="peer">stand-in: fast-ts</th>'), html);
      assert(html.includes("<h2>Failing cases of stand-in: fast-ts (1)</h2>"), html);

      await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ peers: [{ name: "x" }] }));
      const bad = await run(
        `${dir}/cases`,
        "--html",
        `${dir}/q.html`,
        "--html-peers",
        `${dir}/bad.json`,
      );
      assertStrictEquals(bad.code, 2);
      assertEquals(bad.stderr, [
        `conformance: --html-peers: Cannot read peer reports ${dir}/bad.json: peers[0].report ` +
        "must be a conformance report of format 1, got undefined",
      ]);
    });
    await t.step("bad usage: exit 2 with one line on stderr", async () => {
      const { code, stdout, stderr } = await run("--impl", "gpu");
      assertStrictEquals(code, 2);
      assertEquals(stdout, [""]);
      assertEquals(stderr, [
        'conformance: --impl must list reference, fast, fast-ts, all or a peer (tfjs-cpu, tfjs-wasm, onnxruntime), got "gpu" (see --help)',
      ]);
      assertStrictEquals((await run(`${dir}/missing`)).code, 2);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
