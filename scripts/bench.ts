// npm run bench: start-up cost of dist/datumctl against a compiled hello-world, measured in
// one run with interleaved samples (the machine is shared and noisy, so only ratios count).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCachedToken } from "../src/store/token-cache";
import { ROOT } from "./build";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const datumctl = join(ROOT, "dist", "datumctl");

async function helloWorld(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "datumctl-bench-"));
  writeFileSync(join(dir, "hello.ts"), 'console.log("hello");\n');
  const out = join(dir, "hello");
  const r = Bun.spawnSync([process.execPath, "build", join(dir, "hello.ts"), "--compile", "--minify", "--bytecode", "--format=esm", `--outfile=${out}`], { stdout: "ignore", stderr: "inherit" });
  if (r.exitCode !== 0) throw new Error("could not build the hello-world baseline");
  return out;
}

interface Case {
  name: string;
  cmd: string[];
}

// A signed-in session whose access token is cached: the path kubectl takes on every request.
const home = mkdtempSync(join(tmpdir(), "datumctl-bench-home-"));
const SESSION = "bench@example.com@api.example.com";
writeCachedToken(home, {
  session: SESSION,
  access_token: "bench-token",
  expiry: new Date(Date.now() + 3_600_000).toISOString(),
  lifetime_seconds: 3600,
});

function sample(cmd: string[]): { ms: number; rssMB: number } {
  const t0 = performance.now();
  const r = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "ignore", env: { ...process.env, DATUMCTL_CONFIG_DIR: home } });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${r.exitCode}`);
  return { ms, rssMB: (r.resourceUsage?.maxRSS ?? 0) / (1024 * 1024) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const hello = await helloWorld();
const cases: Case[] = [
  { name: "hello-world (baseline)", cmd: [hello] },
  { name: "auth get-token (cached)", cmd: [datumctl, "auth", "get-token", "--output=client.authentication.k8s.io/v1", `--session=${SESSION}`] },
  { name: "datumctl --help", cmd: [datumctl, "--help"] },
  { name: "datumctl version --client", cmd: [datumctl, "version", "--client"] },
  { name: "datumctl (landing)", cmd: [datumctl] },
];
const times = cases.map(() => [] as number[]);
const rss = cases.map(() => [] as number[]);
for (let i = 0; i < RUNS; i++) {
  cases.forEach((c, j) => {
    const s = sample(c.cmd);
    times[j]!.push(s.ms);
    rss[j]!.push(s.rssMB);
  });
}
const base = median(times[0]!);
console.log(`${RUNS} interleaved runs each, medians:`);
cases.forEach((c, j) => {
  const m = median(times[j]!);
  console.log(`${c.name.padEnd(30)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}×  peak RSS ${median(rss[j]!).toFixed(0)} MB`);
});
