// Every command's --help has examples, and they are real: run as printed (through bash, with
// dist/ on PATH) against the local Datum Cloud, signed in as ada, they succeed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CommandDef } from "citty";
import { groupOf } from "../src/cli/command";
import { root } from "../src/commands/index";
import { BINARY, type Sandbox, sandbox } from "./support/cli";
import { type LocalDatum, startLocalDatum } from "./support/local-datum";

/** The command words of every visible command, groups and the root included, in help order. */
async function commandPaths(cmd: CommandDef<any>, path: string[] = []): Promise<string[][]> {
  const paths = [path];
  const subs = (await cmd.subCommands) as Record<string, () => Promise<CommandDef<any>>> | undefined;
  for (const e of groupOf(cmd)?.entries ?? []) {
    if (e.hidden) continue;
    paths.push(...(await commandPaths(await subs![e.name]!(), [...path, e.name])));
  }
  return paths;
}

interface Example {
  command: string;
  comment: string;
  line: string;
}

/** The examples a --help prints: each `# comment` with the line under it. */
function examplesIn(help: string, command: string): Example[] {
  const section = help.split("\n\n").findIndex((p) => p.startsWith("Examples:\n"));
  if (section === -1) return [];
  const blocks = help.split("\n\n").slice(section);
  const out: Example[] = [];
  for (const [i, block] of blocks.entries()) {
    const lines = (i === 0 ? block.slice("Examples:\n".length) : block).split("\n");
    if (lines.length !== 2 || !lines[0]!.startsWith("  # ") || !lines[1]!.startsWith("  ")) break;
    out.push({ command, comment: lines[0]!.slice(4), line: lines[1]!.slice(2) });
  }
  return out;
}

async function helpOf(words: string[]): Promise<string> {
  const proc = Bun.spawn([BINARY, ...words, "--help"], { stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1" } });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  expect(code).toBe(0);
  return out;
}

const paths = await commandPaths(root);
const helps = new Map<string, string>();
beforeAll(async () => {
  for (const p of paths) helps.set(p.join(" "), await helpOf(p));
});

describe("--help examples", () => {
  test("the walk finds the groups' subcommands and leaves hidden commands out", () => {
    const names = paths.map((p) => p.join(" "));
    expect(names).toContain("auth update-kubeconfig");
    expect(names).toContain("ctx use");
    expect(names).not.toContain("complete");
    expect(names).not.toContain("auth login");
  });

  test("every visible command has an Examples section with a datumctl line", () => {
    const missing = paths
      .map((p) => p.join(" "))
      .filter((name) => !examplesIn(helps.get(name)!, name).some((e) => e.line.startsWith("datumctl")))
      .map((name) => `datumctl ${name}`.trim());
    expect(missing).toEqual([]);
  });

  test("examples come in kubectl's layout, after the usage and before the flags", () => {
    const help = helps.get("get")!;
    expect(help).toContain("\n\nExamples:\n  # List the DNS zones of the current project\n  datumctl get dnszones\n\n  # ");
    expect(help.indexOf("Usage:")).toBeLessThan(help.indexOf("Examples:"));
    expect(help.indexOf("Examples:")).toBeLessThan(help.indexOf("Flags:"));
    expect(help).toContain("\n\nSee Also:\n  datumctl api-resources\n  datumctl explain\n");
    expect(helps.get("apply")).toContain("See Also:\n  datumctl diff\n");
    expect(helps.get("login")).toContain("See Also:\n  datumctl auth list\n  datumctl ctx use\n");
  });
});

describe("the examples run against the local Datum Cloud", () => {
  let datum: LocalDatum;
  let sb: Sandbox;
  beforeAll(async () => {
    datum = await startLocalDatum();
    sb = sandbox();
    await datum.signIn(sb, "ada");
    // The manifests the create, apply, diff and delete examples name.
    writeFileSync(
      join(sb.home, "zone.yaml"),
      `apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: DNSZone\nmetadata: {name: example-org, namespace: default}\nspec: {domainName: example.org, dnsZoneClassName: datum-external-global-dns}\n`,
    );
    writeFileSync(
      join(sb.home, "records.yaml"),
      `apiVersion: dns.networking.miloapis.com/v1alpha1\nkind: DNSRecordSet\nmetadata: {name: example-org-www, namespace: default}\nspec:\n  dnsZoneRef: {name: example-org}\n  recordType: A\n  records: [{name: www, ttl: 300, a: {content: 203.0.113.20}}]\n`,
    );
  });
  afterAll(async () => {
    sb?.cleanup();
    await datum?.close();
  });

  /** Why an example is not run here; undefined runs it. */
  function skipped(e: Example): string | undefined {
    if (e.command === "login") return "signs in with a browser or a device code";
    if (e.line.includes("--watch")) return "runs until interrupted";
    if (e.line === "datumctl ctx use" || e.line === "datumctl auth switch") return "a picker needs a terminal";
    if (e.command === "completion" && !e.line.includes("bash")) return "another shell";
    return undefined;
  }
  // Run last, in this order: each takes away what the others use.
  const destructive = (e: Example) => (e.command === "delete" ? 1 : e.command === "logout" ? 2 : 0);

  test("each one exits 0", async () => {
    const all = paths.flatMap((p) => examplesIn(helps.get(p.join(" "))!, p.join(" ")));
    const runnable = all.filter((e) => !skipped(e)).sort((a, b) => destructive(a) - destructive(b));
    // A sample, not everything is skipped: most examples run.
    expect(runnable.length).toBeGreaterThan(all.length * 0.8);
    const env = { PATH: `${dirname(BINARY)}:${sb.env.PATH}`, KUBECONFIG: join(sb.home, "kubeconfig"), EDITOR: "true" };
    const failures: string[] = [];
    for (const e of runnable) {
      if (e.command === "logout") await datum.signIn(sb, "ada");
      const r = await new Promise<{ code: number; out: string }>((resolve) => {
        const proc = Bun.spawn(["bash", "-c", e.line], { cwd: sb.home, env: { ...sb.env, ...env }, stdout: "pipe", stderr: "pipe" });
        Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).then(([out, err, code]) =>
          resolve({ code, out: out + err }),
        );
      });
      if (r.code !== 0) failures.push(`${e.line} → exit ${r.code}\n${r.out}`);
      // Put the context back for the next example.
      if (/ctx use|auth switch/.test(e.line)) await sb.run(["ctx", "use", "acme/web"]);
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
