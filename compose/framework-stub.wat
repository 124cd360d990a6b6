;; The code behind build/wasmcp/framework-stub.wasm (world framework-stub of
;; wit/wasmcp): wasmcp's framework interfaces, which every wasmcp capability
;; component imports and which this project's transport never calls, answered
;; so that a capability that does call one gets an answer it can handle
;; instead of a trap:
;;
;;   server-io.send-message, flush-buffer  err(io-error.unexpected(NOTE))
;;   server-io.parse-message               err(io-error.unexpected(NOTE))
;;   server-auth.decode                    err
;;   server-auth.authorize                 false
;;   server-handler.handle                 none
;;
;; A capability that logs through server-io (as wasmcp's Rust examples do,
;; ignoring the result) thus runs; its notifications are not sent. The
;; functions' core signatures are the canonical ABI's for those WIT
;; functions: more than 16 flat parameters arrive as one pointer into this
;; memory (copied in through cabi_realloc), and a result is returned as a
;; pointer to its bytes here. A borrowed stream handed in is dropped before
;; returning, as the canonical ABI requires of a callee.
(module
  (import "cm32p2|wasi:io/streams@0.2" "output-stream_drop" (func $drop_output (param i32)))
  (import "cm32p2|wasi:io/streams@0.2" "input-stream_drop" (func $drop_input (param i32)))
  (memory (export "cm32p2_memory") 1)

  ;; NOTE: the io-error's text, at offset 64.
  (data (i32.const 64) "server-io is not part of this server: its transport writes every message itself")
  (global $note_len i32 (i32.const 79))

  ;; Results live at fixed offsets below 64; arguments are bump-allocated
  ;; from 1024 and released after each call (the _post functions).
  (global $heap (mut i32) (i32.const 1024))

  (func $realloc (export "cm32p2_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    ;; round up to the alignment asked for
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.xor (i32.sub (local.get $align) (i32.const 1)) (i32.const -1))))
    (global.set $heap (i32.add (local.get $ptr) (local.get $size)))
    ;; grow memory in pages until the new end fits
    (block $done
      (loop $grow
        (br_if $done (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
        (br $grow)))
    (if (i32.ne (local.get $old_size) (i32.const 0))
      (then (memory.copy (local.get $ptr) (local.get $old) (local.get $old_size))))
    (local.get $ptr))

  (func $release (param i32)
    (global.set $heap (i32.const 1024)))

  ;; result<_, io-error> at 0: case err (1); io-error at 4: case unexpected (2); its string at 8.
  (func $io_error (result i32)
    (i32.store8 (i32.const 0) (i32.const 1))
    (i32.store8 (i32.const 4) (i32.const 2))
    (i32.store (i32.const 8) (i32.const 64))
    (i32.store (i32.const 12) (global.get $note_len))
    (i32.const 0))

  ;; The arguments arrive as one record; its first field is the borrowed output stream.
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-io@0.1|send-message") (param i32) (result i32)
    (call $drop_output (i32.load (local.get 0)))
    (call $io_error))
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-io@0.1|send-message_post") (param i32)
    (call $release (local.get 0)))

  (func (export "cm32p2|wasmcp:mcp-v20251125/server-io@0.1|flush-buffer") (param i32) (result i32)
    (call $drop_output (local.get 0))
    (call $io_error))
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-io@0.1|flush-buffer_post") (param i32)
    (call $release (local.get 0)))

  ;; result<client-message, io-error> at 16: case err (1); the payload is
  ;; 8-aligned (client-message holds 64-bit ids): io-error at 24, its string at 28.
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-io@0.1|parse-message")
    (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)
    (call $drop_input (local.get 0))
    (i32.store8 (i32.const 16) (i32.const 1))
    (i32.store8 (i32.const 24) (i32.const 2))
    (i32.store (i32.const 28) (i32.const 64))
    (i32.store (i32.const 32) (global.get $note_len))
    (i32.const 16))
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-io@0.1|parse-message_post") (param i32)
    (call $release (local.get 0)))

  ;; result<jwt-claims> at 40: case err (1), no payload.
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-auth@0.1|decode") (param i32 i32) (result i32)
    (i32.store8 (i32.const 40) (i32.const 1))
    (i32.const 40))
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-auth@0.1|decode_post") (param i32)
    (call $release (local.get 0)))

  (func (export "cm32p2|wasmcp:mcp-v20251125/server-auth@0.1|authorize") (param i32) (result i32)
    (i32.const 0))
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-auth@0.1|authorize_post") (param i32)
    (call $release (local.get 0)))

  ;; option<result<server-result, error-code>> at 48: none (0). The arguments
  ;; arrive as one record whose first field, the message context, starts with
  ;; option<borrow<output-stream>>: case at 0, handle at 4.
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-handler@0.1|handle") (param i32) (result i32)
    (if (i32.load8_u (local.get 0))
      (then (call $drop_output (i32.load offset=4 (local.get 0)))))
    (i32.store8 (i32.const 48) (i32.const 0))
    (i32.const 48))
  (func (export "cm32p2|wasmcp:mcp-v20251125/server-handler@0.1|handle_post") (param i32)
    (call $release (local.get 0)))

  (func (export "cm32p2_initialize")))
