// wasi:http's incoming side for scripts/jco-host.mjs, on Node's own HTTP
// server in the main thread.
//
// preview2-shim serves HTTP from a worker thread, and every wasi:io call the
// component makes on a request or response body (each read, each write, each
// drop, setting the response, finishing the body) is a synchronous round
// trip to that worker: eight per request, about half of jco's time per
// request in the bench's profile. Here the request body is read in full
// before the component is called (up to the transport's body limit plus
// one byte, so it still answers 413 itself), and the response is written to
// Node's socket as the component writes it, with no worker in between.
//
// The component's glue checks every resource it is handed against the
// shim's classes (`instanceof`), and the same classes serve outgoing HTTP
// (providers that call out), stdio and files. So the objects made here are
// instances of the shim's classes whose methods, wrapped below, answer from
// this module's own state for these objects and defer to the shim for all
// others.

import http from "node:http";

const symbolDispose = Symbol.dispose || Symbol.for("dispose");
// Headers wasi:http does not let a component see (the shim drops them too);
// the host's name arrives as the request's authority.
const FORBIDDEN = new Set(["connection", "keep-alive", "host"]);
const METHODS = new Set(["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"]);
const WRITE_BUDGET = 1n << 20n; // what check-write offers: writes never wait here

/**
 * Wraps the shim's wasi:http and wasi:io classes, once per process.
 *
 * @param {object} types preview2-shim's wasi:http/types classes
 * @param {object} streams preview2-shim's wasi:io/streams classes
 * @param {() => object} readyPollable a pollable that is ready at once
 */
export function localHttp(types, streams, readyPollable) {
    const { Fields, FutureTrailers, IncomingBody, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam } = types;
    const { InputStream, OutputStream } = streams;
    const state = new WeakMap(); // object made here -> its state
    const bodies = new WeakMap(); // outgoing response -> the body made for it

    // Each wrapped method answers from `state` for objects made here.
    const methods = (cls, impl) => {
        for (const [name, ours] of Object.entries(impl)) {
            const shim = cls.prototype[name];
            cls.prototype[name] = function (...args) {
                const own = state.get(this);
                return own ? ours(own, ...args) : shim.apply(this, args);
            };
        }
        const shimDispose = cls.prototype[symbolDispose];
        cls.prototype[symbolDispose] = function () {
            const own = state.get(this);
            if (own) own.dispose?.();
            else shimDispose?.call(this);
        };
    };
    const statics = (cls, impl) => {
        for (const [name, ours] of Object.entries(impl)) {
            const shim = cls[name];
            cls[name] = function (first, ...args) {
                const own = state.get(first);
                return own ? ours(own, ...args) : shim.call(this, first, ...args);
            };
        }
    };
    const make = (cls, own) => {
        const object = Object.create(cls.prototype);
        state.set(object, own);
        return object;
    };

    // -- the request ---------------------------------------------------------
    methods(IncomingRequest, {
        method: (own) => own.method,
        pathWithQuery: (own) => own.pathWithQuery,
        scheme: () => ({ tag: "HTTP" }),
        authority: (own) => own.authority,
        headers: (own) => own.headers,
        consume: (own) => {
            if (own.consumed) throw undefined;
            own.consumed = true;
            return make(IncomingBody, { stream: make(InputStream, { data: own.body, offset: 0 }), finished: false });
        },
    });
    // A body hands out its stream once, as the shim's do.
    const takeStream = (own) => {
        if (!own.stream) throw undefined;
        const stream = own.stream;
        own.stream = null;
        return stream;
    };
    methods(IncomingBody, { stream: takeStream });
    statics(IncomingBody, {
        finish: (own) => {
            if (own.finished) throw new Error("incoming body already finished");
            own.finished = true;
            return make(FutureTrailers, { taken: false });
        },
    });
    methods(FutureTrailers, {
        subscribe: () => readyPollable(),
        get: (own) => {
            if (own.taken) return { tag: "err", val: undefined };
            own.taken = true;
            return { tag: "ok", val: { tag: "ok", val: undefined } };
        },
    });
    const read = (own, len) => {
        if (own.offset >= own.data.byteLength) throw { tag: "closed" };
        const end = Math.min(own.data.byteLength, own.offset + Number(len));
        const chunk = own.data.subarray(own.offset, end);
        own.offset = end;
        return chunk;
    };
    const skip = (own, len) => BigInt(read(own, len).byteLength);
    methods(InputStream, {
        read, blockingRead: read, skip, blockingSkip: skip,
        subscribe: () => readyPollable(),
    });

    // -- the response --------------------------------------------------------
    // Every outgoing-response is an answer to an incoming request (outgoing
    // requests have their own body type), so each body is made here.
    OutgoingResponse.prototype.body = function body() {
        if (bodies.has(this)) throw undefined; // only once, as the shim
        const own = { exchange: null, response: this, finished: false, chunks: [], stream: null };
        own.stream = make(OutputStream, { body: own });
        own.dispose = () => { if (!own.finished && own.exchange) own.exchange.abort(); };
        const outgoing = make(OutgoingBody, own);
        bodies.set(this, outgoing);
        return outgoing;
    };
    methods(OutgoingBody, { write: takeStream });
    statics(OutgoingBody, {
        finish: (own, trailers) => {
            if (trailers) throw { tag: "internal-error", val: "trailers unsupported" };
            if (own.finished) throw { tag: "internal-error", val: "body already finished" };
            own.finished = true;
            own.exchange?.end();
        },
    });
    const write = (own, buf) => {
        const body = own.body;
        if (body.finished || body.exchange?.closed) throw { tag: "closed" };
        if (body.exchange) body.exchange.write(buf);
        else body.chunks.push(buf); // written before the response was set
    };
    methods(OutputStream, {
        checkWrite: (own) => {
            if (own.body.finished || own.body.exchange?.closed) throw { tag: "closed" };
            return WRITE_BUDGET;
        },
        write, blockingWriteAndFlush: write,
        flush: () => {}, blockingFlush: () => {},
        writeZeroes: (own, len) => write(own, new Uint8Array(Number(len))),
        blockingWriteZeroesAndFlush: (own, len) => write(own, new Uint8Array(Number(len))),
        splice: (own, src, len) => {
            const chunk = src.read(len);
            write(own, chunk);
            return BigInt(chunk.byteLength);
        },
        blockingSplice: (own, src, len) => {
            const chunk = src.blockingRead(len);
            write(own, chunk);
            return BigInt(chunk.byteLength);
        },
        subscribe: () => readyPollable(),
    });
    statics(ResponseOutparam, {
        set: (own, response) => {
            if (own.outcome !== undefined) throw new Error("response already set");
            if (response.tag !== "ok") {
                // The component's own error code: the host decides what the client gets.
                own.outcome = response.val ?? { tag: "internal-error" };
                return;
            }
            own.outcome = "ok";
            const outgoing = response.val;
            const body = bodies.get(outgoing);
            const headers = [];
            for (const [name, value] of outgoing.headers().entries()) headers.push(name, Buffer.from(value).toString("latin1"));
            own.exchange.head(outgoing.statusCode(), headers);
            own.exchange.bodyless = !body;
            if (!body) return; // body() never called: the response ends when the handler returns
            const pending = state.get(body);
            pending.exchange = own.exchange;
            for (const chunk of pending.chunks) own.exchange.write(chunk);
            pending.chunks = [];
            if (pending.finished) own.exchange.end();
        },
    });

    /** The component's view of one Node request, and its response outparam. */
    function incoming(req, body, exchange) {
        const entries = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
            const name = req.rawHeaders[i].toLowerCase();
            if (!FORBIDDEN.has(name)) entries.push([name, Buffer.from(req.rawHeaders[i + 1], "latin1")]);
        }
        const lower = req.method.toLowerCase();
        const request = make(IncomingRequest, {
            method: METHODS.has(lower) ? { tag: lower } : { tag: "other", val: req.method },
            pathWithQuery: req.url,
            authority: req.headers.host,
            headers: Fields.fromList(entries),
            body,
            consumed: false,
        });
        const paramState = { exchange, outcome: undefined };
        return { request, param: make(ResponseOutparam, paramState), outcome: () => paramState.outcome };
    }

    return { incoming };
}

