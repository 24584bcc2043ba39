// The floor for the import benchmark: a file input whose file goes to a worker that does only
// what any importer of the package must (importFloorWorker.ts). `#done` appears when it is over.
import type { FloorResult } from './importFloorWorker.ts';

const status = document.getElementById('status')!;
document.getElementById('file')!.addEventListener('change', (event) => {
  const file = (event.currentTarget as HTMLInputElement).files?.[0];
  if (!file) return;
  const worker = new Worker(new URL('./importFloorWorker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (message: MessageEvent<FloorResult | { failed: string }>) => {
    worker.terminate();
    if ('failed' in message.data) {
      status.textContent = `Failed: ${message.data.failed}`;
      return;
    }
    (window as unknown as { floorResult: FloorResult }).floorResult = message.data;
    status.id = 'done';
    status.textContent = `Read ${message.data.rows.toLocaleString('en')} rows.`;
  });
  worker.postMessage(file);
});
