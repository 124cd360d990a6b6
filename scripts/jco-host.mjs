// Serve a wasi:http component on Node with jco, surviving traps.
//
//   node scripts/jco-host.mjs [--host 127.0.0.1] [--port 8080] [--cache-dir DIR] [--env NAME ...] server.wasm
//
// `jco serve` keeps one instance, and a trap inside it (stack exhaustion,
// `unreachable`) is thrown out of preview2-shim's HTTP handler and ends the
// Node process. This host uses jco's transpiler and preview2-shim's WASI,
// with its own HTTP server on the main thread (scripts/jco-http.mjs: the
// shim's server sits in a worker and costs a round trip per body
// operation). It calls the component's `handle` for each request and
// catches whatever the component throws: that request is answered 500 and
// a fresh instance of the same transpiled module serves the next one. A
// trap after the component already sent its response head (a streamed
// answer) cannot become a 500: that response is cut off instead.
//
// The transpiled JS is cached under build/jco-cache/<hash>/, keyed by the
// component's bytes and jco's version, so later starts skip the transpile.
// The component sees only the variables named with --env (their values from
// this process's environment) and no host files: the sandbox wasmtime serve
// gives, where `jco serve` passes the whole environment and filesystem.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { localHttp, serve } from "./jco-http.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const JCO_DIR = join(ROOT, ".tools/node/node_modules/@bytecodealliance/jco");
const KEEP_CACHES = 6; // transpiled builds kept in the cache; older ones are pruned
const NAME = "component";

function fail(message) {
    process.stderr.write(`mcp-host: ${message}\n`);
    process.exit(1);
}

