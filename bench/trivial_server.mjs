// A trivial JSON-RPC server on Node's http module: the floor of Node's HTTP
// handling, and the load generator's ceiling. Answers `initialize` with a
// minimal result and every other request with an empty one.
//
//   node bench/trivial_server.mjs PORT
import http from "node:http";

const port = Number(process.argv[2]);
http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    let message = {};
    try { message = JSON.parse(Buffer.concat(chunks)); } catch { /* answered with id null */ }
    const result = message.method === "initialize"
      ? { protocolVersion: "2025-11-25", capabilities: {}, serverInfo: { name: "trivial", version: "0" } }
      : {};
    const body = JSON.stringify({ jsonrpc: "2.0", id: message.id ?? null, result });
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
}).listen(port, "127.0.0.1");
