// npm run build → dist/datumctl, a self-contained binary for this machine.
// Also used by release.ts for the cross-compiled targets.
import { $ } from "bun";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { writeCachedToken } from "../src/store/token-cache";

export const ROOT = join(import.meta.dir, "..");

export interface BuildOptions {
  /** A Bun target such as bun-linux-arm64; the host when omitted. */
  target?: string;
  outfile: string;
  /** Profiles from recordStartupProfiles(): the bytecode they name goes first in the binary. */
  bytecodeOrder?: string[];
}

async function gitCommit(): Promise<string> {
  const r = await $`git rev-parse HEAD`.cwd(ROOT).quiet().nothrow();
  return r.exitCode === 0 ? r.stdout.toString().trim() : "unknown";
}

export async function build({ target, outfile, bytecodeOrder }: BuildOptions): Promise<void> {
  const defines = {
    DATUMCTL_VERSION: `v${pkg.version}`,
    DATUMCTL_COMMIT: await gitCommit(),
    DATUMCTL_BUILD_DATE: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
  const args = [
    "build",
    join(ROOT, "src/entry.ts"),
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
    ...(bytecodeOrder?.length ? [`--bytecode-order=${bytecodeOrder.join(",")}`] : []),
    ...Object.entries(defines).map(([k, v]) => `--define=${k}=${JSON.stringify(v)}`),
  ];
  const r = await $`${process.execPath} ${args}`.cwd(ROOT).quiet().nothrow();
  if (r.exitCode !== 0) {
    process.stderr.write(r.stdout.toString() + r.stderr.toString());
    throw new Error(`bun build failed for ${target ?? "this host"}`);
  }
}

const PROFILE_SESSION = "profile@example.com@api.example.com";

/**
 * Runs a host build the ways it is started most, recording which bytecode each run loads
 * (Bun's profile-guided layout, --bytecode-order). Most common first: kubectl's cached
 * `auth get-token`, then `--help` for the command tree. Profiles hold function hashes only
 * and apply to every --target.
 */
export async function recordStartupProfiles(binary: string, dir: string): Promise<string[]> {
  const home = join(dir, "home");
  writeCachedToken(home, {
    session: PROFILE_SESSION,
    access_token: "profile-token",
    expiry: new Date(Date.now() + 3_600_000).toISOString(),
    lifetime_seconds: 3600,
  });
  const runs: [string, string[], (stdout: string) => boolean][] = [
    ["get-token", ["auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${PROFILE_SESSION}`], (out) => out.includes('"profile-token"')],
    ["help", ["--help"], (out) => out.includes("auth")],
  ];
  const profiles: string[] = [];
  for (const [name, args, ok] of runs) {
    const profile = join(dir, `${name}.order`);
    const env = { PATH: process.env.PATH, HOME: home, DATUMCTL_CONFIG_DIR: home, BUN_BYTECODE_ORDER_OUT: profile };
    const r = await $`${binary} ${args}`.env(env).quiet().nothrow();
    if (r.exitCode !== 0 || !ok(r.stdout.toString()) || !existsSync(profile)) {
      throw new Error(`recording the ${name} start-up profile failed (exit ${r.exitCode}): ${r.stderr.toString().trim()}`);
    }
    profiles.push(profile);
  }
  return profiles;
}

/** A host build laid out for start-up: built, run to record profiles, built again with them. */
export async function buildForHost(outfile: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "datumctl-build-"));
  try {
    const first = join(work, "datumctl");
    await build({ outfile: first });
    await build({ outfile, bytecodeOrder: await recordStartupProfiles(first, work) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const outfile = join(ROOT, "dist", "datumctl");
  // Build beside it and rename: a test running the old binary never sees half of the new one.
  const tmp = `${outfile}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  await buildForHost(tmp);
  renameSync(tmp, outfile);
  console.log(`built ${outfile}`);
}
