/**
 * Which process listens on a TCP port (Linux, via /proc): named in the CLI's one-line "port in use"
 * error. Only processes this user may inspect are found; null otherwise or elsewhere.
 */
import fs from 'node:fs';

/** Socket inodes listening on `port` (state 0A = LISTEN) in /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (parseInt(cols[1].split(':')[1], 16) === port) inodes.add(cols[9]);
    }
  }
  return inodes;
}

export function portOwner(port: number): { pid: number; command: string } | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // not ours to inspect
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        const command = fs
          .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          .split('\0')
          .filter(Boolean)
          .join(' ')
          .replace(/\s+/g, ' ');
        return { pid: Number(pid), command: command.length > 120 ? `${command.slice(0, 117)}...` : command };
      }
    }
  }
  return null;
}

/** The error text with the owning process added to a "port N is already in use" message. */
export function withPortOwner(message: string): string {
  const m = /port (\d+) is already in use \(([^)]*)\)/.exec(message);
  if (!m) return message;
  const owner = portOwner(Number(m[1]));
  return owner
    ? message.replace(m[0], `port ${m[1]} is already in use (${m[2]}, by pid ${owner.pid}: ${owner.command})`)
    : message;
}
