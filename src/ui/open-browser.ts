// Opens a URL in the user's browser. $BROWSER wins (run as `$BROWSER <url>`), else the
// platform's opener. Whatever a launcher prints goes to stderr, never into our stdout.
import type { Env } from "../runtime";

function opener(env: Env, url: string): string[] | undefined {
  if (env.BROWSER === "none") return undefined;
  if (env.BROWSER) return [env.BROWSER, url];
  switch (process.platform) {
    case "darwin":
      return ["open", url];
    case "win32":
      // rundll32 avoids cmd's quoting of & in URLs.
      return ["rundll32", "url.dll,FileProtocolHandler", url];
    default:
      if (Bun.which("wslview")) return ["wslview", url];
      return Bun.which("xdg-open") ? ["xdg-open", url] : undefined;
  }
}

/** Starts the browser; resolves false when nothing could be launched (the URL is shown anyway). */
export async function openBrowser(env: Env, url: string): Promise<boolean> {
  const cmd = opener(env, url);
  if (!cmd) return false;
  try {
    const proc = Bun.spawn(cmd, { stdin: "ignore", stdout: 2, stderr: 2, env: env as Record<string, string> });
    // Neither the browser nor the wait for it may keep datumctl running once it is done.
    proc.unref();
    // A launcher that returns quickly with an error means no browser; one that keeps running is the browser.
    const stillRunning = new Promise<undefined>((resolve) => setTimeout(resolve, 1000).unref());
    const early = await Promise.race([proc.exited, stillRunning]);
    return early === undefined || early === 0;
  } catch {
    return false;
  }
}

/** Why the browser flow cannot work here (no display, or a shell on another machine), if it cannot. */
export function headless(env: Env): string | undefined {
  const ssh = ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"].find((k) => env[k]);
  if (ssh) return `SSH session found ($${ssh} set)`;
  if (process.platform === "linux" && !env.WSL_DISTRO_NAME && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return "No display found ($DISPLAY and $WAYLAND_DISPLAY unset)";
  }
  return undefined;
}

/** --no-browser, else $BROWSER wins even without a display, else no display or SSH means a code; and why, for the user. */
export function signInFlow(env: Env, noBrowser: boolean): { device: boolean; why: string } {
  if (noBrowser) return { device: true, why: "Using the device flow (--no-browser)." };
  if (env.BROWSER && env.BROWSER !== "none") return { device: false, why: "Using the browser flow ($BROWSER is set)." };
  const reason = headless(env);
  if (reason) return { device: true, why: `${reason}: using the device flow.` };
  return { device: false, why: "Using the browser flow (--no-browser uses a code instead)." };
}
