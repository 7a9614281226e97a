/** The addresses of the test servers, as set by test/setup/global-setup.ts. */
function required(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: run the suite through \`npm test\` (its global setup provisions the servers) or set ${name} to an existing server`,
    );
  return v;
}

export const testPgUrl = (): string => required('TRIBUTARY_TEST_PG_URL');
export const testMysqlUrl = (): string => required('TRIBUTARY_TEST_MYSQL_URL');
export const testSchemaRegistryUrl = (): string => required('TRIBUTARY_TEST_SCHEMA_REGISTRY_URL');
export const testKafkaBrokers = (): string[] =>
  required('TRIBUTARY_TEST_KAFKA_BROKERS')
    .split(',')
    .map((s) => s.trim());
