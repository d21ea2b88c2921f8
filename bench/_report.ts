// Formatting of the bench report: two markdown tables (they paste into the README) — threads and
// the native peers (PyTorch, ONNX Runtime) at equal thread counts, then the one-thread table with
// our other paths and the JavaScript peers — and the issues' targets checked against the numbers
// measured in the same run.

import { type ImplName, IMPLS, type Measured, type Row } from "./_run.ts";
import { PER_FLOP_BASELINE } from "./_workloads.ts";
import type { MemoryReport } from "./_memory.ts";

/** Column titles (N: the thread count of the "-mt" cells). */
function title(impl: ImplName, threads: number): string {
  const titles: Record<ImplName, string> = {
    "fast": "ours fast",
    "fast-mt": `ours fast ${threads}t`,
    "fast-ts": "ours fast (TS)",
    "reference": "ours reference",
    "tfjs-wasm": "tfjs-wasm",
    "tfjs-cpu": "tfjs-cpu",
    "ort": "ORT",
    "ort-mt": `ORT ${threads}t`,
    "torch-1t": "PyTorch",
    "torch-mt": `PyTorch ${threads}t`,
  };
  return titles[impl];
}

function isMeasured(cell: Measured | string | undefined): cell is Measured {
  return typeof cell === "object";
}

function formatRate(rate: number): string {
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 10) return rate.toFixed(1);
  if (rate >= 1) return rate.toFixed(2);
  return rate.toPrecision(2);
}

function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** "40.1 (12.3 ms) ✓", with the run count when capped. */
function formatCell(cell: Measured | string | undefined): string {
  if (cell === undefined) return "";
  if (typeof cell === "string") return cell;
  let text = `${formatRate(cell.rate)} (${formatMs(cell.timing.ms)}`;
  if (cell.timing.note) text += `; ${cell.timing.note}`;
  else if (cell.timing.capped) text += `; n=${cell.timing.runs}`;
  text += ")";
  if (cell.agreement) text += cell.agreement.ok ? " ✓" : " ✗";
  return text;
}

