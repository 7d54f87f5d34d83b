// Whether datumctl can save anything at all: a read-only or full file system under the config
// dir makes every login fail and every token refresh refused (before the refresh token is
// spent). Probed with access(2) and statfs(2), so doctor itself writes nothing.
import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import { dirname } from "node:path";
import type { Check } from "./report";

/** Less free space than this and a refresh is refused (it reserves room for the new tokens first). */
export const LOW_SPACE_BYTES = 1024 * 1024;

const section = "Files" as const;

export function writableCheck(configDir: string): Check {
  // What exists of it: a missing config dir is created in its nearest existing parent.
  let dir = configDir;
  while (!existsSync(dir) && dir !== dirname(dir)) dir = dirname(dir);
  const base = { section, name: "writable", subject: configDir } as const;
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const how = code === "EROFS" ? "is on a read-only file system" : `is not writable by you (${code})`;
    return {
      ...base,
      status: "fail",
      detail: `${dir} ${how}: login cannot save a session and token refreshes are refused`,
      fix: code === "EROFS" ? `Remount it read-write, or point DATUMCTL_CONFIG_DIR at a writable directory` : `sudo chown -R "$(id -u):$(id -g)" ${dir}`,
    };
  }
  let free: number | undefined;
  try {
    const fs = statfsSync(dir);
    free = fs.bavail * fs.bsize;
  } catch {
    // not told on this platform
  }
  if (free !== undefined && free < LOW_SPACE_BYTES) {
    return {
      ...base,
      status: "fail",
      detail: `The disk holding ${dir} is full (${free} bytes free): token refreshes are refused until there is room for the new tokens`,
      fix: `Free some space on the disk holding ${dir}`,
    };
  }
  return { ...base, status: "ok", detail: `${dir} is writable${free === undefined ? "" : ` (${mebibytes(free)} free)`}` };
}

const mebibytes = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);
