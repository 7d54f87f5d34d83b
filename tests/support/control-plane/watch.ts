// Watch: newline-delimited {"type","object"} events. Without a resourceVersion (or "0") the
// current objects come first as ADDED; with one, the store's log replays what happened after
// it. With a Table Accept each event carries a one-row Table (column definitions on the first),
// unless knobs.plainWatchEvents makes this a server that only ever sends the objects.
import { type Ctx, DROP_CONNECTION, param, type Target, type WatchEnd } from "./context";
import { listAll } from "./objects";
import { selector } from "./read";
import { includeObject, rendering } from "./render";
import { badRequest } from "./status";
import type { StoreEvent } from "./store";
import { buildTable } from "./table";
import type { Obj } from "./types";

export const WATCH_TYPE = "application/json;stream=watch";

interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  object: Obj;
}

export function watchObjects(ctx: Ctx, t: Target): Response {
  const match = selector(ctx, t);
  const r = rendering(ctx);
  const store = ctx.plane.store;
  const rvParam = param(ctx, "resourceVersion");
  const timeoutSeconds = Number(param(ctx, "timeoutSeconds") ?? 0);
  const shape = (o: Obj): Obj => {
    if (t.type.fromStorage) return t.type.fromStorage(o);
    return { ...o, apiVersion: t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version, kind: t.type.kind };
  };
  const inScope = (o: Obj | undefined): o is Obj =>
    !!o && (t.namespace === undefined || (o.metadata.namespace ?? "") === t.namespace) && (!t.binding.visible || t.binding.visible(o)) && match(shape(o));

  /** A store event as this watcher sees it (objects can enter or leave its selection). */
  const translate = (e: StoreEvent): WatchEvent | undefined => {
    if (e.storage !== t.type.storage) return undefined;
    const now = e.type !== "DELETED" && inScope(e.object);
    const before = e.type !== "ADDED" && inScope(e.old);
    if (e.type === "DELETED") return before ? { type: "DELETED", object: shape(e.object) } : undefined;
    if (now) return { type: before ? "MODIFIED" : "ADDED", object: shape(e.object) };
    return before ? { type: "DELETED", object: shape(e.object) } : undefined;
  };

  let initial: WatchEvent[];
  if (!rvParam || rvParam === "0") {
    initial = listAll(ctx, t)
      .filter(match)
      .map((object) => ({ type: "ADDED", object }));
  } else {
    const rv = Number(rvParam);
    if (!Number.isInteger(rv)) throw badRequest(`invalid resource version: ${rvParam}`);
    initial = (store.since(t.type.storage, rv) ?? []).map(translate).filter((e): e is WatchEvent => !!e);
  }
  if (param(ctx, "sendInitialEvents") === "true") {
    initial.push({
      type: "BOOKMARK",
      object: {
        kind: t.type.kind,
        apiVersion: t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version,
        metadata: { resourceVersion: store.resourceVersion, annotations: { "k8s.io/initial-events-end": "true" } },
      },
    });
  }

  let first = true;
  const encode = (e: WatchEvent): Uint8Array => {
    let object = e.object;
    if (r.as === "Table" && e.type !== "BOOKMARK" && !ctx.knobs.plainWatchEvents) {
      object = buildTable(t.type, [e.object], {
        now: ctx.now(),
        include: includeObject(ctx),
        apiVersion: `meta.k8s.io/${r.version}`,
        noHeaders: !first,
        listMeta: { resourceVersion: e.object.metadata?.resourceVersion },
      });
      first = false;
    }
    return new TextEncoder().encode(`${JSON.stringify({ type: e.type, object })}\n`);
  };

  let stop = (_how?: WatchEnd) => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const unsubscribe = store.subscribe((e) => {
        const w = translate(e);
        if (w && open) controller.enqueue(encode(w));
      });
      const timer = timeoutSeconds > 0 ? setTimeout(() => stop(), timeoutSeconds * 1000) : undefined;
      const offClose = ctx.onClose((how) => stop(how));
      stop = (how: WatchEnd = "close") => {
        if (!open) return;
        open = false;
        unsubscribe();
        offClose();
        if (timer) clearTimeout(timer);
        try {
          // Events already queued still go out; then the connection is cut instead of the body ended.
          if (how === "reset") controller.enqueue(DROP_CONNECTION);
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      ctx.req.signal.addEventListener("abort", () => stop());
      for (const e of initial) controller.enqueue(encode(e));
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { status: 200, headers: { "Content-Type": WATCH_TYPE, "Cache-Control": "no-cache, private" } });
}
