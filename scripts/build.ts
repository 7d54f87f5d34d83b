// npm run build → dist/datumctl, a self-contained binary for this machine.
// Also used by release.ts for the cross-compiled targets.
import { $ } from "bun";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };

export const ROOT = join(import.meta.dir, "..");

export interface BuildOptions {
  /** A Bun target such as bun-linux-arm64; the host when omitted. */
  target?: string;
  outfile: string;
}

async function gitCommit(): Promise<string> {
  const r = await $`git rev-parse HEAD`.cwd(ROOT).quiet().nothrow();
  return r.exitCode === 0 ? r.stdout.toString().trim() : "unknown";
}

export async function build({ target, outfile }: BuildOptions): Promise<void> {
  const defines = {
    DATUMCTL_VERSION: `v${pkg.version}`,
    DATUMCTL_COMMIT: await gitCommit(),
    DATUMCTL_BUILD_DATE: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
  const args = [
    "build",
    join(ROOT, "src/cli.ts"),
    "--compile",
    "--minify",
    "--splitting",
    "--bytecode",
    "--format=esm",
    // A compiled binary must never pick up a .env or bunfig.toml from the user's directory.
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    `--outfile=${outfile}`,
    ...(target ? [`--target=${target}`] : []),
    ...Object.entries(defines).map(([k, v]) => `--define=${k}=${JSON.stringify(v)}`),
  ];
  const r = await $`${process.execPath} ${args}`.cwd(ROOT).quiet().nothrow();
  if (r.exitCode !== 0) {
    process.stderr.write(r.stdout.toString() + r.stderr.toString());
    throw new Error(`bun build failed for ${target ?? "this host"}`);
  }
}

if (import.meta.main) {
  const outfile = join(ROOT, "dist", "datumctl");
  // Build beside it and rename: a test running the old binary never sees half of the new one.
  const tmp = `${outfile}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  await build({ outfile: tmp });
  renameSync(tmp, outfile);
  console.log(`built ${outfile}`);
}
