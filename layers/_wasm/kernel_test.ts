import { assertEquals, assertStrictEquals } from "@std/assert";
import { buildKernelModule, type KernelConfig, type KernelExports } from "./kernel.ts";
import { hasRelaxedSimd } from "./detect.ts";
import { Random } from "../random.ts";

// Each exported function is checked against its definition in kernel.ts's header comment, on
// integer data (exact in float32), for several register-block shapes, with and without relaxed
// SIMD. Memory outside the destination is checked to be untouched.

const PAGES = 16;

function load(config: KernelConfig) {
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
  const bytes = buildKernelModule(config, PAGES) as BufferSource;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return {
    kernel: instance.exports as unknown as KernelExports,
    f: new Float32Array(memory.buffer),
  };
}

const CONFIGS: KernelConfig[] = [
  { mr: 6, nr: 8, unroll: 4, relaxed: hasRelaxedSimd() },
  { mr: 4, nr: 8, unroll: 1, relaxed: false },
  { mr: 5, nr: 4, unroll: 8, relaxed: false },
  { mr: 8, nr: 12, unroll: 2, relaxed: hasRelaxedSimd() },
];

const label = (c: KernelConfig) => `mr=${c.mr} nr=${c.nr} unroll=${c.unroll} relaxed=${c.relaxed}`;

/** Fills f with small integers and returns a copy to compare untouched regions against. */
function randomize(f: Float32Array, seed: number): Float32Array {
  const rng = new Random(seed);
  for (let i = 0; i < f.length; i++) f[i] = rng.integer(9) - 4;
  return f.slice();
}

/** Asserts f equals before except at the float indices in `changed`. */
function assertOnly(f: Float32Array, before: Float32Array, changed: Set<number>): void {
  for (let i = 0; i < f.length; i++) {
    if (!changed.has(i) && !Object.is(f[i], before[i])) {
      throw new Error(`float ${i} changed from ${before[i]} to ${f[i]}`);
    }
  }
}

Deno.test("gemm kernel module", async (t) => {
  for (const config of CONFIGS) {
    const { mr, nr } = config;
    const { kernel, f } = load(config);

    await t.step(`${label(config)}: packB / packAT (row-major rows into panels)`, () => {
      for (const [width, pack] of [[nr, kernel.packB], [mr, kernel.packAT]] as const) {
        const rows = 19, panels = 3, ld = panels * width + 5, pb = rows * width + 7;
        const src = 100, dst = 10000;
        const before = randomize(f, 1);
        pack(src * 4, ld * 4, rows, panels, dst * 4, pb * 4);
        const changed = new Set<number>();
        for (let q = 0; q < panels; q++) {
          for (let r = 0; r < rows; r++) {
            for (let w = 0; w < width; w++) {
              const at = dst + q * pb + r * width + w;
              assertStrictEquals(f[at], f[src + r * ld + q * width + w], `panel ${q} row ${r}`);
              changed.add(at);
            }
          }
        }
        assertOnly(f, before, changed);
      }
    });

    await t.step(`${label(config)}: packBT / packA (transposed rows into panels)`, () => {
      for (const [width, pack] of [[nr, kernel.packBT], [mr, kernel.packA]] as const) {
        for (const kc of [1, 4, 13]) {
          const panels = 2, ld = 20, pb = 16 * width + 3;
          const src = 64, dst = 20000;
          randomize(f, kc);
          pack(src * 4, ld * 4, kc, panels, dst * 4, pb * 4);
          for (let q = 0; q < panels; q++) {
            for (let p = 0; p < kc; p++) {
              for (let w = 0; w < width; w++) {
                const at = dst + q * pb + p * width + w;
                assertStrictEquals(
                  f[at],
                  f[src + (q * width + w) * ld + p],
                  `kc ${kc} q ${q} p ${p}`,
                );
              }
            }
          }
        }
      }
    });

    await t.step(`${label(config)}: block = packed A · packed B (+ C panels)`, () => {
      for (
        const [mc, kc, nPanels] of [[1, 1, 1], [mr, 7, 2], [3 * mr - 1, 33, 3], [2 * mr + 1, 4, 1]]
      ) {
        for (const add of [0, 1]) {
          for (const rowMajor of [false, true]) {
            const aPB = kc * mr + 4, bPB = kc * nr + 8, cPB = mc * nr + 4;
            const a = 0, b = 8192, cIn = 16384, cOut = rowMajor ? 32768 : cIn;
            const ldOut = rowMajor ? nPanels * nr + 3 : nr;
            const outPB = rowMajor ? nr : cPB;
            const before = randomize(f, mc * 100 + kc);
            kernel.block(
              nPanels,
              mc,
              kc,
              a * 4,
              aPB * 4,
              b * 4,
              bPB * 4,
              cIn * 4,
              cPB * 4,
              cOut * 4,
              ldOut * 4,
              outPB * 4,
              add,
            );
            const changed = new Set<number>();
            for (let i = 0; i < mc; i++) {
              const ip = Math.floor(i / mr), r = i % mr;
              for (let j = 0; j < nPanels * nr; j++) {
                const jp = Math.floor(j / nr), w = j % nr;
                let s = add ? before[cIn + jp * cPB + i * nr + w] : 0;
                for (let p = 0; p < kc; p++) {
                  s += before[a + ip * aPB + p * mr + r] * before[b + jp * bPB + p * nr + w];
                }
                const at = cOut + jp * outPB + i * ldOut + w;
                assertStrictEquals(f[at], s, `mc=${mc} kc=${kc} C(${i}, ${j}) add=${add}`);
                changed.add(at);
              }
            }
            assertOnly(f, before, changed);
          }
        }
      }
    });
  }

  await t.step("exports are the documented ones", () => {
    const { kernel } = load(CONFIGS[0]);
    assertEquals(Object.keys(kernel).sort(), ["block", "packA", "packAT", "packB", "packBT"]);
  });
});
