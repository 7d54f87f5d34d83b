import { defineCommand, runtime } from "../cli/command";
import { completionScript } from "../completion/index";

export default defineCommand({
  args: {
    shell: { type: "positional", required: true, description: "bash, zsh, fish or powershell" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    // A missing shell is refused by completionScript (named "undefined" in its message, as before).
    rt.io.out(await completionScript(String(ctx.args.shell)));
  },
});
