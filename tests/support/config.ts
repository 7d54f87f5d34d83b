// Writes a config file as a signed-in user would have it, pointing at a test server.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeSignedInConfig(configDir: string, server: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const session = "ada@example.com@api.test";
  const yaml = `apiVersion: datumctl.config.datum.net/v1beta1
kind: DatumctlConfig
active-session: ${session}
current-context: ${session}/acme/web
sessions:
  - name: ${session}
    user-key: ada@example.com@auth.test
    user-email: ada@example.com
    user-name: Ada Lovelace
    endpoint:
      server: ${server}
      auth-hostname: auth.test
contexts:
  - name: ${session}/acme
    session: ${session}
    organization-id: acme
  - name: ${session}/acme/web
    session: ${session}
    organization-id: acme
    project-id: web
    namespace: default
cache: {}
${Object.entries(extra)
  .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
  .join("\n")}
`;
  writeFileSync(join(configDir, "config"), yaml, { mode: 0o600 });
}