const { values: opts, positionals } = parseArgs({
    allowPositionals: true,
    options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8080" },
        "cache-dir": { type: "string", default: join(ROOT, "build", "jco-cache") },
        env: { type: "string", multiple: true, default: [] },
    },
});
if (positionals.length !== 1) fail("usage: jco-host.mjs [--host H] [--port P] [--cache-dir DIR] server.wasm");
const componentPath = resolve(positionals[0]);
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${opts.port}`);
if (!existsSync(join(JCO_DIR, "package.json"))) fail(`jco is not installed at ${JCO_DIR}; run 'make setup'`);

// The shim reads argv and the environment once, when first imported: give the
// component the same arguments `jco serve` does (its name), before that import.
process.argv.splice(1, Infinity, basename(componentPath).replace(/\.wasm$/, ""));

// preview2-shim as jco itself resolves it (jco's own dependency, not the
// older top-level copy), so HTTPServer, the WASI imports and the response
// classes the component is given are all the same module instances.
const jcoRequire = createRequire(join(JCO_DIR, "package.json"));
const shimUrl = (sub) => pathToFileURL(jcoRequire.resolve(`@bytecodealliance/preview2-shim/${sub}`)).href;
const jcoVersion = JSON.parse(readFileSync(join(JCO_DIR, "package.json"), "utf8")).version;

const moduleDir = await transpiled(componentPath, resolve(opts["cache-dir"]));
const { instantiate } = await import(pathToFileURL(join(moduleDir, `${NAME}.js`)).href);
const { types } = await import(shimUrl("http"));
const { streams } = await import(shimUrl("io"));
const { monotonicClock } = await import(shimUrl("clocks"));
const { WASIShim } = await import(shimUrl("instantiation"));

// Core modules are compiled once; every instance shares the compiled code.
const coreModules = new Map();
function getCoreModule(file) {
    let module = coreModules.get(file);
    if (!module) {
        module = new WebAssembly.Module(readFileSync(join(moduleDir, file)));
        coreModules.set(file, module);
    }
    return module;
}
const env = Object.fromEntries(opts.env.filter((name) => name in process.env).map((name) => [name, process.env[name]]));
const imports = new WASIShim({ sandbox: { env, preopens: {} } }).getImportObject();

function newInstance() {
    // The bindings wrap each export with WebAssembly.promising (JSPI) and fall
    // back to the plain export when that throws. Node 22 has no JSPI, and
    // V8 re-parses the whole generated init function to word each "is not a
    // function" error: about 45 ms per export, most of an instantiation.
    // The identity gives the same fallback without the throw.
    const shimmed = typeof WebAssembly.promising !== "function";
    if (shimmed) WebAssembly.promising = (fn) => fn;
    let instance;
    try {
        instance = instantiate(getCoreModule, imports);
    } finally {
        if (shimmed) delete WebAssembly.promising;
    }
    if (typeof instance.incomingHandler?.handle !== "function") {
        throw new Error("not a wasi:http component (no incoming-handler export)");
    }
    return instance;
}

// The transport's body limit (README, MCP_MAX_BODY_BYTES): a request body is
// buffered up to one byte more, so the transport still answers 413 itself.
const MAX_BODY_BYTES = /^[0-9]+$/.test(env.MCP_MAX_BODY_BYTES ?? "") ? Number(env.MCP_MAX_BODY_BYTES) : 4 * 1024 * 1024;
const local = localHttp(types, streams, () => monotonicClock.subscribeDuration(0n));

function answer500(exchange, message) {
    exchange.fail(500, JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message } }),
        "application/json");
}

function describe(error) {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    // wasi:http error codes can carry u64 fields, which JSON cannot encode as is.
    if (typeof error === "object") return JSON.stringify(error, (_, v) => (typeof v === "bigint" ? `${v}` : v));
    return String(error);
}

let current = null;
try {
    current = newInstance(); // fail fast: a component that cannot start is not served
} catch (error) {
    fail(`cannot instantiate ${componentPath}: ${describe(error)}`);
}
let replacing = false;

function replaceSoon() {
    // After this request's 500 is on its way, so the client is not kept
    // waiting on the new instance.
    current = null;
    if (replacing) return;
    replacing = true;
    setImmediate(() => {
        replacing = false;
        try {
            current ??= newInstance();
        } catch (error) {
            process.stderr.write(`mcp-host: starting an instance failed (${describe(error)}); retrying on the next request\n`);
        }
    });
}

function handle(request, param, exchange, outcome) {
    let instance;
    try {
        instance = current ??= newInstance();
    } catch (error) {
        process.stderr.write(`mcp-host: starting an instance failed (${describe(error)}); answered 500\n`);
        answer500(exchange, "Internal error: the server could not start");
        return;
    }
    let trap = null;
    try {
        instance.incomingHandler.handle(request, param);
    } catch (error) {
        trap = error ?? new Error("unknown exception");
    }
    const result = outcome();
    if (trap === null && result === "ok") {
        exchange.settle();
        return;
    }
    if (trap === null && result !== undefined) {
        // The component answered with a wasi:http error code: a failure of
        // this request only, so the instance is kept.
        process.stderr.write(`mcp-host: component returned an error response (${describe(result)}); answered 500\n`);
        answer500(exchange, "Internal error");
        return;
    }
    // A trap, or a return without any response: the instance's state can
    // no longer be trusted either way.
    if (trap === null) {
        process.stderr.write("mcp-host: instance returned without a response; answered 500, starting a fresh instance\n");
        answer500(exchange, "Internal error: the server gave no response");
    } else if (exchange.started) {
        process.stderr.write(`mcp-host: instance trapped after responding (${describe(trap)}); response cut short, starting a fresh instance\n`);
        exchange.abort();
    } else {
        process.stderr.write(`mcp-host: instance trapped (${describe(trap)}); answered 500, starting a fresh instance\n`);
        answer500(exchange, "Internal error: the server trapped while handling this request");
    }
    replaceSoon();
}

serve(local, handle, {
    host: opts.host,
    port,
    maxBodyBytes: MAX_BODY_BYTES,
    onError: (error) => fail(`cannot listen on ${opts.host}:${port}: ${describe(error)}`),
    onListening: (address) => {
        const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
        process.stderr.write(`==> listening on http://${shownHost}:${address.port}\n`);
    },
});

