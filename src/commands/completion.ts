import { defineCommand } from "citty";
import { runtime } from "../cli/command";
import { completionScript } from "../completion/index";

export default defineCommand({
  args: {
    shell: { type: "positional", required: true, description: "bash, zsh, fish or powershell" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await completionScript(ctx.args.shell));
  },
});
