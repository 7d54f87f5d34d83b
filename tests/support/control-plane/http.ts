// Response helpers shared by every handler.
import type { ApiError } from "./status";
import type { Obj } from "./types";

export const JSON_TYPE = "application/json";

export function json(body: unknown, status = 200, contentType = JSON_TYPE, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: { "Content-Type": contentType, "Cache-Control": "no-cache, private", ...headers },
  });
}

export const errorResponse = (e: ApiError) => json(e.body, e.code);

/** apiserver's Warning header value for a message. */
export const warning = (message: string) => `299 - ${JSON.stringify(message)}`;

export type { Obj };
