//! Load with a crash: many concurrent sign-ups (some replayed) against a worker of the test's
//! own, which is killed with SIGKILL mid-run and started again on the same local KV. Clients
//! retry with the same Idempotency-Key, as the sign-up form does. Afterwards every sign-up the
//! server acknowledged exists exactly once.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use guanai_core::consent::NOTICE_VERSION;
use guanai_e2e::worker::{OwnWorker, free_port};
use guanai_e2e::{kv_keys_in, root, submit_form_to};
use serde_json::{Value, json};

const CLIENTS: usize = 8;
/// Some of Tianjin's districts (GB/T 2260).
const TIANJIN: [&str; 6] = ["120101", "120102", "120103", "120104", "120105", "120106"];
const PER_CLIENT: usize = 20;
/// A client gives up on one sign-up after this long (the restart takes a few seconds).
const GIVE_UP: Duration = Duration::from_secs(120);

/// What a client learned about one person's sign-up.
enum Answer {
    /// 201: stored under this reference.
    Acknowledged(String),
    /// 409: the person was already stored (by an attempt whose answer the crash swallowed).
    AlreadyStored(String),
}

/// Sends one sign-up until the server answers it, retrying with the same key through refused
/// connections, broken connections and server errors; counts the failed attempts.
fn sign_up_until_answered(
    base: &str,
    key: &str,
    ip: &str,
    form: &Value,
    failures: &AtomicUsize,
) -> Answer {
    let started = Instant::now();
    loop {
        assert!(started.elapsed() < GIVE_UP, "{key} was never answered");
        match submit_form_to(base, "/v1/signups", key, ip, form) {
            Ok((201, body)) => {
                let body: Value = serde_json::from_str(&body).unwrap();
                return Answer::Acknowledged(body["reference"].as_str().unwrap().into());
            }
            Ok((409, body)) => {
                let body: Value = serde_json::from_str(&body).unwrap();
                let reference = body["error"]["reference"].as_str().unwrap();
                return Answer::AlreadyStored(reference.into());
            }
            // A challenge spent by an attempt that died: the next attempt fetches a fresh one.
            Ok((status, body)) if status >= 500 || body.contains("challenge") => {}
            Ok((status, body)) => panic!("{key}: unexpected {status} {body}"),
            Err(_) => {}
        }
        failures.fetch_add(1, Ordering::Relaxed);
        // The worker is down: back off briefly before the retry, as a client would.
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn every_acknowledged_sign_up_survives_a_worker_crash_exactly_once() {
    let state = root().join("target/e2e/fault-state");
    let _ = std::fs::remove_dir_all(&state);
    let port = free_port();
    let mut worker = OwnWorker::start(&state, port);
    let base = worker.base();
    let (answered, answers_so_far) = mpsc::channel::<()>();
    let failures = Arc::new(AtomicUsize::new(0));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (base, answered, failures) = (base.clone(), answered.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut answers = Vec::new();
                for i in 0..PER_CLIENT {
                    let form = json!({
                        "name": "压力测试", "mobile": format!("1770{client:02}{i:05}"),
                        "association": "tianjin", "region": TIANJIN[(client + i) % TIANJIN.len()],
                        "employer": "测试社工站", "level": "intermediate", "interests": ["career"],
                        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
                    });
                    let key = format!("fault-{client}-{i}");
                    let ip = format!("198.19.{client}.{i}");
                    let answer = sign_up_until_answered(&base, &key, &ip, &form, &failures);
                    // Every third sign-up is sent again, as a double tap or a lost answer would.
                    if i % 3 == 0 {
                        let again = sign_up_until_answered(&base, &key, &ip, &form, &failures);
                        let (Answer::Acknowledged(first) | Answer::AlreadyStored(first)) = &answer;
                        let (Answer::Acknowledged(second) | Answer::AlreadyStored(second)) = &again;
                        assert_eq!(first, second, "a replay named another reference");
                    }
                    let _ = answered.send(());
                    answers.push(answer);
                }
                answers
            })
        })
        .collect();

    drop(answered);
    // Crash the worker once a third of the sign-ups are answered, while the rest are in flight.
    for _ in 0..CLIENTS * PER_CLIENT / 3 {
        answers_so_far
            .recv_timeout(GIVE_UP)
            .expect("the load never got going");
    }
    worker.kill();
    let answered_at_crash = CLIENTS * PER_CLIENT / 3 + answers_so_far.try_iter().count();
    let worker = OwnWorker::start(&state, port);

    let answers: Vec<Answer> = clients
        .into_iter()
        .flat_map(|client| client.join().expect("client thread"))
        .collect();
    drop(worker);

    let acknowledged: Vec<&String> = answers
        .iter()
        .filter_map(|answer| match answer {
            Answer::Acknowledged(reference) => Some(reference),
            Answer::AlreadyStored(_) => None,
        })
        .collect();
    let people: BTreeSet<&String> = answers
        .iter()
        .map(|(Answer::Acknowledged(reference) | Answer::AlreadyStored(reference))| reference)
        .collect();
    let stored: Vec<String> = kv_keys_in(&state.to_string_lossy(), "signup:tianjin:")
        .into_iter()
        .map(|key| key.trim_start_matches("signup:tianjin:").to_string())
        .collect();
    let stored_set: BTreeSet<&String> = stored.iter().collect();
    eprintln!(
        "fault run: {} sign-ups, {} answered before the crash, {} failed attempts retried, {} acknowledged with 201, {} stored",
        answers.len(),
        answered_at_crash,
        failures.load(Ordering::Relaxed),
        acknowledged.len(),
        stored.len()
    );
    assert!(
        answered_at_crash < CLIENTS * PER_CLIENT,
        "the crash came after the run"
    );
    assert!(
        failures.load(Ordering::Relaxed) > 0,
        "no request noticed the crash"
    );
    assert_eq!(stored.len(), stored_set.len(), "a record is stored twice");
    assert_eq!(
        stored.len(),
        CLIENTS * PER_CLIENT,
        "one record per person, none lost"
    );
    for reference in &acknowledged {
        assert!(
            stored_set.contains(reference),
            "acknowledged {reference} is missing"
        );
    }
    assert_eq!(
        people, stored_set,
        "every answer names a stored record and nothing else is stored"
    );
}
