/**
 * What a deleted or stopped PostgreSQL source leaves on the server: its replication slot (Debezium
 * keeps it too, unless slot.drop.on.stop=true). A slot pins WAL from its position on, so a newcomer
 * who deletes a connector would otherwise fill the server's disk without a word.
 */
export function replicationSlotNotice(props: Record<string, string>, action: 'deleted' | 'stopped'): string | null {
  if ((props['slot.drop.on.stop'] ?? '').trim().toLowerCase() === 'true') return null;
  const slot = (props['slot.name'] ?? '').trim() || 'debezium';
  const where = `${props['database.hostname'] ?? '?'}:${props['database.port'] ?? '5432'}/${props['database.dbname'] ?? '?'}`;
  const drop = `SELECT pg_drop_replication_slot('${slot}');`;
  if (action === 'deleted') {
    return (
      `The replication slot '${slot}' on ${where} was left in place (as Debezium does): it keeps the server from removing WAL, which grows until the slot is dropped. ` +
      `If no connector will resume from it, drop it on the server with ${drop} (or set slot.drop.on.stop=true so the connector drops its slot whenever its task stops).`
    );
  }
  return (
    `The replication slot '${slot}' on ${where} stays while the connector is stopped: the server keeps all WAL from the slot's position on until the connector resumes. ` +
    `If it will not resume, delete the connector and drop the slot with ${drop}`
  );
}
