/**
 * The one import calc-ts calls: wasmcp's server-io, as componentize-js
 * binds it (a `result` error is thrown; records are camelCase objects).
 */
declare module 'wasmcp:mcp-v20251125/server-io@0.1.1' {
  export function sendMessage(output: unknown, message: unknown, frame: unknown): void;
}
