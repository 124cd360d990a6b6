/**
 * A calculator as a wasmcp tools capability, in TypeScript.
 *
 * Written against wasmcp's `tools` interface the way its TypeScript template
 * is: records are plain objects with camelCase fields, variants are
 * `{ tag, val }`, an `option` is a value or `undefined`, and a tool this
 * component does not know is answered with `undefined` so that the next
 * component in a wasmcp chain may take it. Each call logs through wasmcp's
 * server-io, as wasmcp's own examples do, and carries on if that fails.
 */

/// <reference path="./wasmcp.d.ts" />
import { sendMessage } from 'wasmcp:mcp-v20251125/server-io@0.1.1';

type Json = string;

interface ToolOptions {
  title?: string;
  description?: string;
  outputSchema?: Json;
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean };
}

interface Tool {
  name: string;
  inputSchema: Json;
  options?: ToolOptions;
}

interface TextContentBlock {
  tag: 'text';
  val: { text: { tag: 'text'; val: string } };
}

interface CallToolResult {
  content: TextContentBlock[];
  isError?: boolean;
  structuredContent?: Json;
}

interface MessageContext {
  clientStream?: unknown;
  frame: unknown;
}

interface CallToolRequest {
  name: string;
  arguments?: Json;
}

const numbers = {
  type: 'object',
  properties: {
    a: { type: 'number', description: 'The first operand' },
    b: { type: 'number', description: 'The second operand' },
  },
  required: ['a', 'b'],
};

const operations: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
};

function listTools(_ctx: unknown, _request: { cursor?: string }): { tools: Tool[]; nextCursor?: string } {
  const tools: Tool[] = Object.keys(operations).map((name) => ({
    name,
    inputSchema: JSON.stringify(numbers),
    options: {
      title: name[0].toUpperCase() + name.slice(1),
      description: `${name[0].toUpperCase() + name.slice(1)} two numbers.`,
      outputSchema: JSON.stringify({
        type: 'object',
        properties: { result: { type: 'number' } },
        required: ['result'],
      }),
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
  }));
  return { tools };
}

function callTool(ctx: MessageContext, request: CallToolRequest): CallToolResult | undefined {
  const operation = operations[request.name];
  if (operation === undefined) {
    return undefined;
  }
  log(ctx, `${request.name} called`);
  let args: { a?: unknown; b?: unknown };
  try {
    args = JSON.parse(request.arguments ?? '{}');
  } catch (error) {
    return failure(`arguments are not JSON: ${String(error)}`);
  }
  if (typeof args.a !== 'number' || typeof args.b !== 'number') {
    return failure('a and b must be numbers');
  }
  const result = operation(args.a, args.b);
  if (!Number.isFinite(result)) {
    return failure(`${request.name} of ${args.a} and ${args.b} has no finite result`);
  }
  return {
    content: [text(String(result))],
    structuredContent: JSON.stringify({ result }),
  };
}

function log(ctx: MessageContext, message: string): void {
  if (ctx.clientStream === undefined) {
    return;
  }
  try {
    sendMessage(ctx.clientStream, {
      tag: 'notification',
      val: { tag: 'log', val: { data: JSON.stringify(message), level: 'info', logger: 'calc' } },
    }, ctx.frame);
  } catch {
    // No server-io to send it through (or the client went away): the call goes on.
  }
}

function text(value: string): TextContentBlock {
  return { tag: 'text', val: { text: { tag: 'text', val: value } } };
}

function failure(message: string): CallToolResult {
  return { content: [text(message)], isError: true };
}

export const tools = { listTools, callTool };
