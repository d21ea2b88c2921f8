import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { Adam, type AdamOptions, AdamW } from "./adam.ts";
import { Parameter } from "../layers/module.ts";
import { type DType, Tensor } from "../layers/tensor.ts";

type AdamClass = typeof Adam | typeof AdamW;

/** Runs one step per gradient in `grads` on a parameter starting at `p0`; returns each value. */
function run(
  Opt: AdamClass,
  options: AdamOptions,
  p0: number[],
  grads: number[][],
  dtype: DType = "float32",
): number[][] {
  const data = dtype === "float64" ? Float64Array.from(p0) : Float32Array.from(p0);
  const w = new Parameter("w", new Tensor(data, [p0.length]));
  const opt = new Opt([w], options);
  return grads.map((g) => {
    w.grad.data.set(g);
    opt.step();
    return Array.from(w.value.data);
  });
}

/**
 * Textbook Adam (Kingma & Ba, with PyTorch's eps placement: m̂ / (√v̂ + eps)) in float64, written
 * from the paper's formulas rather than PyTorch's operation order.
 */
function textbook(
  options: Required<Omit<AdamOptions, "maximize">> & { decoupled: boolean },
  p0: number[],
  grads: number[][],
): number[][] {
  const { lr, betas: [b1, b2], eps, weightDecay: wd, amsgrad, decoupled } = options;
  const p = [...p0], m = p0.map(() => 0), v = p0.map(() => 0), vMax = p0.map(() => 0);
  return grads.map((grad, step) => {
    const t = step + 1;
    for (let i = 0; i < p.length; i++) {
      const g = decoupled ? grad[i] : grad[i] + wd * p[i];
      if (decoupled) p[i] -= lr * wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      vMax[i] = Math.max(vMax[i], v[i]);
      const mHat = m[i] / (1 - b1 ** t);
      const vHat = (amsgrad ? vMax[i] : v[i]) / (1 - b2 ** t);
      p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
    }
    return [...p];
  });
}

function assertClose(actual: number[][], expected: number[][], rtol: number, atol = 0): void {
  assertEquals(actual.length, expected.length);
  actual.forEach((row, s) =>
    row.forEach((a, i) => {
      const e = expected[s][i];
      assert(
        Math.abs(a - e) <= atol + rtol * Math.abs(e),
        `step ${s + 1} element ${i}: actual ${a}, expected ${e}, delta ${Math.abs(a - e)}`,
      );
    })
  );
}

// Torch 1.13.1 trajectories (float32, CPU) produced by:
//   p = torch.nn.Parameter(torch.tensor(P0)); opt = torch.optim.<Adam|AdamW>([p], **kw)
//   for g in GRADS: p.grad = torch.tensor(g); opt.step(); print(p.tolist())
const P0 = [0.5, -1.25, 2.0, 0.0, -0.1];
const GRADS = [
  [0.3, -0.2, 1.5, -0.05, 0.0],
  [0.1, 0.4, -2.0, 0.05, 0.01],
  [-0.6, 0.0, 0.7, 1e-3, -0.2],
];
const TORCH: { Opt: AdamClass; options: AdamOptions; steps: number[][] }[] = [
  {
    Opt: Adam,
    options: { lr: 0.01 },
    steps: [
      [
        0.49000000953674316,
        -1.2400000095367432,
        1.9900000095367432,
        0.009999996982514858,
        -0.10000000149011612,
      ],
      [
        0.4812893569469452,
        -1.2436610460281372,
        1.991935133934021,
        0.009473681449890137,
        -0.10744135826826096,
      ],
      [
        0.48380470275878906,
        -1.2464910745620728,
        1.991652011871338,
        0.00897647812962532,
        -0.10134829580783844,
      ],
    ],
  },
  {
    Opt: Adam,
    options: { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.05, amsgrad: true },
    steps: [
      [
        0.49000003933906555,
        -1.2400000095367432,
        1.9900000095367432,
        0.009999801404774189,
        -0.09000200033187866,
      ],
      [
        0.48130375146865845,
        -1.2423484325408936,
        1.9919614791870117,
        0.008839006535708904,
        -0.09158673882484436,
      ],
      [
        0.4841272830963135,
        -1.2430108785629272,
        1.991135597229004,
        0.007858416996896267,
        -0.08456968516111374,
      ],
    ],
  },
  {
    Opt: Adam,
    options: { lr: 0.01, maximize: true },
    steps: [
      [
        0.5099999904632568,
        -1.2599999904632568,
        2.009999990463257,
        -0.009999996982514858,
        -0.10000000149011612,
      ],
      [
        0.5187106132507324,
        -1.2563389539718628,
        2.0080649852752686,
        -0.009473681449890137,
        -0.09255864471197128,
      ],
      [
        0.5161952972412109,
        -1.2535089254379272,
        2.008348226547241,
        -0.00897647812962532,
        -0.0986517071723938,
      ],
    ],
  },
  {
    Opt: AdamW,
    options: { lr: 0.01 },
    steps: [
      [
        0.4899500012397766,
        -1.2398749589920044,
        1.989799976348877,
        0.009999996982514858,
        -0.09999000281095505,
      ],
      [
        0.48119035363197327,
        -1.2434120178222656,
        1.9915361404418945,
        0.009472681209445,
        -0.10742136090993881,
      ],
      [
        0.483657568693161,
        -1.2461177110671997,
        1.991053819656372,
        0.0089745307341218,
        -0.10131755471229553,
      ],
    ],
  },
  {
    Opt: AdamW,
    options: { lr: 0.02, weightDecay: 0.1, amsgrad: true },
    steps: [
      [
        0.4790000021457672,
        -1.227500081062317,
        1.9760000705718994,
        0.019999993965029716,
        -0.0998000055551529,
      ],
      [
        0.4606207311153412,
        -1.2323671579360962,
        1.9759184122085571,
        0.01890736259520054,
        -0.11448311805725098,
      ],
      [
        0.4647301733493805,
        -1.2355597019195557,
        1.9714003801345825,
        0.017875541001558304,
        -0.10206802189350128,
      ],
    ],
  },
];

