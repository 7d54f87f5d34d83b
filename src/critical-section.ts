// Work that Ctrl-C or SIGTERM must not cut short: a token refresh whose answer rotates the
// refresh token, which is lost for good unless saved. The signal handler (main.ts) waits for
// open sections, at most GRACE_MS, then exits as it would have.

export const GRACE_MS = 2_000;

let open = 0;
let note = "";
const waiting: (() => void)[] = [];

/** Runs fn as a critical section; `why` is what the user is told if they interrupt it. */
export async function critical<T>(why: string, fn: () => Promise<T>): Promise<T> {
  open++;
  note = why;
  try {
    return await fn();
  } finally {
    if (--open === 0) for (const w of waiting.splice(0)) w();
  }
}

/** Calls `then` once no section is open (at once if none is), or after GRACE_MS at the latest. */
export function afterCriticalSections(tell: (text: string) => void, then: () => void): void {
  if (open === 0) return then();
  if (waiting.length > 0) return; // a second signal: the first one's exit is already coming
  tell(`Interrupted: ${note} first (at most ${GRACE_MS / 1000} s)…\n`);
  const timer = setTimeout(then, GRACE_MS);
  waiting.push(() => {
    clearTimeout(timer);
    then();
  });
}
