// Preloaded (--import) into the node that runs a jco server: profiles the
// main thread from SIGUSR2 until SIGTERM, so only the load window is
// sampled, then writes the profile to $BENCH_CPU_PROFILE and exits. In the
// same window it counts Atomics.wait calls (each is one synchronous round
// trip of preview2-shim to its I/O worker, synckit) and which I/O call each
// carried, written beside the profile as <profile>.sync.json.
import inspector from "node:inspector";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";

const session = new inspector.Session();
session.connect();
let started = false;
let counting = false;
const sync = { calls: 0, waitMs: 0, byCall: {} };

const wait = Atomics.wait;
Atomics.wait = function countedWait(...args) {
  if (!counting) return wait.apply(Atomics, args);
  const start = performance.now();
  try {
    return wait.apply(Atomics, args);
  } finally {
    sync.calls += 1;
    sync.waitMs += performance.now() - start;
  }
};

// synckit posts { sharedBuffer, cid, args: [call, id, payload] } to the I/O worker.
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function countedPost(message, ...rest) {
  if (counting && message?.sharedBuffer && Array.isArray(message.args)) {
    const call = message.args[0];
    sync.byCall[call] = (sync.byCall[call] ?? 0) + 1;
  }
  return post.call(this, message, ...rest);
};

// Call numbers to names, from the shim's calls.js ($BENCH_SHIM_CALLS).
async function nameCalls(byCall) {
  try {
    const calls = await import(pathToFileURL(process.env.BENCH_SHIM_CALLS).href);
    const kinds = Object.entries(calls).filter(([, v]) => typeof v === "number" && v > 0 && v < 256);
    const ops = Object.entries(calls).filter(([, v]) => typeof v === "number" && v >= 1 << 24);
    return Object.fromEntries(Object.entries(byCall).map(([call, count]) => {
      const number = Number(call);
      const op = ops.find(([, v]) => v === ((number & calls.CALL_MASK) >>> 0))?.[0] ?? "?";
      const kind = kinds.find(([, v]) => v === (number & calls.CALL_TYPE_MASK))?.[0];
      return [kind ? `${op}(${kind})` : op, count];
    }));
  } catch {
    return byCall;
  }
}

process.on("SIGUSR2", () => {
  session.post("Profiler.enable", () =>
    session.post("Profiler.setSamplingInterval", { interval: 100 }, () =>
      session.post("Profiler.start", () => { started = true; counting = true; })));
});
process.on("SIGTERM", () => {
  counting = false;
  if (!started) process.exit(0);
  session.post("Profiler.stop", async (error, result) => {
    const out = process.env.BENCH_CPU_PROFILE;
    if (!error && out) {
      sync.byCall = await nameCalls(sync.byCall);
      writeFileSync(`${out}.sync.json`, JSON.stringify(sync));
      writeFileSync(out, JSON.stringify(result.profile));
    }
    process.exit(0);
  });
});