const DEFAULTS = { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, amsgrad: false };

Deno.test("Adam", async (t) => {
  for (const dtype of ["float32", "float64"] as const) {
    const rtol = dtype === "float32" ? 1e-6 : 1e-12;
    await t.step(`${dtype} step 1 moves by lr·g/(|g| + eps) ≈ lr·sign(g)`, () => {
      const g = [3, -0.25, 1e-3, 0];
      const [p1] = run(Adam, { lr: 0.1 }, [1, 1, 1, 1], [g], dtype);
      // m̂ = g and v̂ = g² exactly at t = 1.
      assertClose([p1], [g.map((gi) => 1 - 0.1 * gi / (Math.abs(gi) + 1e-8))], rtol);
    });
    await t.step(`${dtype} a constant gradient moves by lr·g/(|g| + eps) every step`, () => {
      // m_t = (1 − β1^t)g and v_t = (1 − β2^t)g², so m̂ = g and v̂ = g² at every t.
      const steps = run(Adam, { lr: 0.01 }, [0, 0], [[2, -0.5], [2, -0.5], [2, -0.5]], dtype);
      const d = 0.01 * 2 / (2 + 1e-8);
      assertClose(steps, [[-d, d], [-2 * d, 2 * d], [-3 * d, 3 * d]], rtol, 1e-9);
    });
    await t.step(`${dtype} varying gradients follow the textbook formulas (3 steps)`, () => {
      const options = { ...DEFAULTS, lr: 0.01, weightDecay: 0 };
      assertClose(
        run(Adam, options, P0, GRADS, dtype),
        textbook({ ...options, decoupled: false }, P0, GRADS),
        rtol,
        1e-9,
      );
    });
    await t.step(`${dtype} weightDecay=0.05 adds λp to the gradient (3 steps)`, () => {
      const options = { ...DEFAULTS, lr: 0.01, weightDecay: 0.05 };
      assertClose(
        run(Adam, options, P0, GRADS, dtype),
        textbook({ ...options, decoupled: false }, P0, GRADS),
        rtol,
        1e-9,
      );
    });
    await t.step(`${dtype} amsgrad uses the running maximum of v (3 steps)`, () => {
      // Gradients that shrink make v fall, so the maximum differs from v at steps 2 and 3.
      const grads = [[1, -2], [0, 0.1], [0.1, 0]];
      const options = { ...DEFAULTS, lr: 0.1, weightDecay: 0, amsgrad: true };
      const ams = run(Adam, options, [0, 0], grads, dtype);
      assertClose(ams, textbook({ ...options, decoupled: false }, [0, 0], grads), rtol, 1e-9);
      const plain = run(Adam, { ...options, amsgrad: false }, [0, 0], grads, dtype);
      assert(ams[2][0] !== plain[2][0], "amsgrad made no difference");
    });
    await t.step(`${dtype} maximize with gradient g equals minimize with −g`, () => {
      const neg = GRADS.map((g) => g.map((x) => -x));
      assertEquals(
        run(Adam, { lr: 0.01, maximize: true }, P0, GRADS, dtype),
        run(Adam, { lr: 0.01 }, P0, neg, dtype),
      );
    });
  }

  await t.step("float32 matches torch 1.13 bit for bit over 3 steps (Adam and AdamW)", () => {
    for (const { Opt, options, steps } of TORCH) {
      const got = run(Opt, options, P0, GRADS);
      got.forEach((row, s) =>
        assertEquals(row, steps[s], `${Opt.name} ${JSON.stringify(options)} step ${s + 1}`)
      );
    }
  });

  await t.step("lr = 0 leaves parameters unchanged", () => {
    assertEquals(run(Adam, { lr: 0 }, [1, -1], [[1, 2], [3, 4]]), [[1, -1], [1, -1]]);
  });

  await t.step("NaN gradients propagate, other elements are unaffected", () => {
    const [p1] = run(Adam, { lr: 0.5 }, [1, 1], [[NaN, 1]], "float64");
    assert(Number.isNaN(p1[0]));
    assertClose([[p1[1]]], [[0.5]], 1e-7);
  });

  await t.step("errors", () => {
    const w = new Parameter("w", Tensor.full([1], 1));
    assertThrows(
      () => new Adam([w], { lr: -1 }),
      RangeError,
      "Adam: lr must be finite and >= 0, got -1",
    );
    assertThrows(
      () => new Adam([w], { eps: -1e-8 }),
      RangeError,
      "eps must be finite and >= 0, got -1e-8",
    );
    assertThrows(
      () => new Adam([w], { betas: [1, 0.999] }),
      RangeError,
      "betas[0] must be in [0, 1), got 1",
    );
    assertThrows(
      () => new Adam([w], { betas: [0.9, -0.1] }),
      RangeError,
      "betas[1] must be in [0, 1), got -0.1",
    );
    assertThrows(
      () => new Adam([w], { betas: [NaN, 0.9] }),
      RangeError,
      "betas[0] must be in [0, 1), got NaN",
    );
    assertThrows(
      () => new Adam([w], { betas: [0.9] as unknown as [number, number] }),
      TypeError,
      "betas must be an array of two numbers",
    );
    assertThrows(
      () => new AdamW([w], { weightDecay: -0.01 }),
      RangeError,
      "AdamW: weightDecay must be finite and >= 0, got -0.01",
    );
    assertThrows(
      () => new Adam([w], { amsgrad: 1 as unknown as boolean }),
      TypeError,
      "amsgrad must be a boolean, got 1",
    );
    const opt = new Adam([w]);
    assertThrows(() => (opt.lr = Infinity), RangeError, "lr must be finite and >= 0, got Infinity");
  });
});

