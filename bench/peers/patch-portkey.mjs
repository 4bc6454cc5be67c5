// Makes Portkey's open-source gateway (1.15.2) able to stream on Node 20 so the benchmark can compare streams at all.
//
// Without it every `stream: true` chat completion answers 500 with "TypeError: immutable": the gateway appends its
// x-portkey-* headers to the upstream fetch() Response, whose headers are immutable (Portkey-AI/gateway#1550, and
// #1389 for the @hono/node-server side). The fix mirrors Portkey's own proposed one (PR #1551): copy a mapped
// streaming response into a new Response before its headers are touched. The copy is O(headers); the body stream is
// passed through untouched, so the patch does not make Portkey faster or slower in any way that matters here.
//
// Idempotent; exits non-zero if the code it expects is not there (e.g. a different Portkey version).
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url);
const marker = '/*warden-bench:clone-mapped-stream*/';
let src = readFileSync(file, 'utf8');
if (src.includes(marker)) {
  console.log('portkey: already patched');
  process.exit(0);
}
const before = 'return r?(i=t,c=s):';
const after = `return r?(i=${marker}(this.context.isStreaming?new Response(t.body,{status:t.status,statusText:t.statusText,headers:new Headers(t.headers)}):t),c=s):`;
const count = src.split(before).length - 1;
if (count !== 1) {
  console.error(`portkey: expected exactly one "${before}" in start-server.js, found ${count}; version changed?`);
  process.exit(1);
}
src = src.replace(before, after);
writeFileSync(file, src);
console.log('portkey: patched mapped streaming responses (Portkey-AI/gateway#1550)');
