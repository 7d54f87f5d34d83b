// Fault injection for the reliability tests: what goes wrong between datumctl and Datum Cloud.
//
//   Faults         rules a node:http(s) server consults before serving a request: answer with
//                  a status and any body (5xx, garbage, truncated JSON), wait first, never
//                  answer, drop the connection, or send headers and stall the body. The local
//                  control plane (`api.faults`) and the IdP (`idp.faults`) each have one.
//   startConnectProxy  an HTTPS_PROXY that tunnels CONNECT host:port, mapping made-up host
//                  names (api.datum.test) to 127.0.0.1, and records every CONNECT it sees.
//   snapshotTree   every file under a directory (contents and mode), to show nothing changed.
//   seeded         a deterministic random sequence, for the kill -9 timings.
//   hangingKeyring / failingKeyring   Keyring doubles for the credential store.
//
//   api.faults.add({ path: "/apis", action: { status: 503, body: "<html>…" } });
//   api.faults.add({ method: "GET", path: /\/projects$/, times: 1, action: { hang: true } });
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { join, relative } from "node:path";
import type { Keyring } from "../../src/store/keyring";

// ---------------------------------------------------------------------------------------------
// Server-side faults

export type FaultAction =
  /** Answer with this instead of serving the request. */
  | { status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** Wait, then serve the request normally (unless the client has gone by then). */
  | { delayMs: number }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { hang: true }
  /** Close the connection without a response. */
  | { reset: true }
  /** Send 200 with these headers at once and this start of a body, then never finish it. */
  | { stallBody: string; contentType?: string }
  /**
   * Answer `status` (200) with a body of `bytes` bytes, chunked (no Content-Length): `prefix`,
   * then filler generated as the client reads, so a huge body costs this process nothing.
   */
  | { streamBytes: number; status?: number; prefix?: string; contentType?: string }
  /** Hold the request until `gate` resolves, then serve it normally. */
  | { gate: Promise<void> };

export interface FaultRule {
  /** Only this method (any when omitted). */
  method?: string;
  /** A string matches as a prefix of the path; a RegExp is tested on path + query. Any when omitted. */
  path?: string | RegExp;
  /** Retire the rule after this many hits (for ever when omitted). */
  times?: number;
  action: FaultAction;
}

export interface FaultHit {
  method: string;
  url: string;
  action: FaultAction;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface LiveRule extends FaultRule {
  left: number;
}

/** Fault rules for one server; the first matching rule wins. */
export class Faults {
  private rules: LiveRule[] = [];
  /** Requests a rule caught, in order. */
  readonly hits: FaultHit[] = [];
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private requestWaiters: { test: (req: IncomingMessage) => boolean; resolve: () => void }[] = [];

  /** Adds a rule; returns its removal. */
  add(rule: FaultRule): () => void {
    const live: LiveRule = { ...rule, left: rule.times ?? Infinity };
    this.rules.push(live);
    return () => {
      this.rules = this.rules.filter((r) => r !== live);
    };
  }

  clear(): void {
    this.rules = [];
    this.hits.length = 0;
  }

  /** Requests being handled right now (faulted or not). */
  get inFlight(): number {
    return this.active;
  }

  /** Resolves once no request is being handled (a hung one counts until its client goes). */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when the next request for this path (prefix) arrives. */
  nextRequest(path: string): Promise<void> {
    return new Promise((resolve) => this.requestWaiters.push({ test: (req) => pathOf(req).startsWith(path), resolve }));
  }

  private match(req: IncomingMessage): LiveRule | undefined {
    const url = req.url ?? "/";
    const path = pathOf(req);
    for (const r of this.rules) {
      if (r.left <= 0) continue;
      if (r.method && r.method.toUpperCase() !== req.method) continue;
      if (typeof r.path === "string" && !path.startsWith(r.path)) continue;
      if (r.path instanceof RegExp && !r.path.test(url)) continue;
      r.left--;
      return r;
    }
    return undefined;
  }

  /** Wraps a server's request handler so the rules apply before it. */
  wrap(handler: Handler): Handler {
    return (req, res) => {
      this.active++;
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        this.active--;
        if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
      };
      res.once("close", finished);
      res.once("finish", finished);
      for (const w of [...this.requestWaiters]) {
        if (w.test(req)) {
          this.requestWaiters.splice(this.requestWaiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const rule = this.match(req);
      if (!rule) return handler(req, res);
      const a = rule.action;
      this.hits.push({ method: req.method ?? "GET", url: req.url ?? "/", action: a });
      if ("streamBytes" in a) {
        req.resume();
        res.writeHead(a.status ?? 200, { "Content-Type": a.contentType ?? "application/json" });
        streamFiller(res, a.prefix ?? "", a.streamBytes);
      } else if ("status" in a) {
        req.resume();
        res.writeHead(a.status, { "Content-Type": a.contentType ?? "text/plain; charset=utf-8", ...a.headers });
        res.end(a.body ?? "");
      } else if ("delayMs" in a) {
        const timer = setTimeout(() => {
          if (!res.destroyed && !req.socket.destroyed) handler(req, res);
        }, a.delayMs);
        res.once("close", () => clearTimeout(timer));
      } else if ("hang" in a) {
        req.resume();
      } else if ("reset" in a) {
        req.socket.destroy();
      } else if ("gate" in a) {
        void a.gate.then(() => {
          if (!res.destroyed && !req.socket.destroyed) handler(req, res);
        });
      } else {
        req.resume();
        res.writeHead(200, { "Content-Type": a.contentType ?? "application/json" });
        res.flushHeaders();
        res.write(a.stallBody);
      }
    };
  }
}

const pathOf = (req: IncomingMessage) => (req.url ?? "/").split("?")[0]!;

/** Writes `prefix` then filler up to `total` bytes, only as fast as the client takes it. */
function streamFiller(res: ServerResponse, prefix: string, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let left = total - Buffer.byteLength(prefix);
  res.write(prefix);
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on("error", () => {});
  pump();
}

// ---------------------------------------------------------------------------------------------
// A CONNECT proxy (HTTPS_PROXY)

export interface ConnectProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every CONNECT target (`host:port`), in arrival order. */
  connects: string[];
  /** When set, CONNECTs are refused with this status (say 403, as a corporate proxy does). */
  refuse: number | undefined;
  close(): Promise<void>;
}

/** `hosts` maps a made-up name to the address to tunnel to (names not in it are dialled as is). */
export async function startConnectProxy(hosts: Record<string, string> = {}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    // Only tunnels: the CLI talks HTTPS to everything that is not loopback.
    res.writeHead(405, { "Content-Type": "text/plain" });
    res.end("this proxy only tunnels (CONNECT)\n");
  });
  const proxy: ConnectProxy = {
    url: "",
    connects: [],
    refuse: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    const target = req.url ?? "";
    proxy.connects.push(target);
    if (proxy.refuse !== undefined) {
      client.end(`HTTP/1.1 ${proxy.refuse} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const i = target.lastIndexOf(":");
    const host = target.slice(0, i).replace(/^\[|\]$/g, "");
    const port = Number(target.slice(i + 1));
    const upstream = connect(port, hosts[host] ?? host);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => {
      if (client.writable) client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** A 127.0.0.1 port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Files

export interface FileState {
  mode: number;
  /** sha256 of the contents; for a directory "dir", for a symlink "-> target". */
  digest: string;
}

/** Every entry under dir (recursively), by path relative to dir. */
export function snapshotTree(dir: string): Record<string, FileState> {
  const out: Record<string, FileState> = {};
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = join(d, name);
      const st = lstatSync(path);
      const rel = relative(dir, path);
      if (st.isDirectory()) {
        out[rel] = { mode: st.mode & 0o7777, digest: "dir" };
        walk(path);
      } else if (st.isSymbolicLink()) {
        out[rel] = { mode: 0, digest: "symlink" };
      } else {
        out[rel] = { mode: st.mode & 0o7777, digest: createHash("sha256").update(readFileSync(path)).digest("hex") };
      }
    }
  };
  walk(dir);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Randomness and time

/** mulberry32: the same seed gives the same sequence on every run. Values in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Waits `ms` (fractions honoured): a timer for the whole milliseconds, then a spin for the rest,
 * so in-process servers keep answering for all but the last millisecond.
 */
export async function preciseDelay(ms: number): Promise<void> {
  const until = performance.now() + ms;
  const coarse = Math.floor(ms) - 1;
  if (coarse > 0) await Bun.sleep(coarse);
  while (performance.now() < until) {
    // spin
  }
}

/** This machine's clock, whatever a test did to Date.now (the IdP's clock knob patches it). */
export const wallClock = (): number => new Date().getTime();

// ---------------------------------------------------------------------------------------------
// Keyrings

export interface CountingKeyring extends Keyring {
  calls: string[];
}

/** A keyring whose every call never settles (a Secret Service that never replies). */
export function hangingKeyring(): CountingKeyring {
  const calls: string[] = [];
  const never = <T>(op: string): Promise<T> => {
    calls.push(op);
    return new Promise<T>(() => {});
  };
  return { calls, get: () => never("get"), set: () => never("set"), delete: () => never("delete") };
}

/** A keyring whose every call fails at once with `message`. */
export function failingKeyring(message = "no D-Bus session bus"): CountingKeyring {
  const calls: string[] = [];
  const fail = <T>(op: string): Promise<T> => {
    calls.push(op);
    return Promise.reject(new Error(message));
  };
  return { calls, get: () => fail("get"), set: () => fail("set"), delete: () => fail("delete") };
}
