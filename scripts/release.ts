// npm run release → dist/release/: one archive per target (binary, LICENSE, README.md, shell
// completions), SHA256SUMS + checksums.txt, the Homebrew formula datumctl.rb, and a container
// build context. Archive names follow GoReleaser's so the self-updater and the tap keep working.
//
//   bun scripts/release.ts [--targets linux-x64,darwin-arm64] [--out DIR]
//
// Packing uses system tar/zip: Bun.Archive drops file modes (no exec bit).
import { $ } from "bun";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { build, recordStartupProfiles, ROOT } from "./build";

// ---- What gets released (edit here) ------------------------------------------------------

export interface Target {
  /** Short name for --targets. */
  name: string;
  /** Bun's --target. x64 uses baseline builds so older CPUs still run them. */
  bun: string;
  /** GoReleaser's archive name: datumctl_<Os>_<arch>.<ext>. */
  archive: string;
  binary: string;
  /** Directory in the container build context (Docker's TARGETARCH), Linux only. */
  container?: string;
}

export const TARGETS: Target[] = [
  { name: "linux-x64", bun: "bun-linux-x64-baseline", archive: "datumctl_Linux_x86_64.tar.gz", binary: "datumctl", container: "linux-amd64" },
  { name: "linux-arm64", bun: "bun-linux-arm64", archive: "datumctl_Linux_arm64.tar.gz", binary: "datumctl", container: "linux-arm64" },
  { name: "darwin-x64", bun: "bun-darwin-x64", archive: "datumctl_Darwin_x86_64.tar.gz", binary: "datumctl" },
  { name: "darwin-arm64", bun: "bun-darwin-arm64", archive: "datumctl_Darwin_arm64.tar.gz", binary: "datumctl" },
  { name: "windows-x64", bun: "bun-windows-x64-baseline", archive: "datumctl_Windows_x86_64.zip", binary: "datumctl.exe" },
];

/** Repo files shipped next to the binary in every archive. */
export const DOC_FILES = ["LICENSE", "README.md"];

/** `datumctl completion <shell>` → completions/<file>. */
export const COMPLETIONS: Record<string, string> = {
  bash: "datumctl.bash",
  zsh: "_datumctl",
  fish: "datumctl.fish",
  powershell: "datumctl.ps1",
};

const FORMULA_TEMPLATE = join(ROOT, "packaging", "datumctl.rb.tmpl");
const CONTAINERFILE = join(ROOT, "packaging", "Containerfile");
const CHECKSUM_FILES = ["SHA256SUMS", "checksums.txt"];

// ---- Options -----------------------------------------------------------------------------

export interface ReleaseOptions {
  targets: Target[];
  outDir: string;
  urlBase: string;
}

export function selectTargets(list: string | undefined): Target[] {
  if (!list) return TARGETS;
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
  if (unknown.length || !names.length) {
    throw new Error(`unknown target(s) "${unknown.join(",") || list}"; choose from ${TARGETS.map((t) => t.name).join(", ")}`);
  }
  // Keep the table's order so output and logs are stable whatever order the user typed.
  return TARGETS.filter((t) => names.includes(t.name));
}

export function defaultUrlBase(): string {
  const base = process.env.DATUMCTL_RELEASE_URL_BASE || `https://github.com/datum-cloud/datumctl/releases/download/v${pkg.version}`;
  return base.replace(/\/+$/, "");
}

