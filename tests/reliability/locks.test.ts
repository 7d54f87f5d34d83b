// datumctl's own locks (src/store/lock.ts) hold for as long as their holder works, are
// private (0700) like every directory datumctl makes, and are gone when it is done; and no
// lock is held while a person is being asked something. Before: the lock library declared a
// lock compromised at its first 5 s refresh, so a refresh slower than that failed get-token,
// and login's context picker answered after 8 s failed and left config.lock behind.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { lockKubeconfig } from "../../src/kubeconfig/lock";
import { HEADLESS_BROWSER } from "../support/browser";
import { expireCachedToken, findUnder, modeOf } from "../support/session-files";
import { localDatumPerTest } from "../support/local-datum";
import { onTerminal } from "../support/terminal";

const t = localDatumPerTest();

describe("locks", () => {
  test("a token refresh slower than the lock's 5 s refresh succeeds; its lock is 0700, names its holder, and is gone after", async () => {
    const session = await t.datum.signIn(t.sb);
    expireCachedToken(t.sb);
    // A slow IdP: the refresh answer comes 6 s after the request, past the lock's first touch.
    t.datum.idp.faults.add({ method: "POST", path: "/token", times: 1, action: { delayMs: 6_000 } });
    const arrived = t.datum.idp.faults.nextRequest("/token");
    const run = t.sb.start(["auth", "get-token", `--session=${session}`]);
    await arrived;
    const locksDir = join(t.sb.configDir, "cache", "locks");
    const held = readdirSync(locksDir).filter((n) => n.endsWith(".lock"));
    expect(held).toHaveLength(1);
    const lock = join(locksDir, held[0]!);
    expect(modeOf(lock).toString(8)).toBe("700");
    expect(modeOf(locksDir).toString(8)).toBe("700");
    expect(readFileSync(join(lock, "pid"), "utf8")).toBe(String(run.proc.pid));

    const r = await run.result();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect((await t.datum.idp.verifyAccessToken(r.stdout.trim()))?.sub).toBe("ada");
    expect(t.datum.idp.grants.refresh_token).toBe(1);
    expect(findUnder(t.sb.configDir, ".lock")).toEqual([]);
  }, 30_000);

  test("login's context picker holds no lock while it waits; answered after 8 s it works and leaves no lock", async () => {
    let options: string[] = [];
    const term = onTerminal(t.datum.loginArgs(), { env: { ...t.sb.env, BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" }, cwd: t.sb.home });
    try {
      await term.shows(/Choose 1-\d+ \[\d+\]: /);
      options = [...term.screen.matchAll(/^\s*(\d+)\) +(\S+)/gm)].map((m) => m[2]!);
      expect(options.length).toBeGreaterThan(1);
      // Nobody is kept waiting on the config while a person thinks.
      expect(findUnder(t.sb.configDir, ".lock")).toEqual([]);
      // The person takes a while: past the old lock's 5 s refresh and the 8 s the issue names.
      await Bun.sleep(8_500);
      expect(findUnder(t.sb.configDir, ".lock")).toEqual([]);
      term.type("2\r");
      expect(await term.proc.exited, term.screen).toBe(0);
    } finally {
      term.close();
    }
    // Option 2 is what was set.
    expect(term.screen).toContain(`✓ Context set to ${options[1]}`);
    const cfg = YAML.parse(readFileSync(join(t.sb.configDir, "config"), "utf8"));
    expect(cfg["current-context"]).toEndWith(`/${options[1]}`);
    expect(findUnder(t.sb.configDir, ".lock")).toEqual([]);
    expect(existsSync(join(t.sb.configDir, "config.lock"))).toBe(false);
  }, 60_000);

  test("the lock datumctl takes beside a kubeconfig is made 0700 too", async () => {
    const kube = join(t.sb.home, ".kube");
    mkdirSync(kube, { mode: 0o755 });
    const file = join(kube, "config");
    const release = await lockKubeconfig(file);
    try {
      expect(modeOf(`${file}.lock`).toString(8)).toBe("700");
    } finally {
      await release();
    }
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(modeOf(kube).toString(8)).toBe("755");
  });
});
