// Test and bench tool only (see wrangler.toml): loads a generated programme into local KV.
//
// `wrangler kv bulk put --local` writes one key at a time, ≈ 5 ms each here: the 260,000 keys of
// the full-size programme would take over twenty minutes. This worker takes a batch of entries
// per request and writes them concurrently, ≈ 1 ms a key. Local KV enforces none of Workers KV's
// limits, which is what makes this possible and why it is never deployed.
export default {
  async fetch(request, env) {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/entries") {
      return new Response("POST /entries with a JSON array of {key, value, metadata}", {
        status: 404,
      });
    }
    const entries = await request.json();
    await Promise.all(
      entries.map((entry) =>
        env.GUANAI_KV.put(
          entry.key,
          entry.value,
          entry.metadata == null ? {} : { metadata: entry.metadata },
        ),
      ),
    );
    return new Response(String(entries.length));
  },
};
