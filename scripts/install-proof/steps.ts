/*
 * Timed steps with a TAP report: each step prints when it starts and how long it took, a
 * failure names its step, and the steps after a failure are reported as not run (failed), so
 * that `.ci/run` counts the whole proof.
 */
import { writeFileSync } from 'node:fs';

interface Outcome {
  name: string;
  ok: boolean;
  seconds: number;
  detail?: string;
}

export class Steps {
  readonly #outcomes: Outcome[] = [];
  readonly #planned: string[];
  readonly #started = Date.now();
  #failed = false;

  constructor(planned: string[]) {
    this.#planned = planned;
  }

  /** Runs one step unless an earlier one failed; returns whether it passed. */
  async run(name: string, work: () => Promise<void>): Promise<boolean> {
    if (!this.#planned.includes(name))
      throw new Error(`unplanned step ${name}`);
    if (this.#failed) return false;
    const index = this.#planned.indexOf(name) + 1;
    const label = `[${index}/${this.#planned.length}] ${name}`;
    console.log(`install-proof: ${label} ...`);
    const start = Date.now();
    try {
      await work();
      const seconds = (Date.now() - start) / 1000;
      this.#outcomes.push({ name, ok: true, seconds });
      console.log(`install-proof: ${label}: ok (${seconds.toFixed(1)} s)`);
      return true;
    } catch (error) {
      const seconds = (Date.now() - start) / 1000;
      const detail = error instanceof Error ? error.message : String(error);
      this.#outcomes.push({ name, ok: false, seconds, detail });
      this.#failed = true;
      console.error(
        `install-proof: FAILED at step "${name}" after ${seconds.toFixed(
          1,
        )} s: ${detail}`,
      );
      return false;
    }
  }

  get failed() {
    return this.#failed;
  }

  /** Writes the TAP report (one test per planned step) and prints the timing table. */
  finish(reportPath?: string) {
    const lines = ['TAP version 13'];
    let passed = 0;
    let failed = 0;
    this.#planned.forEach((name, i) => {
      const outcome = this.#outcomes.find(o => o.name === name);
      if (outcome?.ok) {
        passed += 1;
        lines.push(`ok ${i + 1} - ${name} # ${outcome.seconds.toFixed(1)} s`);
      } else {
        failed += 1;
        lines.push(`not ok ${i + 1} - ${name}`);
        const why = outcome?.detail ?? 'not run: an earlier step failed';
        lines.push('  ---', `  message: ${JSON.stringify(why)}`, '  ...');
      }
    });
    lines.push(
      `1..${this.#planned.length}`,
      `# pass ${passed}`,
      `# fail ${failed}`,
    );
    if (reportPath) writeFileSync(reportPath, `${lines.join('\n')}\n`);

    const total = (Date.now() - this.#started) / 1000;
    console.log('install-proof: step timings');
    for (const outcome of this.#outcomes) {
      console.log(
        `  ${outcome.ok ? 'ok    ' : 'FAILED'} ${outcome.seconds
          .toFixed(1)
          .padStart(7)} s  ${outcome.name}`,
      );
    }
    console.log(
      `install-proof: ${passed} of ${
        this.#planned.length
      } steps passed in ${total.toFixed(0)} s`,
    );
  }
}
