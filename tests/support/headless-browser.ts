#!/usr/bin/env bun
// `$BROWSER` for tests: `headless-browser.sh <authorization url>` (the .sh wrapper finds the
// repo's bun). Logs in as $DATUMCTL_TEST_LOGIN (default "ada") through ./browser.ts, then
// delivers the final redirect to the CLI's own loopback listener, as a real browser would.
// Prints nothing on stdout; with DATUMCTL_TEST_BROWSER_DEBUG set, traces to stderr.
//   DATUMCTL_TEST_BROWSER_CANCEL=1  press "Cancel" instead of logging in.
// Exit 0 when the callback got a code and answered below 400; 1 otherwise (the callback is
// still delivered when it carries an error, so the CLI sees it); 2 on usage errors.
import { completeBrowserLogin } from "./browser";

const debug = (msg: string) => {
  if (process.env.DATUMCTL_TEST_BROWSER_DEBUG) process.stderr.write(`[headless-browser] ${msg}\n`);
};

async function main(): Promise<number> {
  const url = process.argv[2];
  if (!url || !URL.canParse(url)) {
    process.stderr.write("usage: headless-browser <url>\n");
    return 2;
  }
  const login = process.env.DATUMCTL_TEST_LOGIN || "ada";
  debug(`login as ${login}: ${url}`);
  const callback = await completeBrowserLogin(url, login, { cancel: !!process.env.DATUMCTL_TEST_BROWSER_CANCEL });
  debug(`callback ${callback.origin}${callback.pathname} params=${[...callback.searchParams.keys()].join(",")}`);
  // Deliver it; never follow the listener's redirect (the Go CLI sends browsers to datum.net).
  const res = await fetch(callback, { redirect: "manual" });
  await res.arrayBuffer();
  debug(`callback answered ${res.status}`);
  if (callback.searchParams.has("error")) {
    process.stderr.write(
      `headless-browser: authorization error: ${callback.searchParams.get("error")} ${callback.searchParams.get("error_description") ?? ""}\n`,
    );
    return 1;
  }
  if (res.status >= 400) {
    process.stderr.write(`headless-browser: callback answered ${res.status}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`headless-browser: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