/**
 * Node's HTTP server calling `handle(request, param, exchange)` for each
 * request, once its body is in (at most `maxBodyBytes` + 1 bytes of it).
 */
export function serve(local, handle, { host, port, maxBodyBytes, onListening, onError }) {
    const server = http.createServer((req, res) => {
        const chunks = [];
        let size = 0;
        req.on("data", (chunk) => {
            if (size > maxBodyBytes) return; // enough to know it is too large
            chunks.push(chunk);
            size += chunk.byteLength;
        });
        req.on("error", () => res.destroy());
        req.on("end", () => {
            const body = new Uint8Array(Buffer.concat(chunks, size).subarray(0, maxBodyBytes + 1));
            const exchange = new Exchange(res);
            let request, param, outcome;
            try {
                ({ request, param, outcome } = local.incoming(req, body, exchange));
            } catch {
                // A header name or value wasi:http refuses.
                exchange.fail(400, "Bad Request");
                return;
            }
            handle(request, param, exchange, outcome);
        });
    });
    server.on("error", onError);
    server.listen(port, host, () => onListening(server.address()));
    return server;
}

/** One response on its way out: head, body chunks, end; or an abort. */
export class Exchange {
    constructor(res) {
        this.res = res;
        this.ended = false;
        this.bodyless = false; // a response set without a body
    }

    get started() {
        return this.res.headersSent;
    }

    get closed() {
        return this.ended || this.res.destroyed;
    }

    head(status, headers) {
        this.res.writeHead(status, headers);
    }

    write(chunk) {
        if (!this.closed) this.res.write(chunk);
    }

    end() {
        if (this.closed) return;
        this.ended = true;
        this.res.end();
    }

    /** After the component returned: a response without a body ends; one
     * whose body was left unfinished is cut off, as wasi:http says. */
    settle() {
        if (this.bodyless) this.end();
        else this.abort();
    }

    /** Ends a response whose body the component left unfinished. */
    abort() {
        if (this.closed) return;
        this.ended = true;
        this.res.destroy();
    }

    /** A plain answer from the host, or an abort once the head is out. */
    fail(status, text, type = "text/plain; charset=utf-8") {
        if (this.started) return this.abort();
        if (this.closed) return;
        this.ended = true;
        const body = Buffer.from(text);
        this.res.writeHead(status, { "content-type": type, "content-length": body.byteLength });
        this.res.end(body);
    }
}
