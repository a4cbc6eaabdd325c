// The yardstick for `cargo xtask bench`: the smallest JavaScript worker that serves the published
// catalogue from the same KV value the Rust worker serves (one KV read per request, the stored
// ETag, the same content type). The Rust worker's throughput is reported as a ratio to this one.
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== "/v1/catalog") {
      return new Response("not found", { status: 404 });
    }
    const { value, metadata } = await env.GUANAI_KV.getWithMetadata("catalog:published");
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
