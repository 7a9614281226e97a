/** Trust and key stores (PKCS12, PEM) and TLS failure messages, shared with the worker's Kafka clients. For the built-in connectors and transforms only: not part of `tributary/sdk`, not semver-stable. */
export {
  addTlsValidationErrors,
  readCertificateFile,
  readKeyStore,
  readPrivateKeyFile,
  readTrustStore,
} from '../../runtime/tls/key-stores.ts';
export { describeTlsFailure } from '../../runtime/tls/tls-errors.ts';
export type { TlsContext } from '../../runtime/tls/tls-errors.ts';
