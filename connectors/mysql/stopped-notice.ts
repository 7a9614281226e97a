/** What a stopped MySQL/MariaDB source relies on: the server keeping the binlog files from its stored position on. */
export function binlogRetentionNotice(action: 'deleted' | 'stopped'): string | null {
  if (action === 'deleted') return null;
  return (
    'While the connector is stopped its binlog position stays stored: the server must keep the binlog files from there on (binlog_expire_logs_seconds or expire_logs_days). ' +
    'If they are purged before it resumes, the task fails naming the missing file; set snapshot.mode=when_needed to have it take a new snapshot instead.'
  );
}
