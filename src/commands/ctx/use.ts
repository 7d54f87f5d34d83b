import { defineCommand, runtime } from "../../cli/command";
import { useContext } from "../../contexts/index";

export default defineCommand({
  args: {
    context: { type: "positional", required: false, description: "organization, organization/project, or a display name; a picker when left out" },
  },
  async run(ctx) {
    await useContext(runtime(ctx), ctx.args.context);
  },
});
