//! How long a browser takes to solve the sign-up forms' proof of work, in headless Chromium:
//! `cargo xtask bench` runs this with wasm-bindgen-test's bench runner and prints the figures.

use guanai_core::challenge::{DIFFICULTY, issue, solve};
use wasm_bindgen_test::{Criterion, wasm_bindgen_bench};

#[wasm_bindgen_bench]
fn solve_one_challenge(c: &mut Criterion) {
    let mut id = 0u8;
    c.bench_function("proof of work, 16 bits (fresh token each time)", |b| {
        b.iter(|| {
            id = id.wrapping_add(1);
            let token = issue(b"bench key", [id; 16], 1_800_000_000, DIFFICULTY);
            solve(&token, 0, u64::MAX)
        })
    });
}
