// get --raw PATH: the body of a GET under the scoped control plane, printed as it came.
import type { Runtime } from "../runtime";
import { scopedClient } from "../resources/scoped";
import { invalidInput } from "../errors";

export async function rawGet(rt: Runtime, path: string, args: string[]): Promise<void> {
  if (args.length > 0) throw invalidInput("arguments may not be passed when --raw is specified");
  if (!path.startsWith("/")) throw invalidInput(`--raw must be an absolute path, such as /version`);
  const { client } = await scopedClient(rt);
  const res = await client.call(path, { headers: { accept: "application/json, */*" } });
  rt.io.out(await res.text());
}
