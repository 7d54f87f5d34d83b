// `datumctl create -f`: POST each object (AlreadyExists is an error, as with kubectl), with
// --save-config's last-applied annotation, --dry-run=client|server and -o. Every manifest is
// parsed before anything is sent.
import { scopedClient } from "../resources/scoped";
import type { KubeObject } from "../api/types";
import type { Runtime } from "../runtime";
import type { Output } from "../printers/index";
import { readManifests } from "../manifests/read";
import { whereError } from "../resources/paths";
import { invalidInput } from "../errors";
import { type Failure, raise, toFailure, withPrefix } from "./errors";
import { withLastApplied } from "../manifests/last-applied";
import { type DryRun, objectLine, printOne, printsObjects } from "./print";
import { createObject, type FieldValidation } from "./requests";
import { checkMetadata, place } from "./targets";

/** kubectl create's field manager. */
export const CREATE_MANAGER = "kubectl-create";

export interface CreateOptions {
  files: string[];
  recursive: boolean;
  output?: Output;
  dryRun: DryRun;
  saveConfig: boolean;
  fieldManager?: string;
  validation: FieldValidation;
  showManagedFields: boolean;
  stdin?: () => Promise<string>;
}

export async function runCreate(rt: Runtime, o: CreateOptions): Promise<void> {
  const manifests = await readManifests(rt, o.files, { recursive: o.recursive, verb: "create", ...(o.stdin ? { stdin: o.stdin } : {}) });
  checkMetadata(manifests);
  const scoped = await scopedClient(rt);
  const placed = await place(rt, scoped, manifests);
  // A namespace that cannot be addressed fails the whole run before anything is sent (the name
  // goes in the body, not the path: the server judges it, as with kubectl).
  for (const p of placed) {
    const bad = "item" in p && whereError(p.item.resource, { namespace: p.item.namespace });
    if (bad) throw invalidInput(`error when creating "${p.item.source}": ${bad.message}`);
  }
  const failures: Failure[] = [];
  // kubectl lists unknown kinds after everything else.
  const unmapped: Failure[] = [];
  let printed = 0;
  for (const p of placed) {
    if ("failure" in p) {
      (p.kind === "mapping" ? unmapped : failures).push(p.failure);
      continue;
    }
    const item = p.item;
    let object: KubeObject = o.saveConfig ? withLastApplied(item.object) : item.object;
    if (o.dryRun !== "client") {
      try {
        object = await createObject(scoped.client, item, object, {
          dryRun: o.dryRun === "server",
          fieldManager: o.fieldManager ?? CREATE_MANAGER,
          fieldValidation: o.validation,
        });
      } catch (e) {
        failures.push(toFailure(withPrefix(e, `error when creating "${item.source}": `)));
        continue;
      }
    }
    rt.io.out(printsObjects(o.output) ? await printOne(o.output!, object, printed, o.showManagedFields) : objectLine(object, "created", o.dryRun, o.output));
    printed++;
  }
  raise([...failures, ...unmapped]);
}
