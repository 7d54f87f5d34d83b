// Expected conditions get honest errors, never "internal error … a bug in datumctl": a full or
// read-only disk is STORAGE (and the old file is intact), a reader that closes stdout early ends
// datumctl as it ends kubectl (quietly, by SIGPIPE), timeouts mean what they say at any size, and
// printers refuse what kubectl refuses. Runs as root: tmpfs and read-only bind mounts, always
// unmounted in afterAll.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HEADLESS_BROWSER } from "../support/browser";
import { BINARY, type RunResult, type Sandbox, sandbox } from "../support/cli";
import { findKubectl } from "../support/kubectl";
import { type LocalDatum, startLocalDatum } from "../support/local-datum";

let datum: LocalDatum;
let sb: Sandbox;
let kubectl: string | undefined;
/** kubectl's kubeconfig: the same project as ada's session, with a static token. */
let kubeconfig: string;
/** Mounts and files of this file's own, outside the sandbox's home. */
let scratch: string;
const mounts: string[] = [];

const WEB = () => datum.api.projectPath("web");
/** Enough zones that their YAML (megabytes) is many times what a pipe and head can buffer. */
const BULK = 3000;

beforeAll(async () => {
  datum = await startLocalDatum();
  sb = sandbox();
  await datum.signIn(sb, "ada");
  for (let i = 0; i < BULK; i++) {
    const name = `zone-${String(i).padStart(5, "0")}`;
    datum.api.put(WEB(), {
      apiVersion: "dns.networking.miloapis.com/v1alpha1",
      kind: "DNSZone",
      metadata: { name, namespace: "bulk" },
      spec: { domainName: `${name}.example.com`, dnsZoneClassName: "datum-external-global-dns" },
    });
  }
  kubectl = await findKubectl();
  scratch = mkdtempSync(join(tmpdir(), "datumctl-honest-"));
  kubeconfig = join(scratch, "kubectl.yaml");
  writeFileSync(kubeconfig, datum.tokenKubeconfig(WEB(), "ada", await datum.idp.mintAccessToken("ada", 3600)));
});

afterAll(async () => {
  // Every mount comes off, lazily if it is still busy, before anything under it is removed.
  for (const m of mounts.reverse()) await sh(["umount", m]).catch(() => sh(["umount", "-l", m]));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  sb?.cleanup();
  await datum?.close();
});

