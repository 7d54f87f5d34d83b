// What `datumctl login` tells a person while it waits, through the binary against the local
// Datum Cloud: which flow it chose and why, the time left (a spinner on a terminal, plain lines
// elsewhere), and --timeout honoured in the device flow as in the browser flow.
import { describe, expect, test } from "bun:test";
import { completeDeviceLogin, HEADLESS_BROWSER } from "./support/browser";
import { localDatumPerTest } from "./support/local-datum";
import { onTerminal } from "./support/terminal";

const t = localDatumPerTest();

/** Control characters a plain log must not get: carriage returns and ANSI escapes. */
const CONTROL = /[\r\x1b]/;

/** Runs login on a pseudo-terminal; resolves with everything it drew and its exit code. */
async function loginOnTerminal(args: string[], env: Record<string, string> = {}): Promise<{ screen: string; exitCode: number }> {
  const term = onTerminal(args, { env: { ...t.sb.env, ...env }, cwd: t.sb.home });
  try {
    const exitCode = await term.proc.exited;
    return { screen: term.screen, exitCode };
  } finally {
    term.close();
  }
}

describe("device flow", () => {
  test("--timeout ends the wait with TIMEOUT even when the server asks for slow polls", async () => {
    // One poll a minute: a wait that slept the server's interval would outlast the test.
    t.datum.idp.device.interval = 60;
    try {
      const r = await t.sb.run(t.datum.loginArgs("--no-browser", "--timeout", "2s"));
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toContain("error: no sign-in arrived within 2s");
      expect(r.stderr).toContain("--timeout");
      const json = await t.sb.run(t.datum.loginArgs("--no-browser", "--timeout", "1s", "--error-format", "json"));
      expect(JSON.parse(json.stderr.slice(json.stderr.indexOf("{"))).error.code).toBe("TIMEOUT");
    } finally {
      t.datum.idp.device.interval = 1;
    }
  }, 30_000);

  test("a code that expires before --timeout ends the wait at its expiry, also with --timeout 0", async () => {
    t.datum.idp.ttl.deviceCode = 2;
    try {
      for (const limit of ["1h", "0"]) {
        const r = await t.sb.run(t.datum.loginArgs("--no-browser", "--timeout", limit));
        expect(r.exitCode, r.stderr).toBe(1);
        expect(r.stderr).toContain("error: the sign-in code expired before it was approved");
      }
    } finally {
      t.datum.idp.ttl.deviceCode = 600;
    }
  }, 30_000);

  test("without a terminal: plain lines, the flow and why, the time left, no control characters", async () => {
    t.datum.idp.device.interval = 0.2;
    const login = t.sb.start(t.datum.loginArgs("--no-browser"));
    const m = await login.waitForStderr(/visit:\n(\S+)\nAnd enter code: (\S+)\nWaiting for authorization \((\d+)m(\d\d)s left\)\.\.\.\n/);
    // The IdP's codes live 10 minutes; the default --timeout (5m) comes first.
    const left = Number(m[3]) * 60 + Number(m[4]);
    expect(left).toBeGreaterThan(290);
    expect(left).toBeLessThanOrEqual(300);
    await completeDeviceLogin(m[1]!, m[2]!, "bob");
    const r = await login.result();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toStartWith("Using the device flow (--no-browser).\nTo authenticate, visit:\n");
    expect(r.stderr).toContain("✓ Authenticated as Bob Builder (bob@example.com)");
    expect(r.stderr).not.toMatch(CONTROL);
  }, 30_000);

  test("on a terminal: a spinner with the time left, cleared before the error", async () => {
    const { screen, exitCode } = await loginOnTerminal(t.datum.loginArgs("--no-browser", "--timeout", "3s"));
    expect(exitCode, screen).toBe(1);
    expect(screen).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for authorization \([123]s left\)/);
    // The spinner's line is wiped before the error is written.
    expect(screen).toMatch(/\r\x1b\[2Kerror: no sign-in arrived within 3s/);
  }, 30_000);
});

describe("choosing the flow", () => {
  test("no display and no $BROWSER: the device flow, and the user is told why", async () => {
    const r = await t.sb.run(t.datum.loginArgs("--timeout", "1s"), { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, BROWSER: undefined } });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toStartWith("No display found ($DISPLAY and $WAYLAND_DISPLAY unset): using the device flow.\nTo authenticate, visit:\n");
    expect(r.stderr).not.toMatch(CONTROL);
  });

  test("over SSH, even with a display: the device flow, naming the variable that said so", async () => {
    const r = await t.sb.run(t.datum.loginArgs("--timeout", "1s"), { env: { DISPLAY: ":0", SSH_CONNECTION: "10.0.0.1 22 10.0.0.2 22" } });
    expect(r.stderr).toStartWith("SSH session found ($SSH_CONNECTION set): using the device flow.\n");
  });

  test("$BROWSER set without a display: the browser flow, said so, and no control characters without a terminal", async () => {
    const r = await t.sb.run(t.datum.loginArgs("--context", "acme/web"), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toStartWith("Using the browser flow ($BROWSER is set).\nOpening your browser");
    expect(r.stderr).toMatch(/\nWaiting for the sign-in in your browser \((5m00|4m\d\d)s left\)\.\.\.\n/);
    expect(r.stderr).not.toMatch(CONTROL);
  });

  test("browser flow on a terminal: a spinner with the time left, and --timeout ends it with TIMEOUT", async () => {
    // A "browser" that starts and does nothing: nobody ever signs in.
    const { screen, exitCode } = await loginOnTerminal(t.datum.loginArgs("--timeout", "2s"), { BROWSER: "true" });
    expect(exitCode, screen).toBe(1);
    expect(screen).toContain("Using the browser flow ($BROWSER is set).");
    expect(screen).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for the sign-in in your browser \([12]s left\)/);
    expect(screen).toContain("error: no sign-in arrived within 2s");
  }, 30_000);

  test("--timeout 0 in the browser flow: no limit shown", async () => {
    const r = await t.sb.run(t.datum.loginArgs("--timeout", "0", "--context", "acme/web"), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("\nWaiting for the sign-in in your browser...\n");
  });
});
