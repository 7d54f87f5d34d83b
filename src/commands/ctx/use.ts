import { defineCommand, runtime } from "../../cli/command";
import { useContext } from "../../contexts/index";

export default defineCommand({
  meta: {
    examples: {
      "Act on the project web of the organization acme": "datumctl ctx use acme/web",
      "Act on the organization acme itself (its projects, members)": "datumctl ctx use acme",
      "Choose by display name": 'datumctl ctx use "Web Storefront"',
      "Choose from a list": "datumctl ctx use",
    },
    seeAlso: ["datumctl ctx", "datumctl whoami"],
  },
  args: {
    context: { type: "positional", required: false, description: "organization, organization/project, or a display name; a picker when left out" },
  },
  async run(ctx) {
    await useContext(runtime(ctx), ctx.args.context);
  },
});
