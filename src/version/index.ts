// `datumctl version`: kubectl's shape, the client part from the build, the server part from
// the API's /version when signed in. Being offline or signed out is not an error.
import { request } from "../api/http";
import { buildInfo } from "../build-info";
import type { Runtime } from "../runtime";
import { vlog } from "../log/verbose";
import { parseDataOutput } from "../printers/index";
import { printRecord } from "../printers/records";
import { activeSession, loadConfig } from "../store/config";
import { sessionTLS } from "../api/session-tls";

export interface ClientVersion {
  gitVersion: string;
  gitCommit: string;
  buildDate: string;
  runtime: string;
  platform: string;
}

export interface VersionInfo {
  clientVersion: ClientVersion;
  serverVersion?: Record<string, unknown>;
}

export function clientVersion(): ClientVersion {
  return {
    gitVersion: buildInfo.version,
    gitCommit: buildInfo.commit,
    buildDate: buildInfo.buildDate,
    runtime: `bun ${Bun.version}`,
    platform: buildInfo.platform,
  };
}

const DEFAULT_TIMEOUT_MS = 5_000;

export async function serverVersion(rt: Runtime): Promise<{ serverVersion?: Record<string, unknown> }> {
  const cfg = await loadConfig(rt.configDir, rt.io);
  const session = activeSession(cfg);
  if (!session) return {};
  try {
    const res = await request(rt, `${session.endpoint.server}/version`, {
      headers: { accept: "application/json" },
      tls: sessionTLS(session),
      timeoutMs: rt.globals.requestTimeoutMs || DEFAULT_TIMEOUT_MS,
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as Record<string, unknown>;
    return typeof body?.gitVersion === "string" ? { serverVersion: body } : {};
  } catch (e) {
    vlog(rt, 1, `Unable to get the server version: ${(e as Error).message}`);
    return {};
  }
}

export async function renderVersion(info: VersionInfo, output?: string): Promise<string> {
  const format = parseDataOutput(output);
  if (format) return printRecord(format, info);
  let text = `Client Version: ${info.clientVersion.gitVersion}\n`;
  if (info.serverVersion) text += `Server Version: ${info.serverVersion.gitVersion}\n`;
  return text;
}
