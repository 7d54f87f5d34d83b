// Login's context picker on a terminal: each choice says what it is, and Enter picks a project,
// where resource commands work, rather than an organization, where they fail.
import { expect, test } from "bun:test";
import { HEADLESS_BROWSER } from "./support/browser";
import { localDatumPerTest } from "./support/local-datum";
import { onTerminal } from "./support/terminal";

const t = localDatumPerTest();

test("the picker labels organizations and projects, and Enter takes a project; get dnszones then works", async () => {
  const prompt = /Choose 1-(\d+) \[(\d+)\]: /;
  const term = onTerminal(t.datum.loginArgs(), { env: { ...t.sb.env, BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" }, cwd: t.sb.home });
  try {
    await term.shows(prompt);
    const screen = term.screen;
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
    term.type("\r");
    expect(await term.proc.exited, term.screen).toBe(0);
    expect(term.screen).toContain(`✓ Context set to ${chosen.ref}`);
  } finally {
    term.close();
  }
  // A project serves DNS zones (this one may have none).
  const get = await t.sb.run(["get", "dnszones"]);
  expect(get.exitCode, get.stderr).toBe(0);
  expect(get.stderr).not.toContain("error");
}, 60_000);
