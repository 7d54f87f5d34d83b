// The path kubectl takes on every command: `datumctl auth get-token --output=… --session=…`
// with a fresh token in the cache. It recognises only the argument shapes kubeconfig entries
// use and answers only from the cache; anything else (another flag, no session, help, a token
// to refresh, a corrupt cache file) returns undefined and the full CLI handles it, so the two
// can never disagree on errors or refresh. Every module it loads is small and pure: each one
// here is paid for on kubectl's every call (npm run bench measures it).
import { usableToken } from "./auth/access-token";
import { GET_TOKEN_OUTPUTS, renderToken } from "./auth/exec-credential";
import { configDir } from "./store/paths";
import { parseCachedToken, readSmallFile, tokenCachePath } from "./store/token-cache-read";

interface TokenRequest {
  output: string;
  session: string;
}

/** `--output=V`, `--output V`, `-o V`, `--session=S`, `--session S`; the last of a repeat wins. */
export function recognise(args: readonly string[]): TokenRequest | undefined {
  let output = "token";
  let session: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf("=");
    let name: string;
    let value: string | undefined;
    if (arg.startsWith("--") && eq > 2) {
      name = arg.slice(2, eq);
      value = arg.slice(eq + 1);
    } else if (arg === "--output" || arg === "-o" || arg === "--session") {
      name = arg === "-o" ? "output" : arg.slice(2);
      value = args[++i];
    } else {
      return undefined;
    }
    if (name === "output" && value !== undefined && GET_TOKEN_OUTPUTS.includes(value)) output = value;
    else if (name === "session" && value) session = value;
    else return undefined;
  }
  return session === undefined ? undefined : { output, session };
}

/** The exit code once the token is printed, or undefined to hand over to the full CLI. */
export async function fastGetToken(args: readonly string[]): Promise<number | undefined> {
  const req = recognise(args);
  if (!req) return undefined;
  const env = process.env;
  let text: string;
  try {
    text = readSmallFile(tokenCachePath(configDir(env), req.session));
  } catch {
    return undefined;
  }
  const parsed = parseCachedToken(text, req.session);
  const token = usableToken(parsed === "corrupt" ? undefined : parsed);
  if (!token) return undefined;
  const out = renderToken(token, req.output, env.KUBERNETES_EXEC_INFO);
  // console.log is the cheapest writer a compiled binary has (scripts/bench.ts; Bun.write costs
  // a further 3 % of start-up), and it adds the newline the JSON outputs end in.
  if (out.endsWith("\n")) console.log(out.slice(0, -1));
  else await Bun.write(Bun.stdout, out);
  return 0;
}
