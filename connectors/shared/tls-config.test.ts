/** The TLS keys of the PostgreSQL and MySQL connectors at validation time: stores are checked when a config is validated. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PostgresConnector } from '../postgres/postgres-connector.ts';
import { validateMysqlConfig } from '../mysql/config.ts';
import { mysqlUrlTls, postgresUrlTls } from '../jdbc/url-tls.ts';
import { parseJdbcUrl } from '../jdbc/jdbc-url.ts';

const errorsOf = (values: Array<{ name: string; errorMessages: string[] }>) =>
  Object.fromEntries(values.filter((v) => v.errorMessages.length).map((v) => [v.name, v.errorMessages.join(' ')]));

describe('TLS keys at validation', () => {
  it('PostgreSQL: Debezium sslmode values; a missing sslrootcert is an error on that key', () => {
    const base = {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': 'db',
      'database.user': 'u',
      'database.dbname': 'd',
      'topic.prefix': 'p',
    };
    const c = new PostgresConnector();
    expect(
      errorsOf(
        c.validate({ ...base, 'database.sslmode': 'verify-full', 'database.sslrootcert': '/nonexistent/root.crt' }),
      ),
    ).toEqual({
      'database.sslrootcert':
        'database.sslrootcert=/nonexistent/root.crt does not exist; give the path of a readable PEM or PKCS12 file',
    });
    for (const mode of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'])
      expect(errorsOf(c.validate({ ...base, 'database.sslmode': mode }))).toEqual({});
    expect(errorsOf(c.validate({ ...base, 'database.sslmode': 'sometimes' }))['database.sslmode']).toMatch(
      /must be one of disable, allow, prefer, require, verify-ca, verify-full/,
    );
    expect(
      errorsOf(c.validate({ ...base, 'database.sslfactory': 'org.postgresql.ssl.NonValidatingFactory' }))[
        'database.sslfactory'
      ],
    ).toMatch(/database\.sslmode=require skips certificate checks/);
  });

  it('MySQL: a JKS trust store is an error on database.ssl.truststore with the keytool fix', () => {
    const jks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-jks-')), 'ts.jks');
    fs.writeFileSync(jks, Buffer.from('feedfeed00000002', 'hex'));
    const base = {
      'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
      'database.hostname': 'db',
      'database.user': 'u',
      'topic.prefix': 'p',
      'schema.history.internal.file.filename': '/tmp/h.jsonl',
    };
    expect(
      errorsOf(validateMysqlConfig({ ...base, 'database.ssl.mode': 'verify_ca', 'database.ssl.truststore': jks }))[
        'database.ssl.truststore'
      ],
    ).toMatch(
      /is a Java JKS truststore, which Node\.js cannot read\. Convert it to PKCS12 with `keytool -importkeystore/,
    );
    expect(errorsOf(validateMysqlConfig({ ...base, 'database.ssl.mode': 'verify-full' }))).toEqual({});
    expect(errorsOf(validateMysqlConfig({ ...base, 'database.ssl.mode': 'sometimes' }))['database.ssl.mode']).toMatch(
      /must be one of/,
    );
  });

  it("MySQL: the Kafka schema history clients take Kafka's TLS keys through schema.history.internal.producer./consumer.", () => {
    const base = {
      'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
      'database.hostname': 'db',
      'database.user': 'u',
      'topic.prefix': 'p',
      'schema.history.internal': 'io.debezium.storage.kafka.history.KafkaSchemaHistory',
      'schema.history.internal.kafka.topic': 'h',
      'schema.history.internal.kafka.bootstrap.servers': 'k:9093',
    };
    const tls = (prefix: string) => ({
      [`${prefix}security.protocol`]: 'SSL',
      [`${prefix}ssl.truststore.location`]: '/nonexistent/ca.pem',
      [`${prefix}ssl.endpoint.identification.algorithm`]: '',
    });
    const errors = errorsOf(
      validateMysqlConfig({
        ...base,
        ...tls('schema.history.internal.producer.'),
        ...tls('schema.history.internal.consumer.'),
      }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      'schema.history.internal.consumer.ssl.truststore.location',
      'schema.history.internal.producer.ssl.truststore.location',
    ]);
    expect(errors['schema.history.internal.producer.ssl.truststore.location']).toMatch(
      /ssl\.truststore\.location=\/nonexistent\/ca\.pem does not exist/,
    );
  });

  it("JDBC URLs: the drivers' parameters and defaults", () => {
    const pg = (q: string) => postgresUrlTls(parseJdbcUrl(`jdbc:postgresql://h/db${q}`)).mode;
    expect([
      pg(''),
      pg('?ssl=true'),
      pg('?ssl=false'),
      pg('?sslmode=require'),
      pg('?ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory'),
    ]).toEqual(['prefer', 'verify-full', 'disable', 'require', 'require']);
    expect(() => pg('?sslfactory=com.example.Factory')).toThrow(
      /connection\.url parameter sslfactory=com\.example\.Factory is not supported/,
    );
    const my = (u: string) => mysqlUrlTls(parseJdbcUrl(u)).mode;
    expect([
      my('jdbc:mysql://h/db'),
      my('jdbc:mysql://h/db?useSSL=false'),
      my('jdbc:mysql://h/db?sslMode=VERIFY_IDENTITY'),
      my('jdbc:mysql://h/db?useSSL=true&requireSSL=true'),
    ]).toEqual(['preferred', 'disabled', 'verify_identity', 'required']);
    expect([
      my('jdbc:mariadb://h/db'),
      my('jdbc:mariadb://h/db?sslMode=trust'),
      my('jdbc:mariadb://h/db?useSsl=true'),
    ]).toEqual(['disabled', 'required', 'verify_identity']);
    expect(() => my('jdbc:mysql://h/db?sslMode=SOMETIMES')).toThrow(
      /Invalid value SOMETIMES for connection\.url parameter sslMode/,
    );
  });
});
