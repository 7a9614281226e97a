/**
 * Turns a failed TLS handshake into one message that says which server refused what and which
 * configuration key to fix, instead of OpenSSL's terse reason and a stack trace. Drivers sometimes
 * replace the error's code (mysql2 sets HANDSHAKE_SSL_ERROR), so OpenSSL's message is matched too.
 */
import { ConnectException } from '../errors.ts';

export interface TlsContext {
  /** What we connected to, e.g. `PostgreSQL server 127.0.0.1:5432`. */
  server: string;
  /** The host name the certificate is checked against. */
  host: string;
  /** Key and value of the CA setting (value null: not set, the system CA store is used). */
  caKey: string;
  caValue: string | null;
  /** Key and value of the mode that asked for host name verification, e.g. `database.sslmode=verify-full`. */
  modeKey: string;
  mode: string;
  /** The weaker mode that skips the host name check (e.g. verify-ca), or a sentence saying how. */
  noHostCheck: string;
  /** Key of the client certificate setting, when there is one. */
  clientCertKey?: string;
  /** Key naming the host, e.g. database.hostname. */
  hostKey?: string;
}

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const UNTRUSTED_MESSAGE =
  /unable to verify the first certificate|self[- ]signed certificate|unable to get (local )?issuer certificate|certificate signature failure|certificate not trusted/i;
const HOSTNAME_MESSAGE = /Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i;
const EXPIRED_MESSAGE = /certificate has expired|certificate is not yet valid/i;
const CLIENT_CERT_MESSAGE =
  /alert (certificate required|unknown ca|bad certificate|handshake failure)|tlsv13 alert certificate required|sslv3 alert bad certificate|tlsv1 alert unknown ca/i;

/** The clear message for a TLS failure, or null when `err` is not one. */
export function describeTlsFailure(err: unknown, ctx: TlsContext): string | null {
  if (!(err instanceof Error)) return null;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const msg = err.message;
  const ca = ctx.caValue ? `${ctx.caKey}=${ctx.caValue}` : `the system CA store (${ctx.caKey} is not set)`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || HOSTNAME_MESSAGE.test(msg)) {
    const reason = (err as { reason?: string }).reason ?? msg;
    return (
      `TLS connection to ${ctx.server} refused: the server's certificate does not name the host "${ctx.host}" (${reason}); ` +
      `${ctx.modeKey}=${ctx.mode} checks the host name. Connect by a name the certificate lists${ctx.hostKey ? ` (${ctx.hostKey})` : ''}, ` +
      `give the server a certificate for "${ctx.host}", or ${ctx.noHostCheck}.`
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID' || EXPIRED_MESSAGE.test(msg)) {
    return `TLS connection to ${ctx.server} refused: the server's certificate is outside its validity period (${msg}); renew the server's certificate.`;
  }
  if (UNTRUSTED_CODES.has(code) || UNTRUSTED_MESSAGE.test(msg)) {
    return (
      `TLS connection to ${ctx.server} refused: the server's certificate is not signed by a CA in ${ca} (${msg}). ` +
      `Set ${ctx.caKey} to the CA certificate that signed the server's certificate.`
    );
  }
  if (CLIENT_CERT_MESSAGE.test(msg) || /ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE)/.test(code)) {
    return (
      `TLS connection to ${ctx.server} refused by the server during the handshake (${msg}): it did not accept our client certificate` +
      `${ctx.clientCertKey ? `; set ${ctx.clientCertKey} to a certificate signed by a CA the server trusts` : ''}.`
    );
  }
  if (
    /^ERR_SSL_|^EPROTO$/.test(code) ||
    /SSL routines|wrong version number|socket disconnected before secure TLS connection/i.test(msg)
  ) {
    return `TLS connection to ${ctx.server} failed (${msg}); check that the server listens with TLS on that port and that ${ctx.modeKey} fits the server.`;
  }
  return null;
}

/** A ConnectException with the clear message when `err` is a TLS failure; `err` itself otherwise. */
export function explainTlsFailure(err: unknown, ctx: TlsContext): unknown {
  const message = describeTlsFailure(err, ctx);
  return message ? new ConnectException(message, { cause: err }) : err;
}
