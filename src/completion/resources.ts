// Dynamic completions for resource commands: types from (cached) discovery, and names of the
// chosen type from the server, kept for a few seconds so repeated TABs stay instant.
// Any failure (signed out, offline) just means no suggestions.
import type { Runtime } from "../runtime";
import { writeFileAtomic } from "../store/atomic";
import { cacheDir } from "../store/paths";

/** Commands whose positionals are TYPE then NAME…, as `get`'s are. */
export const RESOURCE_COMMANDS = ["get", "describe", "delete", "edit", "explain"];
const NAMES_TTL_MS = 10_000;

export interface Candidate {
  value: string;
  description: string;
}

/** The positional words typed so far for the command (flags and their values skipped). */
function positionals(words: string[]): string[] {
  return words
    .slice(1, -1)
    .filter((w, i, all) => !w.startsWith("-") && !(i > 0 && /^-[a-zA-Z]$|^--(output|selector|namespace|field-selector)$/.test(all[i - 1]!)));
}

export async function resourceCandidates(rt: Runtime, words: string[]): Promise<Candidate[]> {
  try {
    const { scopedClient } = await import("../resources/scoped");
    const { discover, preferredResources, resolveResource } = await import("../discovery/index");
    const scoped = await scopedClient(rt, { skipOnboarding: true });
    const typed = positionals(words);
    if (typed.length === 0) {
      const surface = await discover(rt, scoped);
      return preferredResources(surface).map((r) => ({ value: r.resource, description: r.kind }));
    }
    if (words[0] === "explain") return [];
    const [resource] = await resolveResource(rt, scoped, typed[0]!);
    if (!resource) return [];
    const key = new Bun.CryptoHasher("sha256")
      .update(`${scoped.client.url("")}|${resource.group}/${resource.resource}|${scoped.namespace}`)
      .digest("hex")
      .slice(0, 24);
    const file = `${cacheDir(rt.configDir)}/completion/${key}.json`;
    try {
      const cached = (await Bun.file(file).json()) as { at: number; names: string[] };
      if (Date.now() - cached.at < NAMES_TTL_MS) return cached.names.map((value) => ({ value, description: "" }));
    } catch {
      // none yet
    }
    const { listObjects } = await import("../resources/fetch");
    const { items } = await listObjects(scoped.client, resource, { namespace: resource.namespaced ? scoped.namespace : undefined, chunkSize: 500 });
    const names = items.map((o) => o.metadata?.name ?? "").filter(Boolean);
    writeFileAtomic(file, JSON.stringify({ at: Date.now(), names }));
    return names.map((value) => ({ value, description: "" }));
  } catch {
    return [];
  }
}
