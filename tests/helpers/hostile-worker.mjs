// A stand-in for src/batch/worker.ts that misbehaves on demand (tests/worker-pool.test.ts):
// the task's path says how.
import { parentPort } from 'node:worker_threads';

const busy = (ms) => {
  const t = Date.now();
  while (Date.now() - t < ms);
};

parentPort.on('message', (task) => {
  if (task.path === 'hang-then-oom') {
    busy(1500); // over the time limit...
    const keep = [];
    for (;;) keep.push(new Array(1e6).fill(1.5)); // ...then out of heap
  }
  if (task.path === 'exit') process.exit(7);
  if (task.path === 'outside-heap') {
    // Memory the heap limit does not see (array buffers), touched so it is resident.
    const keep = [];
    for (let i = 0; i < 48; i++) {
      keep.push(new Uint8Array(32 * 2 ** 20).fill(1));
      busy(25);
    }
    parentPort.postMessage({ id: task.id, ok: true, json: '{"survived":true}', recommendations: 0 });
    return;
  }
  if (task.path === 'slow-good') busy(2500); // still reading when the stopped worker goes
  parentPort.postMessage({ id: task.id, ok: true, json: JSON.stringify({ path: task.path }), recommendations: 1 });
});
parentPort.postMessage({ ready: true });
