// What `datumctl` with no arguments prints: identity and context when signed in,
// otherwise how to sign in.
import type { Runtime } from "../runtime";
import { activeSession, currentContext, loadConfig } from "../store/config";

export async function landing({ io, configDir }: Runtime): Promise<void> {
  const cfg = await loadConfig(configDir, io);
  const session = activeSession(cfg);
  if (!session) {
    io.out(
      [
        "Welcome to Datum Cloud.",
        "",
        "Sign in to get started:",
        "  datumctl login                            sign in with your browser",
        "  datumctl login --no-browser               sign in with a code, from SSH or a container",
        "  datumctl login --credentials key.json     sign in as a service account, in CI",
        "",
        "Run 'datumctl --help' to see every command.",
        "",
      ].join("\n"),
    );
    return;
  }
  const who = session["user-name"] ? `${session["user-name"]} (${session["user-email"]})` : session["user-email"];
  const context = currentContext(cfg);
  const where = context
    ? context["project-id"]
      ? `project ${context["organization-id"]}/${context["project-id"]}`
      : `organization ${context["organization-id"]}`
    : "none (run 'datumctl ctx use' to choose one)";
  io.out(
    [`Signed in as ${who}`, `Endpoint:  ${session.endpoint.server}`, `Context:   ${where}`, "", "Run 'datumctl --help' to see every command.", ""].join("\n"),
  );
}
