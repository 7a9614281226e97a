import type { ScenarioOptions, ScenarioResult } from '../harness.ts';

/** One pipeline × one fault: sets the pipeline up, runs the load with the fault, tears everything down. */
export interface ChaosScenario {
  name: string;
  run(o: ScenarioOptions): Promise<ScenarioResult>;
  /** What the fault must have shown from the outside (matched against the result's notes), e.g. a task failure naming the position. */
  observed?: RegExp;
}
