import { login } from "../sessions/login";
import { defineCommand, runtime } from "../cli/command";
import { parseDuration } from "../cli/globals";
import { timeout } from "./_shared";

export default defineCommand({
  meta: {
    examples: {
      "Sign in with your browser": "datumctl login",
      "Sign in with a code you confirm on another device (no browser here, e.g. over SSH)": "datumctl login --no-browser",
      "Sign in and act on the project web of the organization acme straight away": "datumctl login --context acme/web",
      "Sign in as a service account with its key file": "datumctl login --credentials key.json",
    },
    seeAlso: ["datumctl auth list", "datumctl ctx use", "datumctl whoami"],
  },
  args: {
    hostname: { type: "string", valueHint: "host", description: "Auth server: host[:port] or URL (default auth.datum.net)" },
    "api-hostname": { type: "string", valueHint: "host", description: "API server, when it is not the auth host with auth. replaced by api." },
    "client-id": { type: "string", valueHint: "id", description: "OAuth client ID (known for Datum's own hosts)" },
    "no-browser": { type: "boolean", description: "Sign in with a code on another device instead of a browser here" },
    credentials: { type: "string", valueHint: "file", description: "Sign in as a service account with its key file" },
    "certificate-authority": { type: "string", valueHint: "file", description: "PEM file of the CA to trust for the auth and API servers" },
    context: { type: "string", valueHint: "org[/project]", description: "Context to use after signing in, instead of asking" },
    ...timeout("5m", "How long to wait for the sign-in, in the browser or with a code (which also expires); 0 waits as long as it takes"),
  },
  async run(ctx) {
    const a = ctx.args;
    await login(runtime(ctx), {
      hostname: a.hostname,
      apiHostname: a["api-hostname"],
      clientId: a["client-id"],
      noBrowser: a["no-browser"] === true,
      credentials: a.credentials,
      certificateAuthority: a["certificate-authority"],
      context: a.context,
      timeoutMs: parseDuration(a.timeout, "--timeout"),
    });
  },
});