Deno.test("AdamW", async (t) => {
  for (const dtype of ["float32", "float64"] as const) {
    const rtol = dtype === "float32" ? 1e-6 : 1e-12;
    await t.step(`${dtype} defaults: lr=1e-3, weightDecay=1e-2`, () => {
      const opt = new AdamW([new Parameter("w", Tensor.zeros([1], dtype))]);
      assertStrictEquals(opt.lr, 1e-3);
      assertStrictEquals(opt.weightDecay, 1e-2);
      assertEquals(opt.betas, [0.9, 0.999]);
      assertStrictEquals(opt.eps, 1e-8);
    });
    await t.step(`${dtype} zero gradient: only the decoupled decay p·(1 − lr·λ) acts`, () => {
      // 2·(1 − 0.25) = 1.5, then 1.125, then 0.84375; all exact.
      assertEquals(
        run(AdamW, { lr: 0.5, weightDecay: 0.5 }, [2], [[0], [0], [0]], dtype),
        [[1.5], [1.125], [0.84375]],
      );
    });
    await t.step(`${dtype} varying gradients follow the textbook formulas (3 steps)`, () => {
      const options = { ...DEFAULTS, lr: 0.02, weightDecay: 0.1, amsgrad: true };
      assertClose(
        run(AdamW, options, P0, GRADS, dtype),
        textbook({ ...options, decoupled: true }, P0, GRADS),
        rtol,
        1e-9,
      );
    });
  }
});
