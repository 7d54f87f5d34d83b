// The security suite's net, cast under every test that runs the binary in a sandbox: no
// secret from the stores may appear in anything a command printed (get-token's own stdout
// excepted), nor in any file outside the stores; every file datumctl made is 0600 and every
// directory 0700.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out = out.concat(files(path));
    else out.push(path);
  }
  return out;
}

const tryJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Every secret the sandbox's stores hold: access and refresh tokens, private keys. */
export function storedSecrets(configDir: string): string[] {
  const secrets = new Set<string>();
  const add = (s: unknown) => typeof s === "string" && s.length >= 16 && secrets.add(s);
  for (const f of files(join(configDir, "cache", "tokens"))) add((tryJson(readFileSync(f, "utf8")) as { access_token?: string })?.access_token);
  const credsFile = join(configDir, "credentials.json");
  const creds = (existsSync(credsFile) ? tryJson(readFileSync(credsFile, "utf8")) : undefined) as Record<string, Record<string, string>> | undefined;
  for (const blob of Object.values(creds?.["datumctl-auth"] ?? {})) {
    const b = tryJson(blob) as { token?: { refresh_token?: string; access_token?: string } } | undefined;
    add(b?.token?.refresh_token);
    add(b?.token?.access_token);
  }
  for (const f of files(join(configDir, "service-accounts"))) {
    // Any line of the key's body would do; take them all.
    for (const line of readFileSync(f, "utf8").split("\n")) if (!line.startsWith("-----")) add(line.trim());
  }
  return [...secrets];
}

/** Throws naming the leak: a secret printed by a command other than get-token's stdout. */
export function checkOutput(configDir: string, args: string[], stdout: string, stderr: string): void {
  const shown = args.includes("get-token") ? stderr : stdout + stderr;
  for (const s of storedSecrets(configDir)) {
    if (shown.includes(s)) throw new Error(`datumctl ${args.join(" ")} printed a stored secret (${s.slice(0, 6)}…)`);
  }
}

/**
 * Throws naming a file datumctl wrote outside the stores that holds a secret (its config
 * directory, kubeconfigs), or one of its files or directories with loose permissions. Files a
 * test made itself (a key file, manifests) are the user's and not looked at.
 */
export function checkTree(home: string, configDir: string, looseModes = false): void {
  const secrets = storedSecrets(configDir);
  const stores = [join(configDir, "credentials.json"), join(configDir, "cache", "tokens"), join(configDir, "service-accounts")];
  const written = [...files(configDir), ...files(home).filter((f) => /kubeconfig|\/\.kube\//.test(f))];
  for (const f of written) {
    if (stores.some((s) => f === s || f.startsWith(`${s}/`)) || f.includes(".corrupt-")) continue;
    const text = readFileSync(f, "utf8");
    for (const s of secrets) if (text.includes(s)) throw new Error(`${relative(home, f)} holds a secret that belongs only in the stores`);
  }
  if (process.platform === "win32" || looseModes) return;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      const mode = st.mode & 0o777;
      if (st.isDirectory()) {
        if (mode !== 0o700) throw new Error(`${relative(home, path)}/ is ${mode.toString(8)}, not 700`);
        walk(path);
      } else if (mode !== 0o600) {
        throw new Error(`${relative(home, path)} is ${mode.toString(8)}, not 600`);
      }
    }
  };
  try {
    walk(configDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

/**
 * The first piece of a secret (24 characters or more) found in `text`, else undefined: a body
 * cut short shows only part of a token, and that part is still a leak.
 */
export function leakedPiece(text: string, secrets: Iterable<string>): string | undefined {
  for (const secret of secrets) {
    if (secret.length < 24) {
      if (secret.length >= 8 && text.includes(secret)) return secret;
      continue;
    }
    // Every run of 24 characters of the secret holds one of these 16-character windows.
    for (let i = 0; i + 16 <= secret.length; i += 8) {
      const piece = secret.slice(i, i + 16);
      if (text.includes(piece)) return piece;
    }
  }
  return undefined;
}
