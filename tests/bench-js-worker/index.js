// The yardstick for `cargo xtask bench`: the smallest JavaScript worker that serves the published
// catalogue from the same KV value the Rust worker serves (the stored ETag, the same content
// type). The Rust worker's throughput is reported as a ratio to this one.
//
// With `CACHE_MS` set (`--var CACHE_MS:15000`) it keeps the value in the isolate's memory that
// long, as the Rust worker's snapshot cache does (edge/src/snapshot_cache.rs); without it, it
// reads KV on every request, as the Rust worker does with `SNAPSHOT_TTL_MS` 0. The bench
// compares like with like: both cached, and both uncached.
let remembered = null;

async function published(env) {
  const ttl = Number(env.CACHE_MS ?? 0);
  const now = Date.now();
  if (ttl > 0 && remembered !== null && now - remembered.at < ttl && remembered.at <= now) {
    return remembered.entry;
  }
  const entry = await env.GUANAI_KV.getWithMetadata("catalog:published");
  if (ttl > 0) {
    remembered = { at: now, entry };
  }
  return entry;
}

// `GET /read-all?prefix=…`: every key under the prefix listed and its values read with bulk
// reads of 100, ten at a time, as the Rust worker's exports and publishing read them — and
// nothing else. The bench's floor for what local KV alone costs at programme size.
async function readAll(env, prefix) {
  let cursor;
  let keys = 0;
  do {
    const page = await env.GUANAI_KV.list({ prefix, cursor, limit: 1000 });
    cursor = page.list_complete ? undefined : page.cursor;
    const names = page.keys.map((key) => key.name);
    const chunks = [];
    for (let i = 0; i < names.length; i += 100) {
      chunks.push(names.slice(i, i + 100));
    }
    for (const values of await Promise.all(chunks.map((chunk) => env.GUANAI_KV.get(chunk)))) {
      keys += [...values.values()].filter((value) => value !== null).length;
    }
  } while (cursor);
  return new Response(JSON.stringify({ keys }), {
    headers: { "content-type": "application/json" },
  });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/read-all") {
      return readAll(env, url.searchParams.get("prefix") ?? "");
    }
    if (url.pathname !== "/v1/catalog") {
      return new Response("not found", { status: 404 });
    }
    const { value, metadata } = await published(env);
    if (value === null) {
      return new Response('{"error":{"code":"catalog_unavailable"}}', { status: 503 });
    }
    return new Response(value, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        etag: metadata?.etag ?? "",
        "cache-control": "public, max-age=60, stale-while-revalidate=600",
      },
    });
  },
};
