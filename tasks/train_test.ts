// Bad input to `deno task train` ends with one `error:` line and exit code 2, never a stack trace.

import { assert, assertEquals } from "@std/assert";
import { main } from "./train.ts";

/** Runs the command with console output captured. */
async function capture(
  args: string[],
): Promise<{ code: number; errors: string[]; logs: string[] }> {
  const errors: string[] = [], logs: string[] = [];
  const { error, log } = console;
  console.error = (...parts: unknown[]) => errors.push(parts.join(" "));
  console.log = (...parts: unknown[]) => logs.push(parts.join(" "));
  try {
    return { code: await main(args), errors, logs };
  } finally {
    console.error = error;
    console.log = log;
  }
}

async function assertOneLine(args: string[], expected: string): Promise<void> {
  const { code, errors } = await capture(args);
  assertEquals(code, 2, `${args.join(" ")}: exit code`);
  assertEquals(errors.length, 1, `${args.join(" ")}: ${errors.join(" | ")}`);
  assert(!errors[0].includes("\n") && !/\bat .*:\d+:\d+/.test(errors[0]), errors[0]);
  assertEquals(errors[0], expected);
}

const canWrite = (await Deno.permissions.query({ name: "write" })).state === "granted";

Deno.test("deno task train: bad input", async (t) => {
  await t.step("unknown names", async () => {
    await assertOneLine(
      ["--model", "resnet"],
      'error: unknown model "resnet" (expected lenet5, seed-notebook-cnn)',
    );
    await assertOneLine(
      ["--optimizer", "rmsprop"],
      'error: unknown optimizer "rmsprop" (expected sgd, adam, adamw)',
    );
    await assertOneLine(
      ["--dataset", "cifar"],
      'error: unknown dataset "cifar" (expected fashion-mnist, mnist)',
    );
    await assertOneLine(["--impl", "gpu"], 'error: unknown impl "gpu" (expected fast, reference)');
  });

  await t.step("non-positive or malformed numbers", async () => {
    await assertOneLine(
      ["--batch-size", "0"],
      'error: --batch-size must be a positive integer, got "0"',
    );
    await assertOneLine(
      ["--batch-size", "-8"],
      'error: --batch-size must be a positive integer, got "-8"',
    );
    await assertOneLine(["--lr", "0"], 'error: --lr must be a positive number, got "0"');
    await assertOneLine(["--lr", "-1e-3"], 'error: --lr must be a positive number, got "-1e-3"');
    await assertOneLine(["--lr", "fast"], 'error: --lr must be a positive number, got "fast"');
    await assertOneLine(
      ["--epochs", "2.5"],
      'error: --epochs must be a positive integer, got "2.5"',
    );
    await assertOneLine(["--momentum", "1"], 'error: --momentum must be in [0, 1), got "1"');
    await assertOneLine(
      ["--seed", "-1"],
      'error: --seed must be an integer in [0, 2^32), got "-1"',
    );
    await assertOneLine(
      ["--optimizer", "adam", "--momentum", "0.9"],
      "error: --momentum applies to --optimizer sgd only, not adam",
    );
  });

  await t.step("command-line syntax", async () => {
    await assertOneLine(["--bogus"], "error: unknown option --bogus (see --help)");
    await assertOneLine(["lenet5"], "error: unexpected argument lenet5 (see --help)");
    await assertOneLine(["--epochs"], "error: --epochs needs a value (see --help)");
    await assertOneLine(["--help=yes"], "error: --help takes no value");
  });

  await t.step("missing data files", async () => {
    const { code, errors } = await capture(["--data-dir", "/nonexistent/fashion"]);
    assertEquals(code, 2);
    assertEquals(errors.length, 1);
    assert(errors[0].startsWith("error: Fashion-MNIST not found in /nonexistent/fashion"));
  });

  await t.step({
    name: "corrupt IDX file",
    ignore: !canWrite,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      try {
        for (const prefix of ["train", "t10k"]) {
          await Deno.writeFile(
            `${dir}/${prefix}-images-idx3-ubyte`,
            new Uint8Array([0, 0, 8, 3, 1]),
          );
          await Deno.writeFile(`${dir}/${prefix}-labels-idx1-ubyte`, new Uint8Array([9, 9, 9, 9]));
        }
        const { code, errors } = await capture(["--data-dir", dir]);
        assertEquals(code, 2);
        assertEquals(errors.length, 1);
        assert(errors[0].startsWith(`error: Cannot read IDX file "${dir}/`), errors[0]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });

  await t.step("--help prints the usage and succeeds", async () => {
    const { code, logs, errors } = await capture(["--help"]);
    assertEquals([code, errors.length], [0, 0]);
    assert(logs[0].startsWith("Usage: deno task train"));
    assert(logs[0].includes("--optimizer NAME"));
  });
});