async function sh(cmd: string[]): Promise<void> {
  const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe" });
  const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed (${code}): ${err}`);
}

/** A fresh directory in the scratch area, with a file system of its own mounted on it. */
async function mountAt(name: string, ...mountArgs: string[]): Promise<string> {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  await sh(["mount", ...mountArgs, dir]);
  mounts.push(dir);
  return dir;
}

/** Fills a file system until a write fails for want of space. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(4096, 0x41);
  try {
    for (let i = 0; ; i++) writeFileSync(join(dir, `filler-${i}`), chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  }
}

/** The signed-in session's files, copied into dir (cache left behind: it is not needed). */
function copySession(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of readdirSync(sb.configDir)) {
    if (f === "cache" || f.endsWith(".lock")) continue;
    cpSync(join(sb.configDir, f), join(dir, f), { recursive: true });
  }
}

const jsonError = (r: RunResult) => (JSON.parse(r.stderr.trim().split("\n").at(-1)!) as { error: { code: string; message: string; hint?: string } }).error;

/** Runs datumctl twice (human and --error-format json) and returns both. */
async function both(args: string[], env?: Record<string, string>): Promise<{ human: RunResult; json: RunResult }> {
  const human = await sb.run(args, { env });
  const json = await sb.run([...args, "--error-format", "json"], { env });
  return { human, json };
}

function expectHonest(r: { human: RunResult; json: RunResult }, code: string, message: RegExp): void {
  expect(r.json.exitCode).toBe(1);
  expect(jsonError(r.json).code).toBe(code);
  expect(jsonError(r.json).message).toMatch(message);
  expect(r.human.exitCode).toBe(1);
  expect(r.human.stderr).toStartWith("error: ");
  expect(r.human.stderr).not.toMatch(/internal error|a bug in datumctl|^\s+at /im);
}

describe("a full disk", () => {
  test("ctx use with the config dir on a full file system: STORAGE, and the config is as it was", async () => {
    const disk = await mountAt("full-config", "-t", "tmpfs", "-o", "size=64k", "tmpfs");
    const configDir = join(disk, "datumctl");
    copySession(configDir);
    const before = readFileSync(join(configDir, "config"), "utf8");
    fill(disk);
    const r = await both(["ctx", "use", "acme"], { DATUMCTL_CONFIG_DIR: configDir });
    expectHonest(r, "STORAGE", new RegExp(`^no space left on device writing ${configDir}/config$`));
    expect(jsonError(r.json).hint).toMatch(/free some space/i);
    expect(readFileSync(join(configDir, "config"), "utf8")).toBe(before);
  }, 30_000);

  test("update-kubeconfig into a full file system: STORAGE, and the kubeconfig is as it was", async () => {
    const disk = await mountAt("full-kube", "-t", "tmpfs", "-o", "size=64k", "tmpfs");
    const file = join(disk, "kubeconfig");
    const before = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\npreferences: {}\n";
    writeFileSync(file, before, { mode: 0o600 });
    fill(disk);
    const r = await both(["auth", "update-kubeconfig", "--project", "web"], { KUBECONFIG: file });
    expectHonest(r, "STORAGE", new RegExp(`^no space left on device writing ${file}$`));
    expect(readFileSync(file, "utf8")).toBe(before);
  }, 30_000);
});

describe("a read-only file system", () => {
  test("update-kubeconfig into a read-only directory: STORAGE, read-only, the file untouched", async () => {
    const source = join(scratch, "ro-source");
    mkdirSync(source, { recursive: true });
    const before = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n";
    writeFileSync(join(source, "kubeconfig"), before, { mode: 0o600 });
    const dir = await mountAt("ro-kube", "--bind", "-o", "ro", source);
    await sh(["mount", "-o", "remount,bind,ro", dir]);
    const r = await both(["auth", "update-kubeconfig", "--project", "web"], { KUBECONFIG: join(dir, "kubeconfig") });
    expectHonest(r, "STORAGE", /^read-only file system /);
    expect(jsonError(r.json).message).toContain(dir);
    expect(jsonError(r.json).hint).toMatch(/read-only/);
    expect(readFileSync(join(source, "kubeconfig"), "utf8")).toBe(before);
  }, 30_000);
});

describe("files that are not ours", () => {
  test("a config dir another user owns (EACCES, run as nobody): STORAGE naming the file, not a bug", async () => {
    const dir = join(scratch, "roots-config");
    copySession(dir);
    const run = async (extra: string[]) => {
      const p = Bun.spawn(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BINARY, "auth", "list", ...extra], {
        env: { ...sb.env, DATUMCTL_CONFIG_DIR: dir },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, exitCode] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      return { stdout, stderr, exitCode };
    };
    expectHonest({ human: await run([]), json: await run(["--error-format", "json"]) }, "STORAGE", new RegExp(`^permission denied opening ${dir}/config$`));
  });
});

describe("a config dir that cannot be one", () => {
  test("DATUMCTL_CONFIG_DIR under a regular file, or a directory where the config file goes: STORAGE", async () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "mine\n");
    const under = await both(["auth", "list"], { DATUMCTL_CONFIG_DIR: join(file, "datumctl") });
    expectHonest(under, "STORAGE", new RegExp(`^a parent is not a directory opening ${file}/datumctl/config$`));
    const dir = join(scratch, "config-is-a-dir");
    mkdirSync(join(dir, "config"), { recursive: true, mode: 0o700 });
    expectHonest(await both(["auth", "list"], { DATUMCTL_CONFIG_DIR: dir }), "STORAGE", /^a directory is where a file should be/);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
  });
});

/**
 * `cmd | head -n 1`, with the pipe a FIFO in the scratch dir so that this process holds no end
 * of it: once head has its line and exits, the next write the command makes fails. The output
 * (YAML of thousands of zones) is many times what the pipe and head can buffer.
 */
async function pipedIntoHead(
  cmd: string[],
  env: Record<string, string>,
): Promise<{ line: string; exitCode: number | null; signalCode: string | null; stderr: string }> {
  const fifo = join(scratch, `fifo-${Math.random().toString(36).slice(2)}`);
  await sh(["mkfifo", "-m", "600", fifo]);
  try {
    const head = Bun.spawn(["head", "-n", "1", fifo], { stdout: "pipe", stderr: "inherit" });
    // Blocks until head has the FIFO open for reading.
    const fd = openSync(fifo, "w");
    const proc = Bun.spawn(cmd, { env, stdin: "ignore", stdout: fd, stderr: "pipe" });
    closeSync(fd);
    const [line, stderr] = await Promise.all([new Response(head.stdout).text(), new Response(proc.stderr).text(), head.exited, proc.exited]);
    return { line, exitCode: proc.exitCode, signalCode: proc.signalCode === null ? null : String(proc.signalCode), stderr };
  } finally {
    rmSync(fifo, { force: true });
  }
}

describe("stdout closed early (datumctl get … | head -1)", () => {
  test("nothing on stderr, and the same end as kubectl's in the same pipe: killed by SIGPIPE (141 in a shell)", async () => {
    if (!kubectl) return;
    const args = ["get", "dnszones", "-n", "bulk", "-o", "yaml"];
    const theirs = await pipedIntoHead([kubectl, ...args], { PATH: process.env.PATH ?? "", HOME: scratch, KUBECONFIG: kubeconfig });
    const ours = await pipedIntoHead([BINARY, ...args], sb.env);
    expect(theirs).toEqual({ line: "apiVersion: v1\n", exitCode: null, signalCode: "SIGPIPE", stderr: "" });
    expect(ours).toEqual(theirs);
  }, 60_000);

  test("a shell sees 141 and nothing on stderr, as with kubectl", async () => {
    if (!kubectl) return;
    const script = (cmd: string) => `${cmd} get dnszones -n bulk -o yaml | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const run = async (cmd: string, env: Record<string, string>) => {
      const p = Bun.spawn(["bash", "-c", script(cmd)], { env, stdout: "pipe", stderr: "pipe" });
      const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      return { status: out.trim(), stderr: err };
    };
    const ours = await run(BINARY, sb.env);
    const theirs = await run(kubectl, { PATH: process.env.PATH ?? "", HOME: scratch, KUBECONFIG: kubeconfig });
    expect(theirs).toEqual({ status: "141", stderr: "" });
    expect(ours).toEqual(theirs);
  }, 60_000);
});

