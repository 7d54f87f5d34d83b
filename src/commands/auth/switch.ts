import { switchSession } from "../../sessions/index";
import { defineCommand, runtime } from "../../cli/command";

export default defineCommand({
  args: {
    session: { type: "positional", required: false, description: "An email or a session name; a picker when left out" },
  },
  async run(ctx) {
    await switchSession(runtime(ctx), ctx.args.session);
  },
});
