// A watch response as a stream of events: newline-delimited JSON, read as it arrives.
// Used by `get -w` and `delete --wait`.

export interface WatchEvent<T = unknown> {
  type: string;
  object: T;
}

export async function* watchEvents<T = unknown>(res: Response): AsyncGenerator<WatchEvent<T>> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) yield JSON.parse(line) as WatchEvent<T>;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