describe("timeouts of any size", () => {
  test("--request-timeout 0 and one longer than a timer can wait both mean: wait", async () => {
    for (const t of ["0", "100000000s", "2562047h"]) {
      const r = await sb.run(["get", "dnszones", "--request-timeout", t]);
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain("example-com");
    }
  });

  test("negative, garbage and beyond Go's range: INVALID_INPUT with kubectl's wording", async () => {
    for (const t of ["-1", "-5s", "soon", "NaN", "9999999h", "99999999999999999999"]) {
      const r = await both(["get", "dnszones", "--request-timeout", t]);
      expectHonest(
        r,
        "INVALID_INPUT",
        /^Invalid timeout value\. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit \(e\.g\. 1s \| 2m \| 3h\)$/,
      );
    }
  });

  test("login --timeout 0 waits for the sign-in; so does one past a timer's range", async () => {
    for (const t of ["0", "100000000s"]) {
      const r = await sb.run(datum.loginArgs("--context", "acme/web", "--timeout", t), { env: { BROWSER: HEADLESS_BROWSER, DATUMCTL_TEST_LOGIN: "ada" } });
      expect(r.stderr).not.toMatch(/no sign-in arrived/);
      expect(r.exitCode).toBe(0);
    }
  }, 30_000);

  test("login --timeout negative or garbage is INVALID_INPUT", async () => {
    for (const t of ["-1m", "later"]) {
      const r = await both(["login", "--timeout", t]);
      expectHonest(r, "INVALID_INPUT", new RegExp(`^invalid argument "${t}" for "--timeout" flag: `));
    }
  });
});

describe("get-token's own 30 s deadline", () => {
  test("an IdP that never finishes its token answer is a TIMEOUT naming the deadline, not a server error", async () => {
    // A sandbox of its own: this expires its session's token, which the other tests here use.
    const own = sandbox();
    try {
      await datum.signIn(own, "ada");
      const tokens = join(own.configDir, "cache", "tokens");
      for (const f of readdirSync(tokens)) {
        const t = JSON.parse(readFileSync(join(tokens, f), "utf8"));
        writeFileSync(join(tokens, f), JSON.stringify({ ...t, expiry: new Date(Date.now() - 1000).toISOString() }));
      }
      datum.idp.faults.add({ path: "/token", action: { stallBody: '{"access_token":"', contentType: "application/json" } });
      const r = await own.run(["auth", "get-token", "--error-format", "json"]);
      expect(r.exitCode).toBe(1);
      expect(jsonError(r).code).toBe("TIMEOUT");
      expect(jsonError(r).message).toMatch(/timed out: the identity provider did not answer within 30s/);
    } finally {
      datum.idp.faults.clear();
      await datum.idp.settled();
      own.cleanup();
    }
  }, 90_000);
});

describe("jsonpath indexes too large for an integer, as kubectl", () => {
  for (const index of ["99999999999999999999", "9007199254740993"]) {
    test(`{.items[${index}]}: kubectl's error and exit status`, async () => {
      if (!kubectl) return;
      const template = `jsonpath={.items[${index}]}`;
      const ours = await sb.run(["get", "dnszones", "-o", template]);
      const p = Bun.spawn([kubectl, "get", "dnszones", "-o", template], {
        env: { PATH: process.env.PATH ?? "", HOME: scratch, KUBECONFIG: kubeconfig },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [stdout, stderr, exitCode] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      expect(exitCode).toBe(1);
      expect(ours.exitCode).toBe(exitCode);
      expect(ours.stdout).toBe(stdout);
      expect(ours.stderr.split("\n")[0]).toBe(stderr.split("\n")[0]!);
    });
  }
});
