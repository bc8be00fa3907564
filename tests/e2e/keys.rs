//! The keyboard's way back: Esc closes only the topmost thing (a dialog, then a search being
//! typed, then a screen), focus never falls to the page when a button turns off under it, and
//! a dialog is not a Tab stop of its own.

use crate::harness::{run_with, write_clipboard, Role, Session};
use producer_sim::SimConfig;
use serde_json::{json, Value};
use std::time::Duration;

const ESC: char = '\u{e00c}';
const TAB: char = '\u{e004}';
const ENTER: &str = "\u{e007}";

/// What the window shows and where the keyboard is: the screen on show, any open dialog, the
/// focused control's id ("" for the page) and the search field's text.
async fn where_am_i(session: &mut Session) -> Value {
    session
        .run_script(
            "const shown = [...document.querySelectorAll('main')].find((view) => !view.hidden);
             const dialog = document.querySelector('dialog[open]');
             const el = document.activeElement;
             return {
               view: shown ? shown.id : '',
               dialog: dialog ? dialog.id : '',
               focus: el && el !== document.body ? el.id || el.getAttribute('aria-label') || el.tagName : '',
               search: document.getElementById('history-search').value,
             };",
            vec![],
        )
        .await
}

/// Waits until `what` of [`where_am_i`] is `wanted`, and returns the whole answer.
async fn wait_until(session: &mut Session, what: &str, wanted: &str) -> Value {
    let mut now = Value::Null;
    for _ in 0..50 {
        now = where_am_i(session).await;
        if now[what] == json!(wanted) {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    session
        .fail(&format!("{what} is not {wanted:?}: {now}"))
        .await
}

/// Two uploads done, then History open.
async fn history_with_two_uploads(session: &mut Session) {
    session.enter_token("sim-token").await;
    let links = format!(
        "{0}/files/verse.wav\n{0}/files/chorus.wav",
        session.sim.base_url()
    );
    write_clipboard(&links);
    session.paste_anywhere().await;
    session.wait_for_rows_settled(2).await;
    session.press("History").await;
    session
        .wait_for_text("2 uploads, newest first", Duration::from_secs(10))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_on_a_history_records_details_closes_only_the_details() {
    run_with(
        "esc_details",
        &[],
        SimConfig::default(),
        |mut session| async move {
            history_with_two_uploads(&mut session).await;
            session.press("Details").await;
            let open = wait_until(&mut session, "dialog", "record-dialog").await;
            assert_eq!(open["focus"], json!("record-close"), "{open}");

            session.press_key(ESC).await;
            let after = wait_until(&mut session, "dialog", "").await;
            assert_eq!(
                after["view"],
                json!("history-view"),
                "Esc left History: {after}"
            );
            // Back on the Details button the dialog came from.
            assert_eq!(after["focus"], json!("Details"), "{after}");
            tokio::time::sleep(Duration::from_millis(400)).await;
            let later = where_am_i(&mut session).await;
            assert_eq!(later["view"], json!("history-view"), "{later}");

            // A second Esc, with no dialog open, goes back to the uploads.
            session.press_key(ESC).await;
            wait_until(&mut session, "view", "main-view").await;
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_in_history_search_clears_it_first_then_leaves() {
    run_with(
        "esc_search",
        &[],
        SimConfig::default(),
        |mut session| async move {
            history_with_two_uploads(&mut session).await;
            session.type_into("Search history", "chorus").await;
            session
                .wait_for_text("1 upload matches your search", Duration::from_secs(10))
                .await;

            session.press_key(ESC).await;
            let cleared = wait_until(&mut session, "search", "").await;
            assert_eq!(cleared["view"], json!("history-view"), "{cleared}");
            assert_eq!(cleared["focus"], json!("history-search"), "{cleared}");
            // Every upload is listed again.
            session
                .wait_for_text("2 uploads, newest first", Duration::from_secs(10))
                .await;

            session.press_key(ESC).await;
            wait_until(&mut session, "view", "main-view").await;
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enter_on_the_batch_cancel_hands_the_focus_to_retry_all_failed() {
    let sim = SimConfig {
        latency: Duration::from_millis(600),
        ..Default::default()
    };
    run_with("cancel_focus", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        let links: Vec<String> = (1..=30)
            .map(|index| format!("{}/files/take-{index:02}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        let cancel = session.find(Role::Button, "Cancel").await;
        if let Err(error) = cancel.send_keys(ENTER).await {
            session
                .fail(&format!("could not press Enter on Cancel: {error}"))
                .await;
        }
        // Nothing waits any more: Cancel turns off, and the focus goes on to the next thing to
        // do with the stopped links.
        let moved = wait_until(&mut session, "focus", "batch-retry").await;
        assert_eq!(moved["view"], json!("main-view"), "{moved}");
        let cancel_off = session
            .run_script(
                "return document.getElementById('batch-cancel').disabled;",
                vec![],
            )
            .await;
        assert_eq!(cancel_off, json!(true));
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_close_dialog_is_not_a_tab_stop() {
    run_with(
        "dialog_tab",
        &[],
        SimConfig::default(),
        |mut session| async move {
            session.enter_token("sim-token").await;
            session
                .run_script(
                    "document.getElementById('close-dialog').showModal();
                 document.getElementById('close-background').focus(); return true;",
                    vec![],
                )
                .await;
            let mut stops = Vec::new();
            for _ in 0..6 {
                session.press_key(TAB).await;
                let now = where_am_i(&mut session).await;
                stops.push(now["focus"].as_str().unwrap_or_default().to_owned());
            }
            assert!(
                !stops.iter().any(|stop| stop == "close-dialog"),
                "the dialog itself took the focus: {stops:?}"
            );
            for button in ["close-stop", "close-stay", "close-background"] {
                assert!(
                    stops.iter().any(|stop| stop == button),
                    "Tab never reached {button}: {stops:?}"
                );
            }
            session
        },
    )
    .await;
}
