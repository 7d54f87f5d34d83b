// An API client whose bearer is the session's access token, refreshed by the token source when
// it is stale or the server refuses it.
import { ApiClient } from "../api/client";
import type { Session } from "../store/config";
import { type AuthRuntime, accessToken } from "./token-source";

export function sessionClient(rt: AuthRuntime, session: Session): ApiClient {
  return new ApiClient(rt, session, async (rejected) => (await accessToken(rt, session.name, { rejected })).token);
}