function parseOptions(argv: string[]): ReleaseOptions {
  const { values } = parseArgs({
    args: argv,
    options: { targets: { type: "string" }, out: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  return {
    targets: selectTargets(values.targets),
    outDir: resolve(values.out ?? join(ROOT, "dist", "release")),
    urlBase: defaultUrlBase(),
  };
}

// ---- Preflight ---------------------------------------------------------------------------

/** Fail before the slow builds, not after them. */
async function preflight(targets: Target[]): Promise<void> {
  const missing = DOC_FILES.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) throw new Error(`${missing.join(", ")} missing in ${ROOT}; every archive ships them`);
  const tools = ["tar", ...(targets.some((t) => t.archive.endsWith(".zip")) ? ["zip"] : [])];
  for (const tool of tools) {
    if (!Bun.which(tool)) throw new Error(`\`${tool}\` is not installed; it is needed to pack the archives`);
  }
  // --owner/--sort are GNU options; bsdtar (macOS) would fail or pack differently.
  const tar = await $`tar --version`.quiet().nothrow();
  if (!tar.stdout.toString().includes("GNU tar")) throw new Error("GNU tar is required (on macOS: brew install gnu-tar, put gtar first in PATH as tar)");
}

// ---- Steps -------------------------------------------------------------------------------

/** Runs the host binary for each shell; the scripts are the same for every target. */
async function writeCompletions(hostBinary: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // A throwaway HOME: the releaser's own ~/.datumctl must not influence what ships.
  const home = mkdtempSync(join(tmpdir(), "datumctl-release-home-"));
  try {
    for (const [shell, file] of Object.entries(COMPLETIONS)) {
      const r = await $`${hostBinary} completion ${shell}`
        .env({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1" })
        .quiet()
        .nothrow();
      if (r.exitCode !== 0 || !r.stdout.length) {
        throw new Error(`\`datumctl completion ${shell}\` failed (exit ${r.exitCode}): ${r.stderr.toString()}`);
      }
      writeFileSync(join(dir, file), r.stdout);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Lays out one archive's contents with explicit modes, whatever the umask or checkout did. */
function stage(dir: string, target: Target, completionsDir: string): string[] {
  chmodSync(dir, 0o755);
  chmodSync(join(dir, target.binary), 0o755);
  for (const f of DOC_FILES) {
    copyFileSync(join(ROOT, f), join(dir, f));
    chmodSync(join(dir, f), 0o644);
  }
  mkdirSync(join(dir, "completions"), { mode: 0o755 });
  for (const f of Object.values(COMPLETIONS)) {
    copyFileSync(join(completionsDir, f), join(dir, "completions", f));
    chmodSync(join(dir, "completions", f), 0o644);
  }
  return [target.binary, ...DOC_FILES, "completions"];
}

export async function pack(stageDir: string, entries: string[], archivePath: string): Promise<void> {
  if (archivePath.endsWith(".zip")) {
    // -X: no uid/gid extra fields, the zip analogue of tar's --owner=0.
    await $`zip -q -r -X ${archivePath} ${entries}`.cwd(stageDir).quiet();
  } else {
    await $`tar --owner=0 --group=0 --numeric-owner --sort=name -czf ${archivePath} ${entries}`.cwd(stageDir).quiet();
  }
}

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  // Streamed: archives are ~50 MB each.
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

/** `sha256sum -c` format; GoReleaser calls the same file checksums.txt. */
function writeChecksums(outDir: string, sums: Map<string, string>): void {
  const text = [...sums.keys()]
    .sort()
    .map((f) => `${sums.get(f)}  ${f}\n`)
    .join("");
  for (const name of CHECKSUM_FILES) writeFileSync(join(outDir, name), text);
}

const SECTION = /^[ \t]*\{\{#([\w.-]+)\}\}\n([\s\S]*?)^[ \t]*\{\{\/\1\}\}\n/gm;

/** `{{#flag}}`…`{{/flag}}` line blocks stay only when flag is set; nested blocks too. */
function renderSections(text: string, flags: Set<string>): string {
  return text.replace(SECTION, (_m, flag: string, body: string) => (flags.has(flag) ? renderSections(body, flags) : ""));
}

/**
 * Tiny mustache subset: `{{! note }}` lines vanish, sections as above, then every `{{key}}`
 * must have a value (a typo fails the release rather than `brew install`).
 */
export function renderTemplate(template: string, flags: Set<string>, values: Record<string, string>): string {
  const text = renderSections(template.replace(/^[ \t]*\{\{!.*\}\}[ \t]*\n/gm, ""), flags);
  const filled = text.replace(/\{\{([\w.-]+)\}\}/g, (m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template placeholder ${m} has no value`);
    return v;
  });
  return filled.replace(/\n{3,}/g, "\n\n"); // a dropped block leaves a double blank line
}

function writeFormula(opts: ReleaseOptions, sums: Map<string, string>): string[] {
  const flags = new Set<string>();
  const values: Record<string, string> = { version: pkg.version };
  for (const t of opts.targets) {
    if (!t.name.startsWith("darwin-") && !t.name.startsWith("linux-")) continue;
    flags.add(t.name).add(t.name.startsWith("darwin-") ? "macos" : "linux");
    values[`${t.name}.url`] = `${opts.urlBase}/${t.archive}`;
    values[`${t.name}.sha256`] = sums.get(t.archive)!;
  }
  const formula = renderTemplate(readFileSync(FORMULA_TEMPLATE, "utf8"), flags, values);
  writeFileSync(join(opts.outDir, "datumctl.rb"), formula);
  return ["darwin-x64", "darwin-arm64", "linux-x64", "linux-arm64"].filter((n) => !flags.has(n));
}

// ---- Main --------------------------------------------------------------------------------

function mb(path: string): string {
  return `${(statSync(path).size / 1e6).toFixed(1)} MB`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

export async function release(opts: ReleaseOptions): Promise<void> {
  const started = performance.now();
  await preflight(opts.targets);
  rmSync(opts.outDir, { recursive: true, force: true });
  mkdirSync(opts.outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "datumctl-release-"));
  try {
    // The host build only produces the completion scripts and the start-up profiles every
    // target is laid out by; it leaves dist/datumctl alone.
    let t0 = performance.now();
    const host = join(work, "host", process.platform === "win32" ? "datumctl.exe" : "datumctl");
    await build({ outfile: host });
    const completionsDir = join(work, "completions");
    await writeCompletions(host, completionsDir);
    const bytecodeOrder = await recordStartupProfiles(host, join(work, "host"));
    console.log(`host build + completions + profiles  ${seconds(t0)}`);

    const sums = new Map<string, string>();
    // One target at a time: each bun build wants the whole (2-core) machine.
    for (const target of opts.targets) {
      t0 = performance.now();
      const dir = join(work, target.name);
      await build({ target: target.bun, outfile: join(dir, target.binary), bytecodeOrder });
      const archive = join(opts.outDir, target.archive);
      await pack(dir, stage(dir, target, completionsDir), archive);
      sums.set(target.archive, await sha256File(archive));
      if (target.container) {
        const cdir = join(opts.outDir, "container", target.container);
        mkdirSync(cdir, { recursive: true });
        copyFileSync(join(dir, target.binary), join(cdir, target.binary));
        chmodSync(join(cdir, target.binary), 0o755);
      }
      console.log(
        `${target.name.padEnd(13)} binary ${mb(join(dir, target.binary)).padStart(9)}  ${target.archive.padEnd(30)} ${mb(archive).padStart(9)}  ${seconds(t0)}`,
      );
      rmSync(dir, { recursive: true, force: true }); // ~100 MB each; don't hold five at once
    }

    writeChecksums(opts.outDir, sums);
    if (existsSync(join(opts.outDir, "container"))) copyFileSync(CONTAINERFILE, join(opts.outDir, "container", "Containerfile"));
    const absent = writeFormula(opts, sums);
    if (absent.length) console.warn(`note: datumctl.rb lacks ${absent.join(", ")} (not built); don't publish it`);
    console.log(`wrote ${opts.outDir} in ${seconds(started)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  try {
    await release(parseOptions(process.argv.slice(2)));
  } catch (e) {
    console.error(`release: ${(e as Error).message}`);
    process.exit(1);
  }
}
