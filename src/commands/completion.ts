import { defineCommand, runtime } from "../cli/command";
import { completionScript } from "../completion/index";

export default defineCommand({
  meta: {
    examples: {
      "Load completion into the current bash shell": "source <(datumctl completion bash)",
      "Install it for zsh (a folder on $fpath)": 'datumctl completion zsh > "${fpath[1]}/_datumctl"',
      "Install it for fish": "datumctl completion fish > ~/.config/fish/completions/datumctl.fish",
      "Load it into PowerShell": "datumctl completion powershell | Out-String | Invoke-Expression",
    },
  },
  args: {
    shell: { type: "positional", required: true, description: "bash, zsh, fish or powershell" },
  },
  async run(ctx) {
    const rt = runtime(ctx);
    // A missing shell is refused by completionScript (named "undefined" in its message, as before).
    rt.io.out(await completionScript(String(ctx.args.shell)));
  },
});
