/**
 * What source and sink task runners share: the task's lifecycle (start, pause, resume, stop) and
 * status, the converters, transforms and error handler built from the connector config, and the
 * failure handling around the task's loop (an error marks the task FAILED with its trace; the
 * task's `stop` runs however the loop ended). Subclasses supply the loop.
 */
import { messageOf, traceOf } from '../errors.ts';
import { buildTransformChain, type TransformChain } from '../transforms/index.ts';
import type { Converter } from '../api.ts';
import { ErrorHandler } from './error-handler.ts';
import { createConverter, sleep, type TaskDeps, type TaskStatus } from './task-support.ts';

/** What the loop converts and transforms records with. */
export interface TaskPipeline {
  readonly keyConverter: Converter;
  readonly valueConverter: Converter;
  readonly transforms: TransformChain;
  readonly errors: ErrorHandler;
}

/** How long a paused task sleeps between looks (resume wakes it at once). */
const pausedSleepMs = 1000;

export abstract class TaskRunner {
  status: TaskStatus = { state: 'UNASSIGNED', trace: null };
  protected stopping = false;
  protected paused = false;
  protected readonly signal: { wake?: () => void } = {};
  private loop: Promise<void> | null = null;

  constructor(protected readonly deps: TaskDeps) {}

  start(paused: boolean): void {
    this.paused = paused;
    this.loop = this.run();
  }

  pause(): void {
    this.paused = true;
    this.setStatus({ state: 'PAUSED', trace: null });
  }

  resume(): void {
    this.paused = false;
    if (this.status.state === 'PAUSED') this.setStatus({ state: 'RUNNING', trace: null });
    this.signal.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signal.wake?.();
    await this.loop;
  }

  protected setStatus(s: TaskStatus): void {
    this.status = s;
    this.deps.onStatus(s);
  }

  /** Marks the task RUNNING (or PAUSED when started paused): call once the task has started. */
  protected started(): void {
    this.setStatus({ state: this.paused ? 'PAUSED' : 'RUNNING', trace: null });
  }

  /** While paused, sleeps (true: look again); false when the task is not paused. */
  protected async sleepIfPaused(): Promise<boolean> {
    if (!this.paused) return false;
    await sleep(pausedSleepMs, this.signal);
    return true;
  }

  /** The task's loop, until `stopping`. */
  protected abstract runTask(pipeline: TaskPipeline): Promise<void>;
  /** Stops the task object, if one was created. */
  protected abstract stopTask(): Promise<void>;

  private async run(): Promise<void> {
    const { deps } = this;
    const config = deps.config;
    try {
      await this.runTask({
        keyConverter: createConverter(config, true, deps.env),
        valueConverter: createConverter(config, false, deps.env),
        transforms: buildTransformChain(config),
        errors: new ErrorHandler(config, deps.topics, deps.connectorName, deps.taskId, deps.logger),
      });
    } catch (err) {
      deps.logger.error({ err }, `task ${deps.connectorName}-${deps.taskId} failed: ${messageOf(err)}`);
      this.setStatus({ state: 'FAILED', trace: traceOf(err) });
    } finally {
      await this.stopTask().catch((err: unknown) => deps.logger.warn({ err }, `task ${deps.connectorName}-${deps.taskId} stop failed`));
    }
  }
}
