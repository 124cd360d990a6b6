// Serves a component that `jco serve --jco-dir DIR` transpiled earlier, the
// way `jco serve` does (one instance, preview2-shim's HTTP server), without
// transpiling again: the cached start. Copied into DIR by the harness.
//
//   node DIR/_bench_serve.mjs PORT MODULE.js
import { HTTPServer } from "@bytecodealliance/preview2-shim/http";

const [port, module] = process.argv.slice(2);
const mod = await import(`./${module}`);
new HTTPServer(mod.incomingHandler).listen(Number(port), "127.0.0.1");
