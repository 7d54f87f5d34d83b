// The CA bundles in effect: SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, SSL_CERT_DIR and each session's
// own API and IdP CAs. Each must parse and hold a certificate that is valid now.
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Env } from "../runtime";
import { type Check, duration } from "./report";
import { loginCommand, type SessionInfo } from "./sessions";

function pemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/**
 * One CA bundle: it parses, and some certificate in it is valid now. A system bundle always
 * carries a few expired roots, which do no harm; a bundle with nothing valid left does.
 */
function judgeBundle(pem: string, label: string, fix: string, now: number, base: Pick<Check, "section" | "name" | "subject">, warnSoon: boolean): Check {
  let certs: X509Certificate[];
  try {
    certs = pemCertificates(pem);
  } catch (e) {
    return { ...base, status: "fail", detail: `${label}: not a valid PEM certificate (${(e as Error).message})`, fix };
  }
  if (certs.length === 0) return { ...base, status: "fail", detail: `${label}: holds no PEM certificate`, fix };
  const cn = (c: X509Certificate) => /CN=([^\n,]+)/.exec(c.subject)?.[1] ?? c.subject.split("\n")[0];
  const valid = certs.filter((c) => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo));
  const count = certs.length === 1 ? "1 certificate" : `${certs.length} certificates`;
  if (valid.length === 0) {
    const c = certs[0]!;
    const to = Date.parse(c.validTo);
    const why = to < now ? `expired ${duration(now - to)} ago` : `is not valid for another ${duration(Date.parse(c.validFrom) - now)} (check the clock)`;
    return { ...base, status: "fail", detail: `${label}: no certificate in it is valid now (${cn(c)} ${why})`, fix };
  }
  const last = Math.max(...valid.map((c) => Date.parse(c.validTo)));
  if (warnSoon && last - now < 30 * 86_400_000) {
    return { ...base, status: "warn", detail: `${label}: its last valid certificate expires in ${duration(last - now)}`, fix };
  }
  return { ...base, status: "ok", detail: `${label}: ${count}${warnSoon ? `, valid until ${new Date(last).toISOString().slice(0, 10)}` : ""}` };
}

export function caChecks(env: Env, infos: SessionInfo[], now = Date.now()): Check[] {
  const section = "Proxy and TLS" as const;
  const checks: Check[] = [];
  for (const name of ["SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"]) {
    const path = env[name];
    if (!path) continue;
    const fix = `Point ${name} at a readable PEM bundle, or unset it`;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      checks.push({
        section,
        name: "ca",
        subject: name,
        status: "fail",
        detail: `${name}=${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); TLS to every server may fail`,
        fix,
      });
      continue;
    }
    checks.push(judgeBundle(text, `${name}=${path}`, fix, now, { section, name: "ca", subject: name }, false));
  }
  const dir = env.SSL_CERT_DIR;
  if (dir) {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    checks.push(
      isDir
        ? { section, name: "ca", subject: "SSL_CERT_DIR", status: "ok", detail: `SSL_CERT_DIR=${dir}` }
        : {
            section,
            name: "ca",
            subject: "SSL_CERT_DIR",
            status: "fail",
            detail: `SSL_CERT_DIR=${dir} is not a directory`,
            fix: "Point SSL_CERT_DIR at a directory of certificates, or unset it",
          },
    );
  }
  const seen = new Set<string>();
  for (const info of infos) {
    const s = info.session;
    const ep = s.endpoint;
    const relogin = `${loginCommand(s, info.issuer)} --certificate-authority <ca.pem>`;
    if (ep["insecure-skip-tls-verify"] === true) {
      checks.push({
        section,
        name: "ca",
        subject: s.name,
        status: "warn",
        detail: `Session ${s.name}: insecure-skip-tls-verify is set, so the API server's certificate is not checked`,
        fix: relogin,
      });
    }
    const apiCA = ep["certificate-authority-data"];
    if (apiCA && !seen.has(`api ${apiCA}`)) {
      seen.add(`api ${apiCA}`);
      checks.push(
        judgeBundle(
          Buffer.from(apiCA, "base64").toString("utf8"),
          `Session ${s.name}: API CA (certificate-authority-data)`,
          relogin,
          now,
          { section, name: "ca", subject: s.name },
          true,
        ),
      );
    }
    if (info.idpCA && info.idpCA !== apiCA && !seen.has(`idp ${info.idpCA}`)) {
      seen.add(`idp ${info.idpCA}`);
      checks.push(
        judgeBundle(
          Buffer.from(info.idpCA, "base64").toString("utf8"),
          `Session ${s.name}: IdP CA`,
          relogin,
          now,
          { section, name: "ca", subject: s.name },
          true,
        ),
      );
    }
  }
  if (checks.length === 0)
    checks.push({ section, name: "ca", status: "ok", detail: "CA: the system's trusted roots (no SSL_CERT_FILE, NODE_EXTRA_CA_CERTS or session CA)" });
  else if (!env.SSL_CERT_FILE && !env.NODE_EXTRA_CA_CERTS && !env.SSL_CERT_DIR) {
    checks.unshift({ section, name: "ca", status: "ok", detail: "CA: the system's trusted roots, plus each session's own CA for its servers" });
  }
  return checks;
}