for (const signal of ["SIGTERM", "SIGINT"]) {
    // Exiting closes the listening socket; waiting for open keep-alive
    // connections (HTTPServer.stop) could block shutdown indefinitely. A
    // handler preloaded with --import (the bench's profiler, which writes its
    // profile on SIGTERM and then exits) keeps the signal to itself.
    if (process.listenerCount(signal) === 0) process.on(signal, () => process.exit(0));
}

// -- the transpile cache ----------------------------------------------------------

async function transpiled(wasmPath, cacheDir) {
    const bytes = await readFile(wasmPath).catch((error) => fail(`cannot read ${wasmPath}: ${error.message}`));
    // jco's version is part of the key: another jco generates other bindings.
    const key = createHash("sha256").update(`jco ${jcoVersion} sync debug-read-once\0`).update(bytes).digest("hex").slice(0, 24);
    const dir = join(cacheDir, key);
    if (existsSync(join(dir, `${NAME}.js`))) {
        const now = new Date();
        await utimes(dir, now, now).catch(() => {}); // marks it recently used for pruning
        return dir;
    }
    const started = performance.now();
    const { transpile } = await import(pathToFileURL(join(JCO_DIR, "dist", "api.js")).href);
    const { files } = await transpile(bytes, {
        name: NAME,
        instantiation: "sync", // so a fresh instance can be made inside a request handler
        emitTypescriptDeclarations: false,
        quiet: true,
    });
    // Written beside the final directory and renamed into place, so a reader
    // never sees half a cache entry (two hosts starting at once both succeed).
    const temp = join(cacheDir, `.tmp-${process.pid}-${key}`);
    await rm(temp, { recursive: true, force: true });
    for (const [file, contents] of Object.entries(files)) {
        await mkdir(dirname(join(temp, file)), { recursive: true });
        await writeFile(join(temp, file), file === `${NAME}.js` ? readDebugFlagOnce(contents) : contents);
    }
    await writeFile(join(temp, "package.json"), JSON.stringify({ type: "module" }));
    try {
        await rename(temp, dir);
    } catch (error) {
        await rm(temp, { recursive: true, force: true });
        if (!existsSync(join(dir, `${NAME}.js`))) throw error;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`mcp-host: transpiled ${basename(wasmPath)} in ${seconds} s into ${dir}\n`);
    await prune(cacheDir, dir);
    return dir;
}

// The glue's debug logger runs at many steps of every call into or out of
// the component and looks JCO_DEBUG up in process.env each time, which
// reads the process environment: about a tenth of jco's busy time per
// request in the bench's profile. It is read once per instance instead;
// the setting means the same.
function readDebugFlagOnce(glue) {
    // (Declared here: the module's top-level await runs before later constants exist.)
    const check = "if (!globalThis?.process?.env?.JCO_DEBUG) { return; }";
    const logger = "const _debugLog = (...args) => {";
    const source = Buffer.from(glue).toString("utf8");
    if (!source.includes(check) || !source.includes(logger)) return glue; // another jco: as generated
    return source.replaceAll(check, "if (!JCO_DEBUG_AT_LOAD) { return; }")
        .replace(logger, `const JCO_DEBUG_AT_LOAD = Boolean(globalThis?.process?.env?.JCO_DEBUG);\n  ${logger}`);
}

async function prune(cacheDir, keep) {
    // Each entry is tens of MB; keep the most recently used few.
    const entries = [];
    for (const name of await readdir(cacheDir)) {
        const path = join(cacheDir, name);
        const writer = /^\.tmp-(\d+)-/.exec(name);
        if (writer) {
            // Left by a host killed while writing; a live one is still at it.
            if (!isRunning(Number(writer[1]))) await rm(path, { recursive: true, force: true });
            continue;
        }
        entries.push({ path, used: (await stat(path)).mtimeMs });
    }
    entries.sort((a, b) => b.used - a.used);
    for (const { path } of entries.slice(KEEP_CACHES)) {
        if (path !== keep) await rm(path, { recursive: true, force: true });
    }
}

function isRunning(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return error.code === "EPERM";
    }
}
