// The release script, checked the way a release engineer would check its output: a real
// build of the host's target into a temp dir, then the archive, checksums, formula and binary.
import { test, expect, describe, afterAll } from "bun:test";
import { $ } from "bun";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { COMPLETIONS, DOC_FILES, TARGETS, pack, renderTemplate, selectTargets, sha256File } from "../scripts/release";
import { ROOT, sandbox } from "./support/cli";

const scratch = mkdtempSync(join(tmpdir(), "datumctl-release-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The tar.gz target this machine can also run; undefined where none fits (Windows). */
const HOST = TARGETS.find((t) => t.name === `${process.platform}-${process.arch}` && t.archive.endsWith(".tar.gz"));

async function runRelease(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, "scripts/release.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, exitCode };
}

/** url → sha256 pairs from the formula's on_intel/on_arm blocks. */
function formulaChecksums(formula: string): Map<string, string> {
  const pairs = [...formula.matchAll(/url "([^"]+)"\s+sha256 "([0-9a-f]{64})"/g)];
  return new Map(pairs.map((m) => [m[1]!, m[2]!]));
}

describe.skipIf(!HOST)("npm run release for the host target", () => {
  const out = join(scratch, "release");
  const urlBase = "https://downloads.example.test/datumctl/v" + pkg.version;

  test("archive, checksums, formula and binary are release-ready", async () => {
    const r = await runRelease(["--targets", HOST!.name, "--out", out], { DATUMCTL_RELEASE_URL_BASE: urlBase + "/" });
    if (r.exitCode !== 0) console.error(r.stdout + r.stderr);
    expect(r.exitCode).toBe(0);

    // Exactly the expected entries, root-owned, the binary executable.
    const archive = join(out, HOST!.archive);
    const listing = (await $`tar -tvzf ${archive}`.text()).trim().split("\n");
    const entries = new Map(listing.map((line) => [line.split(/\s+/).at(-1)!, line]));
    const expected = [HOST!.binary, ...DOC_FILES, "completions/", ...Object.values(COMPLETIONS).map((f) => `completions/${f}`)];
    expect([...entries.keys()].sort()).toEqual(expected.sort());
    expect(entries.get(HOST!.binary)).toMatch(/^-rwxr-xr-x 0\/0 /);
    for (const line of listing) expect(line.split(/\s+/)[1]).toBe("0/0");

    // Checksums verify with the standard tool, and GoReleaser's name has the same content.
    const sumTool = Bun.which("sha256sum") ? ["sha256sum"] : ["shasum", "-a", "256"];
    const check = await $`${sumTool} -c SHA256SUMS`.cwd(out).quiet().nothrow();
    expect(check.stdout.toString()).toContain(`${HOST!.archive}: OK`);
    expect(check.exitCode).toBe(0);
    expect(readFileSync(join(out, "checksums.txt"), "utf8")).toBe(readFileSync(join(out, "SHA256SUMS"), "utf8"));

    // The formula points at this archive under the configured base, with its real digest.
    const formula = readFileSync(join(out, "datumctl.rb"), "utf8");
    expect(formula).toContain("class Datumctl < Formula");
    expect(formula).toContain(`version "${pkg.version}"`);
    expect(formula).not.toContain("{{");
    const realSha = (await $`${sumTool} ${archive}`.text()).split(/\s+/)[0];
    expect(formulaChecksums(formula).get(`${urlBase}/${HOST!.archive}`)).toBe(realSha!);

    // Container context: the Linux binary under Docker's TARGETARCH name, next to the Containerfile.
    if (HOST!.container) {
      expect(existsSync(join(out, "container", "Containerfile"))).toBe(true);
      expect(existsSync(join(out, "container", HOST!.container, HOST!.binary))).toBe(true);
    }

    // The shipped binary runs and reports the package version.
    const unpacked = join(scratch, "unpacked");
    mkdirSync(unpacked);
    await $`tar -xzf ${archive} -C ${unpacked}`;
    const box = sandbox();
    try {
      const proc = Bun.spawn([join(unpacked, HOST!.binary), "version", "-o", "json"], { env: box.env, cwd: box.home, stdout: "pipe", stderr: "pipe" });
      const [stdout, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
      expect(exitCode).toBe(0);
      expect(JSON.parse(stdout).clientVersion.gitVersion).toBe(`v${pkg.version}`);
    } finally {
      box.cleanup();
    }
    expect(readFileSync(join(unpacked, "completions", COMPLETIONS.bash!), "utf8")).toContain("datumctl");
  }, 180_000);
});

test("an unknown --targets name fails before anything is built", async () => {
  const r = await runRelease(["--targets", "linux-x64,plan9-mips", "--out", join(scratch, "never")]);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('unknown target(s) "plan9-mips"');
  expect(existsSync(join(scratch, "never"))).toBe(false);
});

test("--targets keeps the table's order and rejects an empty list", () => {
  expect(selectTargets("darwin-arm64, linux-x64").map((t) => t.name)).toEqual(["linux-x64", "darwin-arm64"]);
  expect(selectTargets(undefined)).toHaveLength(5);
  expect(() => selectTargets(",")).toThrow("unknown target");
});

test("formula template: unbuilt targets are dropped, unknown placeholders fail", () => {
  const tmpl = "a\n{{#x}}\n  {{#y}}\n  y={{y}}\n  {{/y}}\n  x\n{{/x}}\n{{! dropped }}\nb={{v}}\n";
  expect(renderTemplate(tmpl, new Set(["x"]), { v: "1" })).toBe("a\n  x\nb=1\n");
  expect(renderTemplate(tmpl, new Set(["x", "y"]), { v: "1", y: "2" })).toBe("a\n  y=2\n  x\nb=1\n");
  expect(() => renderTemplate(tmpl, new Set(), {})).toThrow("{{v}}");
});

test("the Windows zip keeps the completions folder and the binary's mode", async () => {
  if (!Bun.which("zip") || !Bun.which("unzip")) {
    console.warn("SKIPPED: zip/unzip not installed; the Windows archive is not checked");
    return;
  }
  const stage = join(scratch, "zipstage");
  mkdirSync(join(stage, "completions"), { recursive: true });
  writeFileSync(join(stage, "datumctl.exe"), "MZ");
  chmodSync(join(stage, "datumctl.exe"), 0o755);
  writeFileSync(join(stage, "completions", "datumctl.ps1"), "# ps");
  const zip = join(scratch, "t.zip");
  await pack(stage, ["datumctl.exe", "completions"], zip);
  const listing = await $`unzip -Z ${zip}`.text();
  expect(listing).toMatch(/-rwxr-xr-x .* datumctl\.exe/);
  expect(listing).toContain("completions/datumctl.ps1");
  expect(await sha256File(zip)).toMatch(/^[0-9a-f]{64}$/);
});
