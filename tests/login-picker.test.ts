// Login's context picker on a terminal: each choice says what it is, and Enter picks a project,
// where resource commands work, rather than an organization, where they fail.
import { expect, test } from "bun:test";
import { HEADLESS_BROWSER } from "./support/browser";
import { BINARY } from "./support/cli";
import { localDatumPerTest } from "./support/local-datum";

const t = localDatumPerTest();

test("the picker labels organizations and projects, and Enter takes a project; get dnszones then works", async () => {
  let screen = "";
  let shown: () => void = () => {};
  const prompt = /Choose 1-(\d+) \[(\d+)\]: /;
  const decoder = new TextDecoder();
  const proc = Bun.spawn([BINARY, ...t.datum.loginArgs()], {
    env: { ...t.sb.env, BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" },
    cwd: t.sb.home,
    terminal: {
      cols: 200,
      rows: 50,
      data(_t, bytes) {
        screen += decoder.decode(bytes, { stream: true });
        if (prompt.test(screen)) shown();
      },
    },
  });
  try {
    await Promise.race([
      new Promise<void>((resolve) => (prompt.test(screen) ? resolve() : (shown = resolve))),
      proc.exited.then(() => Promise.reject(new Error(`login ended before its picker:\n${screen}`))),
    ]);
    const choices = [...screen.matchAll(/^\s*(\d+)\) +(\S+) +(\S+)\s*$/gm)].map((m) => ({ ref: m[2]!, kind: m[3]! }));
    expect(choices.toSorted((a, b) => a.ref.localeCompare(b.ref))).toEqual([
      { ref: "acme", kind: "organization" },
      { ref: "acme/data", kind: "project" },
      { ref: "acme/web", kind: "project" },
      { ref: "globex", kind: "organization" },
      { ref: "globex/ops", kind: "project" },
    ]);
    const [, count, preselected] = screen.match(prompt)!;
    expect(Number(count)).toBe(choices.length);
    const chosen = choices[Number(preselected) - 1]!;
    expect(chosen.kind).toBe("project");
    proc.terminal!.write("\r");
    expect(await proc.exited, screen).toBe(0);
    expect(screen).toContain(`✓ Context set to ${chosen.ref}`);
  } finally {
    proc.kill();
    proc.terminal?.close();
  }
  // A project serves DNS zones (this one may have none).
  const get = await t.sb.run(["get", "dnszones"]);
  expect(get.exitCode, get.stderr).toBe(0);
  expect(get.stderr).not.toContain("error");
}, 60_000);
