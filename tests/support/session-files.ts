// What a signed-in sandbox holds on disk, read the way a user could: the cached access token,
// the stored refresh token, lock and temp files left behind.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "./cli";
import { wallClock } from "./faults";

/** The one cached access token file of the sandbox. */
export function tokenFile(sb: Pick<Sandbox, "configDir">): string {
  const dir = join(sb.configDir, "cache", "tokens");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  if (files.length !== 1) throw new Error(`expected one cached token in ${dir}, found ${files.length}`);
  return join(dir, files[0]!);
}

/** Makes the cached access token expired, so the next get-token refreshes. */
export function expireCachedToken(sb: Pick<Sandbox, "configDir">): void {
  const t = JSON.parse(readFileSync(tokenFile(sb), "utf8"));
  writeFileSync(tokenFile(sb), JSON.stringify({ ...t, expiry: new Date(wallClock() - 1000).toISOString() }) + "\n");
}

/** The refresh token in credentials.json (the sandbox's file store), for its one session. */
export function storedRefreshToken(sb: Pick<Sandbox, "configDir">): string {
  const creds = JSON.parse(readFileSync(join(sb.configDir, "credentials.json"), "utf8"))["datumctl-auth"];
  const blobs = Object.values(creds) as string[];
  if (blobs.length !== 1) throw new Error(`expected one stored credential, found ${blobs.length}`);
  return JSON.parse(blobs[0]!).token.refresh_token;
}

/** Paths under dir whose name ends with suffix (`.lock`, `.tmp`), at any depth; none when dir is missing. */
export function findUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.endsWith(suffix)).map((p) => join(dir, p));
}

export const modeOf = (path: string) => statSync(path).mode & 0o7777;
