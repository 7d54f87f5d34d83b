// startControlPlane(): a local, in-process Datum control plane over HTTPS that real kubectl
// 1.32 accepts. Datum's URL prefixes pick the plane (user, organization, project, platform
// root). Where things live: planes.ts (prefixes, what each plane serves, stores), authz.ts
// (roles), routes.ts → discovery.ts, openapi.ts, reviews.ts, resources.ts → read.ts, write.ts,
// watch.ts; objects.ts (admission), ssa.ts + fields.ts (apply, managedFields), table.ts +
// jsonpath.ts (server-side tables), seed.ts (the starting world), client.ts (a test client).
// Organizations, projects and memberships live in one store behind the root, user and
// organization planes (their resourceVersions share one counter); each project has its own.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Faults } from "../faults";
import type { TestUser } from "../users";
import { type ObjectAccess, objectAccess } from "./access";
import type { Knobs, WatchEnd } from "./context";
import { PROJECT } from "./datum-types";
import { Planes, prefixFor } from "./planes";
import { defaultSeed, type Seed } from "./seed";
import { startServer } from "./server";
import { settleNewZones } from "./zone-status";
import type { LoggedRequest, Obj } from "./types";

export type { Seed } from "./seed";
export { defaultSeed, describeSeed } from "./seed";
export type { LoggedRequest, Obj, PlaneRef } from "./types";
export type { ObjectAccess } from "./access";
export type { Knobs, WatchEnd } from "./context";

export interface ControlPlaneOptions {
  /** The IdP's verifier: a subject for a good bearer token, null otherwise. */
  verifyToken(token: string): Promise<{ sub: string } | null>;
  /** Maps sub → email (reviews, Forbidden messages). Unknown subs are shown as themselves. */
  users?: TestUser[];
  /** Initial objects; defaultSeed() when omitted. */
  seed?: Seed;
  /** Clock for timestamps and table ages. */
  now?: () => Date;
  /** Listen port on 127.0.0.1; 0 (any free port) by default. */
  port?: number;
  /** Sandbox only: new DNS zones turn Accepted and Programmed after this many ms. Off when undefined. */
  zoneStatusAfterMs?: number;
}

export interface ControlPlane extends ObjectAccess {
  /** https://127.0.0.1:<port> (the platform root). */
  url: string;
  caPem: string;
  caFile: string;
  /** Every request, in arrival order. */
  requests: LoggedRequest[];
  clearRequests(): void;
  /**
   * Resolves with the next request that matches, once it is logged: for a watch, when its
   * stream is open and every later change will reach it.
   */
  whenRequested(match: (r: LoggedRequest) => boolean): Promise<LoggedRequest>;
  /** Path prefixes of Datum's control planes (append to url). */
  userPath(sub: string): string;
  orgPath(id: string): string;
  projectPath(id: string): string;
  /** Subjects allowed on the platform root; mutable. */
  platformAdmins: Set<string>;
  /** Fault rules applied before any request is served: 5xx, garbage, slow, hung, reset (../faults.ts). */
  faults: Faults;
  /** Behaviours to switch on (mutable, read at each request): `knobs.plainWatchEvents`. */
  knobs: Knobs;
  /**
   * End every open watch now: "close" (the default) ends each stream cleanly, as an apiserver
   * does when its watch timeout elapses; "reset" drops the connection mid-stream.
   */
  endWatches(how?: WatchEnd): void;
  /**
   * The certificate served to new connections: "server" (the default: 127.0.0.1 and localhost,
   * from ca.crt), or one of the wrong ones in tests/fixtures/tls (README there), or
   * "api-datum-test" for a made-up host reached through a proxy. The listener is replaced
   * (same port), so open connections end.
   */
  useCertificate(name: TlsFixture): Promise<void>;
  close(): Promise<void>;
}

export type TlsFixture = "server" | "api-datum-test" | "wrong-host" | "expired" | "untrusted";

const TLS_DIR = fileURLToPath(new URL("../../fixtures/tls/", import.meta.url));

/** Put a project's objects; events get their involved object's uid, so describe finds them. */
function seedProject(access: ObjectAccess, prefix: string, objs: Obj[]) {
  const uids = new Map<string, string>();
  for (const o of objs.filter((x) => x.kind !== "Event")) {
    const stored = access.put(prefix, o);
    uids.set(`${o.kind}/${stored.metadata.namespace ?? ""}/${o.metadata.name}`, stored.metadata.uid);
  }
  for (const e of objs.filter((x) => x.kind === "Event")) {
    const io = e.involvedObject ?? {};
    const uid = uids.get(`${io.kind}/${io.namespace ?? ""}/${io.name}`);
    access.put(prefix, uid && !io.uid ? { ...e, involvedObject: { ...io, uid } } : e);
  }
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const now = opts.now ?? (() => new Date());
  const seed = opts.seed ?? defaultSeed(now());
  const planes = new Planes();
  const access = objectAccess(planes, now);
  const platformAdmins = new Set(seed.platformAdmins);
  const emails = new Map((opts.users ?? []).map((u) => [u.id, u.email]));
  const requests: LoggedRequest[] = [];
  const waiters = new Set<(r: LoggedRequest) => void>();

  for (const o of seed.root) access.put("", o);
  for (const [id, objs] of Object.entries(seed.projects)) seedProject(access, prefixFor("project", id), objs);
  // A deleted project takes its control plane with it.
  planes.root.subscribe((e) => {
    if (e.type === "DELETED" && e.storage === PROJECT.storage) planes.dropProject(e.object.metadata.name);
  });

  const stopSettling = opts.zoneStatusAfterMs === undefined ? undefined : settleNewZones(planes, opts.zoneStatusAfterMs, now);

  const caFile = `${TLS_DIR}ca.crt`;
  const faults = new Faults();
  const knobs: Knobs = { plainWatchEvents: false };
  const server = await startServer({
    faults,
    knobs,
    planes,
    verifyToken: opts.verifyToken,
    usernameOf: (sub) => emails.get(sub) ?? sub,
    platformAdmins,
    now,
    log: requests,
    onLogged: (r) => {
      for (const w of [...waiters]) w(r);
    },
    port: opts.port ?? 0,
    tls: { cert: readFileSync(`${TLS_DIR}server.crt`, "utf8"), key: readFileSync(`${TLS_DIR}server.key`, "utf8") },
  });

  return {
    ...access,
    url: server.url,
    caPem: readFileSync(caFile, "utf8"),
    caFile,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    whenRequested: (match) =>
      new Promise((resolve) => {
        const w = (r: LoggedRequest) => {
          if (!match(r)) return;
          waiters.delete(w);
          resolve(r);
        };
        waiters.add(w);
      }),
    userPath: (sub) => prefixFor("user", sub),
    orgPath: (id) => prefixFor("organization", id),
    projectPath: (id) => prefixFor("project", id),
    platformAdmins,
    faults,
    knobs,
    endWatches: (how = "close") => server.endWatches(how),
    useCertificate: (name) =>
      server.setCertificate({ cert: readFileSync(`${TLS_DIR}${name}.crt`, "utf8"), key: readFileSync(`${TLS_DIR}${name}.key`, "utf8") }),
    close: () => {
      stopSettling?.();
      return server.close();
    },
  };
}
