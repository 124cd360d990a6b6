# Versions of every tool the project installs, in one place.
# Sourced by scripts/setup.sh and scripts/install-crate.sh; change a pin here
# and the next `make setup` builds or installs the new version.

# Crates built with `cargo install` when the tool is not on PATH already.
# Each: version, then the features kept (default features are off), then the
# oldest version accepted from PATH.
#
# wasmtime-cli 48.x is the newest that builds with rustc 1.95 (49 needs 1.96).
# Only `run`, `serve` and `compile` are kept, with what they need: a Cranelift
# compiler, the compile cache, the pooling allocator, WASI HTTP and components
# (serve does not compile without component-model-async, which its WASI 0.3
# path uses; clap's defaults give the CLI its --help). scripts/serve.sh runs
# `compile` ahead of serving, so a later start maps the compiled code instead
# of loading it from the cache.
WASMTIME_VERSION=48.0.8
WASMTIME_FEATURES=run,serve,compile,cranelift,cache,config,parallel-compilation,pooling-allocator,wasi-http,component-model,component-model-async,backtrace,demangle,logging,clap/default,clap/wrap_help
# 39 is the first `wasmtime serve` with --max-instance-reuse-count; 0.2.9 WASI
# imports (componentize-py 0.25) need at least this too.
WASMTIME_MIN=39.0.0

# wac-cli without its registry client (the `registry` feature), which the
# project never uses.
WAC_VERSION=0.12.0
WAC_FEATURES=wit
WAC_MIN=0.6.0

# wasm-tools with only the subcommands the project runs.
WASM_TOOLS_VERSION=1.263.0
WASM_TOOLS_FEATURES=compose,validate,print,parse,component
WASM_TOOLS_MIN=1.200.0

# npm packages, installed into .tools/.
JCO_VERSION=1.35.0
NODE_VERSION=22
# The wasmcp examples' TypeScript provider (examples/wasmcp/calc-ts): the
# versions jco 1.35.0 depends on itself, pinned so that its build does not
# change when jco does.
COMPONENTIZE_JS_VERSION=0.22.0
TYPESCRIPT_VERSION=7.0.2
# The official MCP conformance suite: the release `make conformance` gates
# on, and the alpha whose 2025-11-25 scenarios it runs too (the alpha needs
# Node 22: it imports fs.globSync).
CONFORMANCE_VERSION=0.1.16
CONFORMANCE_ALPHA_VERSION=0.2.0-alpha.12
