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

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== "/v1/catalog") {
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
