import { logout } from "../sessions/logout";
import { credentialStore } from "../auth/secrets";
import { defineCommand, runtime } from "../cli/command";
import { DatumctlError, invalidInput } from "../errors";
import { loadConfig } from "../store/config";

export default defineCommand({
  meta: {
    examples: {
      "Sign out ada, in every environment she is signed in to": "datumctl logout ada@example.com",
      "Sign out of every session, and remove the kubeconfig entries that still use them": "datumctl logout --all --kubeconfig-cleanup",
    },
    seeAlso: ["datumctl auth list", "datumctl login"],
  },
  args: {
    email: { type: "positional", required: false, description: "The email to sign out, in every environment" },
    all: { type: "boolean", description: "Sign out of every session" },
    "kubeconfig-cleanup": { type: "boolean", description: "Remove the kubeconfig entries left pointing at the session, without asking" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    const { email, all } = ctx.args;
    if (email && all) throw invalidInput("give an email or --all, not both");
    if (!email && !all) throw invalidInput("give the email to sign out, or --all", "Run 'datumctl auth list' to see who is signed in.");
    const sessions = (await loadConfig(rt.configDir, rt.io)).sessions ?? [];
    const chosen = all ? sessions : sessions.filter((s) => s["user-email"] === email || s.name === email);
    if (!all && chosen.length === 0) {
      throw new DatumctlError(`no session for ${email}`, { code: "SESSION_NOT_FOUND", hint: "Run 'datumctl auth list' to see who is signed in." });
    }
    await logout(rt, chosen, { kubeconfigCleanup: ctx.args["kubeconfig-cleanup"] });
    // Corrupt credentials files moved aside may still hold refresh tokens: everything means them too.
    if (all) credentialStore(rt).file.removeMovedAside();
    rt.io.err(all ? "✓ Logged out all users.\n" : `✓ Logged out ${email}.\n`);
  },
});
