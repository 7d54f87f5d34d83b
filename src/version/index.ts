// `datumctl version`: kubectl's shape. The client part comes from the build; the server part
// from /version of the resolved scope's control plane, asked with the session's token. Signed
// out there is no server to ask (kubectl without a kubeconfig prints its client part alone);
// when the server cannot be asked, the client part is printed, then the error (exit 1).
import { buildInfo } from "../build-info";
import type { Runtime } from "../runtime";
import { parseDataOutput } from "../printers/index";
import { printRecord } from "../printers/records";
import { scopedClient } from "../resources/scoped";
import { activeSession, loadConfig } from "../store/config";
import { DatumctlError } from "../errors";

export interface ClientVersion {
  gitVersion: string;
  gitCommit: string;
  buildDate: string;
  runtime: string;
  platform: string;
}

/** The server's version.Info, with the fields kubectl 1.32 knows, in its order. */
export type ServerVersion = Record<(typeof SERVER_FIELDS)[number], string>;

export interface VersionInfo {
  clientVersion: ClientVersion;
  serverVersion?: ServerVersion;
}

const SERVER_FIELDS = ["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"] as const;

export function clientVersion(): ClientVersion {
  return {
    gitVersion: buildInfo.version,
    gitCommit: buildInfo.commit,
    buildDate: buildInfo.buildDate,
    runtime: `bun ${Bun.version}`,
    platform: buildInfo.platform,
  };
}

/** The server's version, or undefined when signed out. */
export async function serverVersion(rt: Runtime): Promise<ServerVersion | undefined> {
  // Read once here: a damaged config is warned about, and then has no session.
  if (!activeSession(await loadConfig(rt.configDir, rt.io))) return undefined;
  // /version answers whatever an organization's setup; the gate is for resource work.
  const { client } = await scopedClient(rt, { skipOnboarding: true });
  const body = await client.get<unknown>("/version", { bounded: "the server's version" });
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new DatumctlError(`the server's answer from ${client.url("/version")} is not a version`, { code: "SERVER", retryable: true });
  }
  const fields = new Map(Object.entries(body));
  const info: Partial<ServerVersion> = {};
  for (const f of SERVER_FIELDS) info[f] = typeof fields.get(f) === "string" ? String(fields.get(f)) : "";
  return info as ServerVersion;
}

/** Prints the version; a server that cannot be asked fails the command after the client part. */
export async function printVersion(rt: Runtime, opts: { clientOnly: boolean; output?: string }): Promise<void> {
  const format = parseDataOutput(opts.output);
  const info: VersionInfo = { clientVersion: clientVersion() };
  let failure: unknown;
  if (!opts.clientOnly) {
    try {
      const server = await serverVersion(rt);
      if (server) info.serverVersion = server;
    } catch (e) {
      failure = e;
    }
  }
  if (format) rt.io.out(await printRecord(format, info));
  else rt.io.out(`Client Version: ${info.clientVersion.gitVersion}\n${info.serverVersion ? `Server Version: ${info.serverVersion.gitVersion}\n` : ""}`);
  if (failure) throw failure;
}
