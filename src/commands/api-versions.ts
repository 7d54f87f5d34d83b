// `datumctl api-versions`: every served group/version, one a line, sorted, as kubectl prints
// them. Always asked of the server (and the discovery cache refreshed), as kubectl does.
import { scopedClient } from "../resources/scoped";
import { defineCommand, runtime } from "../cli/command";
import { discover, groupVersions } from "../discovery/index";

export default defineCommand({
  meta: {
    examples: {
      "List the API versions the current project serves": "datumctl api-versions",
      "The same for the organization acme's control plane": "datumctl api-versions --organization acme",
    },
    seeAlso: ["datumctl api-resources"],
  },
  args: {},
  async run(ctx) {
    const rt = runtime(ctx);
    // Discovery reads no organization data, so the onboarding gate is not needed (the Go tool ran it anyway, one more request per command).
    const scoped = await scopedClient(rt, { skipOnboarding: true });
    const surface = await discover(rt, scoped, { cached: false });
    rt.io.out(
      groupVersions(surface)
        .map((gv) => `${gv}\n`)
        .join(""),
    );
  },
});
