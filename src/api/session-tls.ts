import type { Session } from "../store/config";
import type { TLSSettings } from "./http";

/** The TLS settings a session's endpoint asks for (set by hand or by a login with --certificate-authority). */
export function sessionTLS(session: Session): TLSSettings {
  const ep = session.endpoint;
  const caData = ep["certificate-authority-data"];
  return {
    ca: caData ? Buffer.from(caData, "base64").toString("utf8") : undefined,
    insecureSkipVerify: ep["insecure-skip-tls-verify"] === true,
    serverName: ep["tls-server-name"] || undefined,
  };
}
