// A watch response as a stream of events: newline-delimited JSON, read as it arrives.
// Used by `get -w` and `delete --wait`. A stream that breaks (a dropped connection, the
// request's deadline) or carries something other than events ends in a coded error.
import { DatumctlError } from "../errors";
import { redactUrl } from "../log/redact";
import { networkError } from "./http";

export interface WatchEvent<T = unknown> {
  type: string;
  object: T;
}

/** `timeoutMs` is the request's deadline (--request-timeout), to name it when it ends the stream. */
export async function* watchEvents<T = unknown>(res: Response, timeoutMs = 0): AsyncGenerator<WatchEvent<T>> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { value, done } = await reader.read().catch((e: unknown) => {
        throw networkError(e, redactUrl(res.url), timeoutMs);
      });
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) yield parseEvent<T>(line, res.url);
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseEvent<T>(line: string, url: string): WatchEvent<T> {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    event = undefined;
  }
  if (
    typeof event !== "object" ||
    event === null ||
    !("type" in event) ||
    typeof event.type !== "string" ||
    !("object" in event) ||
    typeof event.object !== "object" ||
    event.object === null
  ) {
    throw new DatumctlError(`the server sent something other than a watch event from ${redactUrl(url)}`, { code: "SERVER", retryable: true });
  }
  return event as WatchEvent<T>;
}
