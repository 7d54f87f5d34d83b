// HTTPS_PROXY / HTTP_PROXY / NO_PROXY with Go's rules (what kubectl users expect): loopback is
// never proxied; NO_PROXY holds hosts, .suffixes, host:port pairs, IPs or `*`.
import type { Env } from "../runtime";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function bypass(url: URL, noProxy: string): boolean {
  if (LOOPBACK.has(url.hostname)) return true;
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    if (raw === "*") return true;
    const [host, p] = raw.startsWith("[") ? [raw.slice(0, raw.indexOf("]") + 1), raw.split("]:")[1]] : raw.split(":");
    if (p && p !== port) continue;
    const h = url.hostname.toLowerCase();
    const bare = host!.replace(/^\*?\./, "");
    if (h === bare || h.endsWith(`.${bare}`)) return true;
  }
  return false;
}

export function proxyFor(url: URL, env: Env): string | undefined {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v);
  const proxy = url.protocol === "https:" ? pick("HTTPS_PROXY", "https_proxy") : pick("HTTP_PROXY", "http_proxy");
  if (!proxy || bypass(url, pick("NO_PROXY", "no_proxy") ?? "")) return undefined;
  return proxy;
}