function ratio(row: Row, peer: ImplName, ours: ImplName = "fast"): string {
  const mine = row.cells[ours], other = row.cells[peer];
  if (!isMeasured(mine) || !isMeasured(other)) return "";
  const r = mine.rate / other.rate;
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

/** "ours Nt/1t": the paired speed-up where measured (see measurePair), else the rate ratio. */
function speedupOf(row: Row): string {
  const many = row.cells["fast-mt"];
  if (isMeasured(many) && many.speedup !== undefined) return `${many.speedup.toFixed(2)}×`;
  return ratio(row, "fast", "fast-mt");
}

function markdown(lines: string[][]): string {
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** The thread count of the "-mt" cells of the rows (1 when there are none). */
export function threadsOf(rows: Row[]): number {
  for (const row of rows) {
    for (const cell of Object.values(row.cells)) {
      if (isMeasured(cell) && cell.threads !== undefined) return cell.threads;
    }
  }
  return 1;
}

/**
 * Threads and the native peers at equal thread counts: ours on 1 and N threads and the speed-up,
 * PyTorch and ONNX Runtime on 1 and N, and ours ÷ each peer at 1 and at N threads (rates:
 * above 1× we are faster).
 */
export function threadsTable(rows: Row[]): string {
  const n = threadsOf(rows);
  const used: ImplName[] = (["fast", "fast-mt", "torch-1t", "torch-mt", "ort", "ort-mt"] as const)
    .filter((impl) => rows.some((r) => r.cells[impl] !== undefined));
  const pairs: [ImplName, ImplName, string][] = [
    ["fast", "torch-1t", "ours/PyTorch 1t"],
    ["fast-mt", "torch-mt", `ours/PyTorch ${n}t`],
    ["fast", "ort", "ours/ORT 1t"],
    ["fast-mt", "ort-mt", `ours/ORT ${n}t`],
  ];
  const shown = pairs.filter(([a, b]) => used.includes(a) && used.includes(b));
  const speedup = used.includes("fast-mt");
  const header = [
    "workload",
    "pass",
    "unit",
    ...used.map((i) => title(i, n)),
    ...(speedup ? [`ours ${n}t/1t`] : []),
    ...shown.map(([, , t]) => t),
  ];
  const lines = [header, header.map(() => "---")];
  for (const row of rows) {
    lines.push([
      row.workload,
      row.pass,
      row.unit,
      ...used.map((i) => formatCell(row.cells[i])),
      ...(speedup ? [speedupOf(row)] : []),
      ...shown.map(([a, b]) => ratio(row, b, a)),
    ]);
  }
  return markdown(lines);
}

/** The one-thread table: our paths and the JavaScript peers, with fast ÷ each peer. */
export function table(rows: Row[]): string {
  const impls = ["fast", "fast-ts", "reference", "tfjs-wasm", "tfjs-cpu"] as const;
  const used = IMPLS.filter((impl) =>
    (impls as readonly string[]).includes(impl) && rows.some((r) => r.cells[impl] !== undefined)
  );
  const peers = (["tfjs-wasm", "tfjs-cpu"] as const).filter((p) => used.includes(p));
  const header = [
    "workload",
    "pass",
    "unit",
    ...used.map((i) => title(i, 1)),
    ...peers.map((p) => `fast/${title(p, 1)}`),
  ];
  const lines = [header, header.map(() => "---")];
  for (const row of rows) {
    lines.push([
      row.workload,
      row.pass,
      row.unit,
      ...used.map((i) => formatCell(row.cells[i])),
      ...peers.map((p) => ratio(row, p)),
    ]);
  }
  return markdown(lines);
}

/** One checked target. */
export interface Target {
  target: string;
  measured: string;
  ok: boolean;
}

function rateOf(rows: Row[], workload: string, pass: string, impl: ImplName): number | undefined {
  const cell = rows.find((r) => r.workload === workload && r.pass === pass)?.cells[impl];
  return isMeasured(cell) ? cell.rate : undefined;
}

/** The targets, evaluated on what was measured (targets without data are left out). */
export function targets(rows: Row[], memory: MemoryReport | undefined): Target[] {
  const out: Target[] = [];
  const convs = [...new Set(rows.filter((r) => r.unit === "GFLOP/s" && r.pass !== "step"))]
    .map((r) => r.workload).filter((w, i, all) =>
      all.indexOf(w) === i && PER_FLOP_BASELINE[w] === undefined
    );
  for (const w of convs) {
    for (const pass of ["fwd", "dX", "dW"]) {
      const fast = rateOf(rows, w, pass, "fast");
      if (fast === undefined) continue;
      out.push({ target: `${w} ${pass} ≥ 20 GFLOP/s`, measured: formatRate(fast), ok: fast >= 20 });
      const cpu = rateOf(rows, w, pass, "tfjs-cpu");
      if (cpu !== undefined) {
        out.push({
          target: `${w} ${pass} ≥ 15× tfjs-cpu`,
          measured: `${(fast / cpu).toFixed(1)}×`,
          ok: fast >= 15 * cpu,
        });
      }
      const wasmFwd = rateOf(rows, w, "fwd", "tfjs-wasm");
      if (wasmFwd !== undefined) {
        out.push({
          target: `${w} ${pass} ≥ tfjs-wasm forward (${formatRate(wasmFwd)})`,
          measured: formatRate(fast),
          ok: fast >= wasmFwd,
        });
      }
      const wasmDx = rateOf(rows, w, "dX", "tfjs-wasm");
      if (pass === "dX" && wasmDx !== undefined) {
        out.push({
          target: `${w} dX ≥ 10× tfjs-wasm dX`,
          measured: `${(fast / wasmDx).toFixed(1)}×`,
          ok: fast >= 10 * wasmDx,
        });
      }
    }
  }
  for (const [w, dense] of Object.entries(PER_FLOP_BASELINE)) {
    for (const pass of ["fwd", "dX", "dW"]) {
      const fast = rateOf(rows, w, pass, "fast"), base = rateOf(rows, dense, pass, "fast");
      if (fast === undefined || base === undefined) continue;
      out.push({
        target: `${w} ${pass} per FLOP within 2× of dense ${dense} ${pass} (${formatRate(base)})`,
        measured: `${formatRate(fast)}: ${(base / fast).toFixed(1)}× slower per FLOP`,
        ok: base / fast <= 2,
      });
    }
  }
  const poolFwd = rows.find((r) => r.unit === "GB/s" && r.pass === "fwd")?.cells.fast;
  const poolBwd = rows.find((r) => r.unit === "GB/s" && r.pass === "bwd")?.cells.fast;
  if (isMeasured(poolFwd)) {
    out.push({
      target: "W5 max pool forward ≥ 12 GB/s (input bytes / time)",
      measured: formatRate(poolFwd.rate),
      ok: poolFwd.rate >= 12,
    });
  }
  if (isMeasured(poolFwd) && isMeasured(poolBwd)) {
    const r = poolBwd.timing.ms / poolFwd.timing.ms;
    out.push({
      target: "W5 max pool backward within 2× of forward (time)",
      measured: `${r.toFixed(2)}×`,
      ok: r <= 2,
    });
  }
  if (memory) {
    out.push({
      target: `${memory.workload} forward+backward peak memory ≤ 3× tensor bytes ` +
        `(${(memory.budget / 2 ** 20).toFixed(1)} MiB)`,
      measured: `${(memory.peak / 2 ** 20).toFixed(1)} MiB (${
        (memory.peak / memory.tensorBytes).toFixed(2)
      }×)`,
      ok: memory.ok,
    });
  }
  for (const w of convs) {
    for (const pass of ["fwd", "dX", "dW"]) {
      const fast = rateOf(rows, w, pass, "fast"), torch = rateOf(rows, w, pass, "torch-1t");
      if (fast === undefined || torch === undefined) continue;
      out.push({
        target: `${w} ${pass}: half of PyTorch on one thread (${formatRate(torch / 2)})`,
        measured: `${formatRate(fast)} (${(fast / torch).toFixed(2)} of PyTorch)`,
        ok: fast >= torch / 2,
      });
    }
  }
  out.push(...threadTargets(rows));
  return out;
}

/**
 * The targets of the issue "Use every core": N-thread ÷ 1-thread ≥ 1.7 on every pass of W3 and
 * W4 and ≥ 1.4 on W1 and W2; W3 and W4 forward on N threads ≥ ONNX Runtime on one; the LeNet-5
 * step on N threads no slower than PyTorch's on N (the epoch target is `deno task bench:train`'s).
 */
export function threadTargets(rows: Row[]): Target[] {
  const out: Target[] = [];
  const n = threadsOf(rows);
  if (n === 1) return out;
  for (const [w, least] of [["W1", 1.4], ["W2", 1.4], ["W3", 1.7], ["W4", 1.7]] as const) {
    for (const pass of ["fwd", "dX", "dW"]) {
      const one = rateOf(rows, w, pass, "fast"), many = rateOf(rows, w, pass, "fast-mt");
      if (one === undefined || many === undefined) continue;
      const cell = rows.find((r) => r.workload === w && r.pass === pass)?.cells["fast-mt"];
      const gain = isMeasured(cell) && cell.speedup !== undefined ? cell.speedup : many / one;
      out.push({
        target: `${w} ${pass}: ${n} threads ≥ ${least}× one thread`,
        measured: `${gain.toFixed(2)}× paired (${formatRate(many)} vs ${formatRate(one)})`,
        ok: gain >= least,
      });
    }
  }
  for (const w of ["W3", "W4"]) {
    const many = rateOf(rows, w, "fwd", "fast-mt"), ort = rateOf(rows, w, "fwd", "ort");
    if (many === undefined || ort === undefined) continue;
    out.push({
      target: `${w} fwd: ${n} threads ≥ ONNX Runtime on one thread (${formatRate(ort)})`,
      measured: `${formatRate(many)} (${(many / ort).toFixed(2)}×)`,
      ok: many >= ort,
    });
  }
  const lenet = rows.find((r) => r.workload === "LeNet-5");
  const ours = lenet?.cells["fast-mt"], torch = lenet?.cells["torch-mt"];
  if (isMeasured(ours) && isMeasured(torch)) {
    out.push({
      target: `LeNet-5 step: ${n} threads no slower than PyTorch on ${n} (${
        formatMs(torch.timing.ms)
      })`,
      measured: `${formatMs(ours.timing.ms)} (${
        (ours.timing.ms / torch.timing.ms).toFixed(2)
      }× its time)`,
      ok: ours.timing.ms <= torch.timing.ms,
    });
  }
  for (const row of rows) {
    const mt = row.cells["fast-mt"];
    if (isMeasured(mt) && mt.agreement && !mt.agreement.ok) {
      out.push({
        target: `${row.workload} ${row.pass}: the same bits on ${n} threads as on one`,
        measured: `max abs difference ${mt.agreement.maxAbsError}`,
        ok: false,
      });
    }
  }
  return out;
}

/** The targets as a markdown checklist. */
export function targetList(list: Target[]): string {
  return list.map((t) => `- ${t.ok ? "✓" : "✗"} ${t.target}: ${t.measured}`).join("\n");
}
