/**
 * Differences between Debezium's MariaDB connector 3.5.0.Final and Tributary that the MariaDB
 * differential still finds and that are owned elsewhere (each names its owner and reason; see
 * docs/compatibility.md). A difference matching none of these fails the suite, and so does an entry
 * that no scenario hits any more (remove it once fixed).
 */
export interface KnownDifference {
  id: string;
  /** Matched against a difference line (topic[index].part path: Debezium … / Tributary …). */
  pattern: RegExp;
  reason: string;
}

export const MARIADB_KNOWN_DIFFERENCES: KnownDifference[] = [];

export function explain(difference: string): KnownDifference | undefined {
  return MARIADB_KNOWN_DIFFERENCES.find((k) => k.pattern.test(difference));
}
