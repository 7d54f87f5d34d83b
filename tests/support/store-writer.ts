// One writer process for the concurrency tests: it does a single read-modify-write through the
// library and exits, so several of them started at once race for the same file.
//
//   bun tests/support/store-writer.ts <mode> <configDir> <name>
//
// Modes:
//   config-session       set `last-context` on session <name> in the config (adding the session if absent)
//   credential-file      DATUMCTL_CREDENTIAL_STORE=file; store the secret "secret-for-<name>" under key <name>
//   credential-fallback  auto mode with a keyring that always fails; same secret, lands in credentials.json
//
// Prints where the write went on stdout; any failure goes to stderr with exit code 1.
import { updateConfig } from "../../src/store/config";
import { CredentialStore } from "../../src/store/credentials";
import type { Keyring } from "../../src/store/keyring";

const [mode, configDir, name] = process.argv.slice(2);

const brokenKeyring: Keyring = {
  get: () => Promise.reject(new Error("no keyring in this test process")),
  set: () => Promise.reject(new Error("no keyring in this test process")),
  delete: () => Promise.reject(new Error("no keyring in this test process")),
};

async function main(): Promise<string> {
  if (!mode || !configDir || !name) throw new Error("usage: store-writer.ts <mode> <configDir> <name>");
  switch (mode) {
    case "config-session":
      return updateConfig(configDir, (cfg) => {
        const lastContext = `${name}/org-of-${name}`;
        const existing = cfg.sessions?.find((s) => s.name === name);
        if (existing) {
          existing["last-context"] = lastContext;
          return "updated";
        }
        (cfg.sessions ??= []).push({
          name,
          "user-key": `${name}@auth.datum.net`,
          "user-email": name,
          "last-context": lastContext,
          endpoint: { server: "https://api.datum.net", "auth-hostname": "auth.datum.net" },
        });
        return "added";
      });
    case "credential-file":
    case "credential-fallback": {
      const store = new CredentialStore({
        configDir,
        env: mode === "credential-file" ? { DATUMCTL_CREDENTIAL_STORE: "file" } : {},
        warn: (t) => process.stderr.write(`warning: ${t}\n`),
        keyring: brokenKeyring,
        keyringTimeoutMs: 2_000,
      });
      return store.set(name, `secret-for-${name}`);
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

try {
  process.stdout.write((await main()) + "\n");
} catch (e) {
  process.stderr.write(`store-writer ${mode} ${name}: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}
