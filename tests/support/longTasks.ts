// Main-thread tasks over 50 ms (Long Tasks API), recorded in a page from its start, for the
// end-to-end tests and benchmarks that must show the page stays free. Each comes with the
// scripts the long animation frames around it name, so that a failure says what ran.
import type { Page } from 'playwright-core';

export interface LongTask {
  start: number;
  duration: number;
  /** What ran meanwhile: invoker, function and source position, and how long, per script. */
  scripts: string[];
}

interface Recorded {
  tasks: { start: number; duration: number }[];
  frames: { start: number; end: number; scripts: string[] }[];
}

/** Records the long tasks of every document the page loads from now on. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const recorded: Recorded = { tasks: [], frames: [] };
    (window as unknown as { longTasks: Recorded }).longTasks = recorded;
    new PerformanceObserver((list) => list.getEntries().forEach((task) => recorded.tasks.push({ start: task.startTime, duration: task.duration }))).observe({ type: 'longtask', buffered: true });
    type Script = { invoker: string; sourceFunctionName: string; sourceURL: string; sourceCharPosition: number; duration: number };
    new PerformanceObserver((list) =>
      list.getEntries().forEach((frame) => {
        const scripts = ((frame as unknown as { scripts: Script[] }).scripts ?? []).map(
          (script) => `${script.invoker} ${script.sourceFunctionName} ${script.sourceURL.split('/').pop()}:${script.sourceCharPosition} ${Math.round(script.duration)} ms`,
        );
        recorded.frames.push({ start: frame.startTime, end: frame.startTime + frame.duration, scripts });
      }),
    ).observe({ type: 'long-animation-frame', buffered: true });
  });
}

/** The page's clock (performance.now()), to give `longTasksSince`. */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

export const longTasksSince = (page: Page, since: number): Promise<LongTask[]> =>
  page.evaluate((from) => {
    const { tasks, frames } = (window as unknown as { longTasks: Recorded }).longTasks;
    return tasks
      .filter((task) => task.start >= from)
      .map((task) => ({
        start: Math.round(task.start),
        duration: Math.round(task.duration),
        scripts: frames.filter((frame) => frame.start <= task.start + task.duration && frame.end >= task.start).flatMap((frame) => frame.scripts),
      }));
  }, since);

/** A main-thread task over 50 ms of wall-clock time or of CPU time, from a trace. */
export interface TracedTask {
  wallMs: number;
  cpuMs: number;
}

/**
 * Traces the renderers' main threads from now until `stop()`, which gives their tasks over
 * 50 ms. A task's CPU time is what it did itself: on a machine busy with other work its wall
 * time also counts the time the thread waited for a core (the Long Tasks API sees only that).
 */
export async function traceMainThread(page: Page): Promise<{ stop(): Promise<TracedTask[]> }> {
  const devtools = await page.context().newCDPSession(page);
  type TraceEvent = { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };
  const events: TraceEvent[] = [];
  devtools.on('Tracing.dataCollected', ({ value }) => {
    for (const event of value as unknown as TraceEvent[]) if (event.ph === 'M' || event.name === 'ThreadControllerImpl::RunTask') events.push(event);
  });
  await devtools.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', '__metadata'], recordMode: 'recordContinuously' } });
  return {
    async stop() {
      const complete = new Promise((resolve) => devtools.once('Tracing.tracingComplete', resolve));
      await devtools.send('Tracing.end');
      await complete;
      await devtools.detach();
      const main = new Set(events.filter((event) => event.ph === 'M' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
      return events
        .filter((event) => event.ph === 'X' && event.name === 'ThreadControllerImpl::RunTask' && main.has(`${event.pid}:${event.tid}`))
        .map((event) => ({ wallMs: Math.round((event.dur ?? 0) / 1000), cpuMs: Math.round((event.tdur ?? 0) / 1000) }))
        .filter((task) => task.wallMs > 50 || task.cpuMs > 50);
    },
  };
}
