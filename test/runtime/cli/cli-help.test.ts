/** Every command and subcommand answers --help with exit 0; flags go anywhere; unknown flags are refused in one line. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../cli/main.ts';
import { COMMANDS, subcommandsOf } from '../../../cli/spec.ts';
import { parseArgs } from '../../../cli/args.ts';
import { bashCompletion } from '../../../cli/commands/completion.ts';
import { io } from './collect.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'cli/bin.js');

describe('tributary --help', () => {
  it('walks every command and subcommand: --help, -h and `help <command>` exit 0 with the usage on stdout', async () => {
    expect(COMMANDS.length).toBeGreaterThan(40);
    for (const c of COMMANDS) {
      for (const argv of [
        [...c.path, '--help'],
        ['--help', ...c.path],
        [...c.path, '-h'],
        ['help', ...c.path],
      ]) {
        const out = io();
        const code = await main(argv, out);
        expect({ argv, code, stderr: out.stderr.text }).toEqual({ argv, code: 0, stderr: '' });
        expect(out.stdout.text).toMatch(new RegExp(`^Usage: tributary ${c.path.join(' ')}\\b`));
        for (const s of subcommandsOf(c.path)) expect(out.stdout.text).toContain(`  ${s.path[s.path.length - 1]}`);
        for (const f of c.flags ?? []) expect(out.stdout.text).toContain(`--${f.name}`);
      }
    }
    const top = io();
    expect(await main(['--help'], top)).toBe(0);
    for (const c of COMMANDS.filter((x) => x.path.length === 1)) expect(top.stdout.text).toContain(`  ${c.path[0]} `);
  });

  it('answers --help with exit 0 from the real process, the mainframe tools included', () => {
    for (const argv of [
      ['--help'],
      ['consume', '--help'],
      ['mainframe', 'decode', '--help'],
      ['mainframe', 'layout', '--help'],
      ['quickstart', 'postgres', '--help'],
      ['connectors', 'status', 'x', '--watch', '--help'],
    ]) {
      const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' });
      expect({ argv, status: r.status, stderr: r.stderr }).toEqual({ argv, status: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: tributary/);
    }
  });

  it('takes global flags anywhere on the line', () => {
    for (const argv of [
      ['--url', 'http://h:1', 'connectors', 'list'],
      ['connectors', '--url', 'http://h:1', 'list'],
      ['connectors', 'list', '--url=http://h:1'],
    ]) {
      const p = parseArgs(argv);
      expect(p.path).toEqual(['connectors', 'list']);
      expect(p.globals.url).toBe('http://h:1');
    }
    const p = parseArgs([
      '--user',
      'u:p',
      'consume',
      't',
      '--partition',
      '2',
      '--property',
      'a=1',
      '--property=b=2',
      '--follow',
    ]);
    expect(p).toMatchObject({
      path: ['consume'],
      positional: ['t'],
      globals: { user: 'u:p' },
      flags: { partition: '2', property: ['a=1', 'b=2'], follow: true },
    });
  });

  it('refuses unknown flags, unknown commands and missing values with one line and exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['connectors', 'list', '--bogus'],
        /^Unknown flag --bogus for tributary connectors list; run tributary connectors list --help for its flags\n$/,
      ],
      [['--nope', 'connectors', 'list'], /^Unknown flag --nope for tributary; run tributary --help/],
      [['frobnicate'], /^Unknown command "frobnicate"; run tributary --help/],
      [['consume', 't', '--partition'], /^--partition needs a value <P>\n$/],
      [['connectors', 'list', '--output', 'yaml'], /^--output must be json or table, not yaml\n$/],
      [['consume', 't', '--follow=yes'], /^--follow takes no value/],
    ];
    for (const [argv, message] of cases) {
      const out = io();
      expect(await main(argv, out)).toBe(2);
      expect(out.stderr.text).toMatch(message);
      expect(out.stderr.text.trim().split('\n')).toHaveLength(1);
    }
  });

  it('docs/cli.md covers every command', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');
    for (const c of COMMANDS) {
      const [head, sub] = c.path;
      // "tributary connectors get|config|…" rows name several subcommands at once.
      expect(doc, c.path.join(' ')).toMatch(new RegExp(`tributary ${head}${sub ? ` [^\\n]*\\b${sub}\\b` : '\\b'}`));
    }
  });

  it('a worker or Kafka broker that cannot be reached is one line naming it', async () => {
    const worker = io();
    expect(await main(['connectors', 'list', '--url', 'http://127.0.0.1:1'], worker)).toBe(1);
    expect(worker.stderr.text).toMatch(
      /^Cannot reach the Tributary worker at http:\/\/127\.0\.0\.1:1 \([^)]+\)\. Start one with .* or pass --url\.\n$/,
    );
    const kafka = io();
    expect(await main(['topics', 'list', '--bootstrap-server', '127.0.0.1:1'], kafka)).toBe(1);
    expect(kafka.stderr.text).toMatch(
      /^Error: Cannot reach the Kafka brokers at 127\.0\.0\.1:1: .*ECONNREFUSED.*; check --bootstrap-server .*\n$/,
    );
  }, 60_000);

  it('a group without its subcommand prints the group help on stderr, exit 2', async () => {
    const out = io();
    expect(await main(['topics'], out)).toBe(2);
    expect(out.stderr.text).toContain('Subcommands:');
  });

  it('completion scripts name every command and subcommand and are valid bash', async () => {
    const script = bashCompletion();
    for (const c of COMMANDS) expect(script).toContain(`"${c.path.join(' ')}"`);
    const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    // Completing `tributary connectors st<TAB>` in a real bash.
    const run = spawnSync(
      'bash',
      ['-c', `${script}\nCOMP_WORDS=(tributary connectors st); COMP_CWORD=2; _tributary; echo "\${COMPREPLY[@]}"`],
      { encoding: 'utf8' },
    );
    expect(run.stdout.trim().split(' ').sort()).toEqual(['status', 'stop']);
    const zsh = io();
    expect(await main(['completion', 'zsh'], zsh)).toBe(0);
    expect(zsh.stdout.text).toContain('bashcompinit');
  });

  it('a port in use is one line naming the port and how to change it', () => {
    const blocker = spawnSync(
      process.execPath,
      [
        '-e',
        `
      const net = require('node:net'); const { spawnSync } = require('node:child_process');
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = s.address().port;
        const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-port-'));
        fs.writeFileSync(path.join(dir, 'w.properties'), 'listeners=http://127.0.0.1:' + port + '\\ntributary.data.dir=' + path.join(dir, 'data') + '\\n');
        const r = spawnSync(process.execPath, [${JSON.stringify(BIN)}, 'standalone', path.join(dir, 'w.properties')], { encoding: 'utf8', env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' } });
        process.stdout.write(JSON.stringify({ port, status: r.status, stderr: r.stderr }));
        s.close();
      });`,
      ],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(blocker.stdout) as { port: number; status: number; stderr: string };
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `port ${r.port} is already in use \\(127\\.0\\.0\\.1:${r.port}, by pid \\d+: \\S*node -e .*\\); stop the other process or choose another port in listeners`,
      ),
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
