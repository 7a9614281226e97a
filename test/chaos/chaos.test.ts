/**
 * The chaos suite. `npm test` runs the bounded pass (small loads, one fault per scenario);
 * `npm run chaos` (TRIBUTARY_CHAOS=full) runs larger loads with repeated faults and writes the
 * table to docs/reliability.md. Every scenario must lose nothing and deliver nothing that was not
 * committed; duplicates are allowed (the pipelines are at-least-once) and counted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, type ScenarioOptions, type ScenarioResult } from './harness.ts';
import type { ChaosScenario } from './scenarios/types.ts';
import { fileWorkerKill } from './scenarios/file-worker-kill.ts';
import { fileDiskFull } from './scenarios/file-disk-full.ts';
import { fileCorruption } from './scenarios/file-corruption.ts';
import {
  postgresDatabaseRestart,
  postgresLatency,
  postgresNetworkCut,
  postgresWorkerKill,
} from './scenarios/postgres-jdbc.ts';
import { kafkaBrokerRestart, kafkaWorkerKill } from './scenarios/mariadb-kafka-jdbc.ts';
import { mainframeWorkerKill } from './scenarios/mainframe-worker-kill.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FULL = process.env.TRIBUTARY_CHAOS === 'full';

const BOUNDED: ScenarioOptions = { events: 600, batch: 20, intervalMs: 50, faults: 1, holdMs: 1500, catchUpMs: 90_000 };
const LARGE: ScenarioOptions = {
  events: 20_000,
  batch: 50,
  intervalMs: 20,
  faults: 3,
  holdMs: 3000,
  catchUpMs: 120_000,
};

/** The bounded pass keeps one scenario per fault kind; the full set runs every pipeline × fault. */
const SCENARIOS: Array<{ s: ChaosScenario; bounded: boolean }> = [
  { s: fileWorkerKill, bounded: true },
  { s: fileDiskFull, bounded: true },
  { s: fileCorruption, bounded: true },
  { s: postgresWorkerKill, bounded: false },
  { s: postgresDatabaseRestart, bounded: true },
  { s: postgresNetworkCut, bounded: true },
  { s: postgresLatency, bounded: false },
  { s: kafkaBrokerRestart, bounded: true },
  { s: kafkaWorkerKill, bounded: false },
  { s: mainframeWorkerKill, bounded: true },
];

const results: ScenarioResult[] = [];
const started = new Date();

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function writeReport(): void {
  const notes = results.filter((r) => r.notes.length > 0).map((r) => `- **${r.scenario}**: ${r.notes.join('; ')}`);
  const o = LARGE;
  const text = [
    '# Reliability: the chaos table',
    '',
    'Written by `npm run chaos` (test/chaos/chaos.test.ts with TRIBUTARY_CHAOS=full) from a real run; do not edit by hand.',
    '',
    `- Date: ${started.toISOString()} (run took ${((Date.now() - started.getTime()) / 60_000).toFixed(1)} min)`,
    '- Command: `npm run chaos`',
    `- Machine: ${machine()}`,
    `- Load per scenario: events committed at the source in batches of ${o.batch} (a batch every ~${o.intervalMs} ms plus the source's own time) from before the first fault until after the last one and at least ${o.events} of them; ${o.faults} faults of ${o.holdMs / 1000} s each, injected at even intervals of the first ${o.events} events`,
    '',
    formatTable(results),
    '',
    '- **events**: distinct events committed at the source, read back from the source itself (table rows, input file, mainframe input file).',
    '- **lost**: committed events the sink does not hold at the end. Must be 0.',
    '- **duplicated**: deliveries beyond the first of an event (the pipelines are at-least-once; the JDBC sink tables have no primary key and are written with insert.mode=insert so a redelivery shows).',
    '- **unexpected**: deliveries of ids that were never committed, plus sink entries that are no event at all (torn, merged or corrupt lines). Must be 0.',
    '- **recovery s**: the longest time, over the faults, from the start of the repair (worker start, server start, network restored, space freed, operator step; start-up time included) until the sink held every event committed by then. "never": it did not within the limit.',
    '- Connectors run with `errors.retry.timeout=-1` (retry until the cause is gone), as an operator who wants a pipeline to ride out faults configures it.',
    '',
    ...(notes.length ? ['## Notes from the run', '', ...notes, ''] : []),
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'docs/reliability.md'), text);
}

describe(`chaos suite (${FULL ? 'full set' : 'bounded pass'})`, () => {
  afterAll(() => {
    if (results.length)
      console.log(
        `\n${formatTable(results)}\n${results.flatMap((r) => r.notes.map((n) => `${r.scenario}: ${n}`)).join('\n')}`,
      );
    if (FULL) writeReport();
  });

  for (const { s } of SCENARIOS.filter((x) => FULL || x.bounded)) {
    it(
      s.name,
      async () => {
        const o = FULL ? LARGE : BOUNDED;
        const r = await s.run(o).catch((err: Error) => {
          results.push({
            scenario: s.name,
            events: 0,
            lost: 0,
            duplicated: 0,
            unexpected: 0,
            faults: o.faults,
            recoverySeconds: null,
            notes: [`did not finish: ${err.message.split('\n').slice(0, 3).join(' / ')}`],
            error: err.message,
          });
          throw err;
        });
        results.push(r);
        expect(r.events).toBeGreaterThan(0);
        if (s.observed) expect(r.notes.join('\n')).toMatch(s.observed);
        expect({
          lost: r.lost,
          unexpected: r.unexpected,
          recovered: r.recoverySeconds !== null,
          notes: r.notes,
        }).toMatchObject({ lost: 0, unexpected: 0, recovered: true });
      },
      FULL ? 1_200_000 : 180_000,
    );
  }
});
