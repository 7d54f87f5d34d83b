// ~/.datumctl/credentials.json: where secrets go when the keyring cannot hold them.
// Same shape as the Go tool's file, {service: {key: secret}}, so the two tools can share it;
// unlike the Go tool it is written atomically under a lock, so no entry is ever lost.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "./atomic";
import { withFileLock } from "./lock";

type Secrets = Record<string, Record<string, string>>;

/** A corrupt file is renamed to `<file>.corrupt-<time>`. */
const MOVED_ASIDE = ".corrupt-";

export interface SecretFileEvents {
  warn(text: string): void;
}

export class SecretFile {
  constructor(
    readonly path: string,
    private readonly events: SecretFileEvents,
  ) {}

  /** Reads the whole file; a corrupt one is reported and read as empty. */
  private read(onCorrupt: "warn" | "move-aside"): Secrets {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw e;
    }
    if (text.trim() === "") return {};
    try {
      const data = JSON.parse(text) as unknown;
      if (isSecrets(data)) return data;
    } catch {
      // fall through: corrupt
    }
    if (onCorrupt === "move-aside") {
      const aside = `${this.path}${MOVED_ASIDE}${new Date().toISOString().replace(/[:.]/g, "-")}`;
      renameSync(this.path, aside);
      this.events.warn(`${this.path} was not valid JSON; moved it to ${aside} and started a new one`);
    } else {
      this.events.warn(`ignoring ${this.path}: it is not valid JSON`);
    }
    return {};
  }

  has(service: string, key: string): boolean {
    return existsSync(this.path) && this.get(service, key) !== null;
  }

  get(service: string, key: string): string | null {
    return this.read("warn")[service]?.[key] ?? null;
  }

  /** Returns whether the key was new to the file. */
  async set(service: string, key: string, value: string): Promise<boolean> {
    return this.update((all) => {
      const isNew = all[service]?.[key] === undefined;
      (all[service] ??= {})[key] = value;
      return isNew;
    });
  }

  async delete(service: string, key: string): Promise<boolean> {
    if (!existsSync(this.path)) return false;
    return this.update((all) => {
      if (all[service]?.[key] === undefined) return false;
      delete all[service]![key];
      return true;
    });
  }

  /**
   * Removes the corrupt files moved aside from this one: they may still hold refresh tokens,
   * so signing out of everything takes them too. Returns their paths.
   */
  removeMovedAside(): string[] {
    const prefix = `${basename(this.path)}${MOVED_ASIDE}`;
    let names: string[];
    try {
      names = readdirSync(dirname(this.path));
    } catch {
      return [];
    }
    const removed = names.filter((n) => n.startsWith(prefix)).map((n) => join(dirname(this.path), n));
    for (const p of removed) rmSync(p, { force: true });
    return removed;
  }

  private update<T>(change: (all: Secrets) => T): Promise<T> {
    return withFileLock(this.path, () => {
      const all = this.read("move-aside");
      const result = change(all);
      writeFileAtomic(this.path, JSON.stringify(all, null, 2) + "\n");
      return result;
    });
  }
}

function isSecrets(v: unknown): v is Secrets {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  return Object.values(v).every((m) => m && typeof m === "object" && !Array.isArray(m) && Object.values(m).every((s) => typeof s === "string"));
}
