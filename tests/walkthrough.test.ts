// The sandbox's printed walkthrough, typed as a user types it: every command, in order, as shell
// text in the sandbox's environment (its `export` line first), the device login approved with the
// printed helper from a "second shell". Every one must exit 0.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "./support/cli";
import { findKubectl } from "./support/kubectl";
import { CODE_PLACEHOLDER, type RunningSandbox, shellQuote, startSandbox } from "./support/walkthrough";

let sb: RunningSandbox;
let home: string;
let path: string;

beforeAll(async () => {
  const kubectl = await findKubectl();
  if (!kubectl) throw new Error("the walkthrough runs `kubectl get dnszones`: no kubectl found");
  path = `${dirname(kubectl)}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  home = mkdtempSync(join(tmpdir(), "datumctl-walkthrough-"));
  sb = await startSandbox();
});

afterAll(async () => {
  await sb?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A shell in the repo, as a user's: only PATH and HOME, then whatever the printed `export` sets. */
function shell(exportLine: string, command: string) {
  return Bun.spawn(["sh", "-c", `${exportLine}\n${command}`], {
    cwd: ROOT,
    env: { PATH: path, HOME: home },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
}

type Shell = ReturnType<typeof shell>;

async function finish(proc: Shell) {
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** A command that waits: its device code, once stderr shows one, then its result. */
function waiting(proc: Shell) {
  const reader = proc.stderr.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  return {
    async code(): Promise<string> {
      for (;;) {
        // oidc-provider's user codes: ****-**** over base-20 consonants.
        const m = seen.match(/\b([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})\b/);
        if (m) return m[1]!;
        const { value, done } = await reader.read();
        if (done) throw new Error(`login ended before it printed a code:\n${seen}`);
        seen += decoder.decode(value, { stream: true });
      }
    },
    async result() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
      const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
      return { code, stdout, stderr: seen };
    },
  };
}

test("every command the sandbox prints works, typed in order", async () => {
  const steps = sb.walkthrough.flatMap((s) => s.steps);
  // Everything in the list is what the banner shows, line for line.
  for (const s of steps) expect(sb.banner).toContain(`\n  ${s.command}\n`);
  const exportLine = steps[0]!.command;
  expect(exportLine).toStartWith("export ");

  const ran: string[] = [];
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i]!;
    if (!step.waitsForNext) {
      const r = await finish(shell(exportLine, step.command));
      if (r.code !== 0) throw new Error(`\`${step.command}\` exited ${r.code}:\n${r.stdout}${r.stderr}`);
      ran.push(step.command);
      continue;
    }
    const login = waiting(shell(exportLine, step.command));
    const code = await login.code();
    const next = steps[++i]!;
    expect(next.command).toContain(CODE_PLACEHOLDER);
    const approved = await finish(shell(exportLine, next.command.replace(CODE_PLACEHOLDER, code)));
    if (approved.code !== 0) throw new Error(`\`${next.command}\` exited ${approved.code}:\n${approved.stderr}`);
    const r = await login.result();
    if (r.code !== 0) throw new Error(`\`${step.command}\` exited ${r.code}:\n${r.stderr}`);
    ran.push(step.command, next.command);
  }
  expect(ran).toEqual(steps.slice(1).map((s) => s.command));
}, 120_000);

test("printed arguments paste into a shell unchanged (the demo's jsonpath among them)", async () => {
  const args = ['jsonpath={.spec.domainName}{"\\n"}', "it's", "a b", "$(id)", "`id`", "*", "plain/path-1.2", "--flag=x,y"];
  const proc = Bun.spawn(["sh", "-c", `printf '%s\\n' ${args.map(shellQuote).join(" ")}`], { stdout: "pipe", env: {} });
  expect(await new Response(proc.stdout).text()).toBe(args.map((a) => `${a}\n`).join(""));
  expect(shellQuote("plain/path-1.2")).toBe("plain/path-1.2");
});
