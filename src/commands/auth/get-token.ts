import { GET_TOKEN_ARGS, getToken } from "../../auth/get-token";
import { defineCommand, runtime } from "../../cli/command";

export default defineCommand({
  meta: {
    examples: {
      "Print an access token for the active session": "datumctl auth get-token",
      "Print it with its expiry, as JSON": "datumctl auth get-token -o json",
    },
    seeAlso: ["datumctl auth update-kubeconfig"],
  },
  args: GET_TOKEN_ARGS,
  async run(ctx) {
    const rt = runtime(ctx);
    rt.io.out(await getToken(rt, { output: ctx.args.output, session: ctx.args.session, execInfo: rt.env.KUBERNETES_EXEC_INFO }));
  },
});
