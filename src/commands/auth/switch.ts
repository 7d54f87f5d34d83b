import { switchSession } from "../../sessions/index";
import { defineCommand, runtime } from "../../cli/command";

export default defineCommand({
  meta: {
    examples: {
      "Make ada's session the active one": "datumctl auth switch ada@example.com",
      "Choose a session from a list": "datumctl auth switch",
    },
    seeAlso: ["datumctl auth list"],
  },
  args: {
    session: { type: "positional", required: false, description: "An email or a session name; a picker when left out" },
  },
  async run(ctx) {
    await switchSession(runtime(ctx), ctx.args.session);
  },
});
