// Ctrl-C or SIGTERM in the middle of a token refresh. The IdP rotates the refresh token when it
// processes the grant, so once the request is out the old token is dead: datumctl must wait for
// the answer and save it (2 s at most) before exiting 130, or the session is lost. The IdP here
// holds its answer back after the grant is done, and the test sends the signal then.
import { describe, expect, test } from "bun:test";
import { expireCachedToken, findUnder, storedRefreshToken } from "../support/session-files";
import { localDatumPerTest } from "../support/local-datum";

const t = localDatumPerTest();

describe("a signal during a token refresh", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`${signal} after the IdP rotated the refresh token: the answer is saved, exit 130, and the session still works without a login`, async () => {
      const session = await t.datum.signIn(t.sb);
      const before = storedRefreshToken(t.sb);
      expireCachedToken(t.sb);
      const hold = t.datum.idp.holdNextTokenAnswer("refresh_token");
      try {
        const run = t.sb.start(["auth", "get-token", `--session=${session}`]);
        // The grant is carried out: the IdP has rotated the refresh token, the old one is spent.
        await hold.held;
        run.proc.kill(signal);
        await run.waitForStderr(/Interrupted: saving the refreshed session first/);
        hold.release();
        const r = await run.result();
        expect(r.exitCode, r.stderr).toBe(130);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain("Aborted.");
        expect(storedRefreshToken(t.sb)).not.toBe(before);
        expect(findUnder(t.sb.configDir, ".lock")).toEqual([]);
        expect(findUnder(t.sb.configDir, ".tmp")).toEqual([]);
      } finally {
        hold.release();
      }

      // The saved refresh token is the live one: a later refresh works, no login needed.
      expireCachedToken(t.sb);
      t.datum.idp.resetCounters();
      const again = await t.sb.run(["auth", "get-token", `--session=${session}`]);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(t.datum.idp.grants.refresh_token).toBe(1);
      expect((await t.datum.idp.verifyAccessToken(again.stdout.trim()))?.sub).toBe("ada");
    }, 30_000);
  }
});
