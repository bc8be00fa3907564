//! The list's own notes: after "Clear list" where the uploads went, with Undo; on start, the
//! uploads stopped before they finished, with Retry them. A long list cleared gives its memory
//! back.

use crate::harness::{run, run_with, write_clipboard, Session};
use producer_upload::history::{History, NewUpload, Query, Source, State};
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clear_list_says_where_the_uploads_went_and_undo_puts_them_back() {
    run("clear_undo", |mut session| async move {
        session.enter_token("sim-token").await;
        let links: Vec<String> = (1..=3)
            .map(|index| format!("{}/files/stem-{index}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        let before = session.wait_for_rows_settled(3).await;
        assert!(before.iter().all(|row| row.state == "done"), "{before:#?}");

        session.press("Clear list").await;
        session
            .wait_for_text("Your 3 uploads are in History.", Duration::from_secs(5))
            .await;
        session
            .wait_for(
                "the rows to leave the list",
                Duration::from_secs(5),
                |client| async move {
                    let left = client
                        .execute(
                            "return document.querySelectorAll('#rows > li').length;",
                            vec![],
                        )
                        .await
                        .ok()?;
                    (left.as_u64()? == 0).then_some(())
                },
            )
            .await
            .expect("the cleared rows leave the list");
        let text = session.text().await;
        assert!(
            !text.contains("Nothing uploaded yet"),
            "the list does not say nothing was uploaded: {text}"
        );

        session.press("Undo").await;
        let after = session.wait_for_rows_settled(3).await;
        let ids = |rows: &[crate::harness::Row]| {
            let mut ids: Vec<String> = rows.iter().filter_map(|row| row.audio_id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(&after),
            ids(&before),
            "the same rows, with their audio IDs"
        );
        assert_eq!(session.sim.issued().len(), 3, "nothing sent again");
        session
    })
    .await;
}

/// Pastes `count` links named after `name` and waits until all are done.
async fn paste_and_finish(session: &mut Session, name: &str, count: u64) {
    let links: Vec<String> = (1..=count)
        .map(|index| format!("{}/files/{name}-{index:04}.wav", session.sim.base_url()))
        .collect();
    write_clipboard(&links.join("\n"));
    session.paste_anywhere().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let (finished, total, text) = crate::batch_state(session).await;
        if (finished, total) == (count, count) && text.starts_with(&format!("{count} of")) {
            return;
        }
        if std::time::Instant::now() > deadline {
            session
                .fail(&format!(
                    "{name}: {finished} of {total} after 120 s: {text}"
                ))
                .await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Clearing a list of 1,000 rows with nothing running starts the page afresh in a new page
/// process, which gives back what the rows cost it. The driver's session ends with the page
/// process it drove (WebKitWebDriver ends a session whose page process ends), so what the new page
/// shows is read from the X server's screen (`target/e2e/long_clear-afresh.png`); the note kept
/// for it is tested in the app's IPC tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clearing_a_long_list_gives_its_memory_back() {
    run_with(
        "long_clear",
        &[],
        crate::thousand_sim(),
        |mut session| async move {
            session.enter_token("sim-token").await;
            // The empty list to compare with is one that has shown rows before (code compiled,
            // styles loaded); 20 rows are not a long list: cleared in the same page.
            paste_and_finish(&mut session, "warm", 20).await;
            let page = session.page_pid();
            session.press("Clear list").await;
            session.wait_for_rows_settled(0).await;
            assert_eq!(
                session.page_pid(),
                page,
                "a short list is cleared in the same page"
            );
            let empty = session.settled_page_memory().await.expect("page memory");
            paste_and_finish(&mut session, "long", 1000).await;
            let full = session.settled_page_memory().await.expect("page memory");
            // The page process's own heaps (anonymous memory), which other processes cannot share.
            let cost = full.anon_kib.saturating_sub(empty.anon_kib);
            assert!(
                cost > 4 * 1024,
                "1,000 rows cost the page more than 4 MiB: {empty:?} then {full:?}"
            );

            session
                .run_script("window.scrollTo(0, 0); return true;", vec![])
                .await;
            session.press("Clear list").await;
            // Less than half of what the rows cost is still held within 30 s (in the same page,
            // nearly all of it stays: README, "Memory of a long list").
            let enough = empty.anon_kib + cost / 2;
            let cleared = session
                .lowest_page_memory(Duration::from_secs(30), enough)
                .await
                .expect("page memory");
            assert!(
                cleared.anon_kib < enough,
                "1,000 rows cost {cost} KiB; after Clear list {} KiB are still held",
                cleared.anon_kib.saturating_sub(empty.anon_kib)
            );
            assert_ne!(session.page_pid(), page, "a new page process");
            tokio::time::sleep(Duration::from_secs(2)).await;
            session.screenshot("long_clear-afresh").await;
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_start_stopped_uploads_are_named_with_retry_them() {
    run("stopped_on_start", |mut session| async move {
        session.enter_token("sim-token").await;
        let history = History::open(session.data_dir.path()).unwrap();
        let uploads: Vec<NewUpload> = (1..=3)
            .map(|index| {
                let link = format!("{}/files/stopped-{index}.wav", session.sim.base_url());
                NewUpload {
                    given_url: link.clone(),
                    audio_url: link.parse().unwrap(),
                    source: Source::App,
                }
            })
            .collect();
        history.record_interrupted(&uploads).unwrap();
        // A dropped file taken but never hosted before the app stopped: its copy went with it.
        history
            .record_queued_files(&[("gone-take.wav".into(), 1_000)], Source::App)
            .unwrap();
        drop(history);
        session.restart().await;
        session
            .wait_for_text(
                "4 uploads were stopped before they finished.",
                Duration::from_secs(10),
            )
            .await;

        session.press("Retry them").await;
        let rows = session.wait_for_rows_settled(3).await;
        assert!(rows.iter().all(|row| row.state == "done"), "{rows:#?}");
        assert_eq!(session.sim.issued().len(), 3);
        // The file that could not go is named with why, not skipped in silence.
        session
            .wait_for_text(
                "1 stopped upload could not be sent again: The copy of gone-take.wav",
                Duration::from_secs(5),
            )
            .await;
        // Each settled its own record: nothing is left stopped, nothing was added.
        let history = History::open(session.data_dir.path()).unwrap();
        let stopped = history
            .count(&Query {
                states: vec![State::Interrupted],
                ..Query::default()
            })
            .unwrap();
        assert_eq!(stopped, 1, "the file keeps its own Retry in History");
        assert_eq!(history.count(&Query::default()).unwrap(), 4);
        session
    })
    .await;
}

/// The height of each row drawn, and whether each done row's Remove is on its audio ID's line.
async fn row_shapes(session: &mut crate::harness::Session) -> serde_json::Value {
    session
        .run_script(
            "return [...document.querySelectorAll('#rows > li')].map((li) => {
               const copy = li.querySelector('button[aria-label=\"Copy ID\"]');
               const remove = li.querySelector('button[aria-label=\"Remove from list\"]');
               const line = (el) => el ? Math.round(el.getBoundingClientRect().top) : null;
               return { state: li.dataset.state, height: li.getBoundingClientRect().height,
                        copy: line(copy), remove: line(remove) };
             });",
            vec![],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_done_row_is_compact_with_its_actions_on_its_audio_ids_line() {
    run("compact_rows", |mut session| async move {
        session.enter_token("sim-token").await;
        let mut links: Vec<String> = (1..=6)
            .map(|index| format!("{}/files/stem-{index:02}.wav", session.sim.base_url()))
            .collect();
        links.push(format!(
            "{}/files/bass.wav?sim_fault=error500",
            session.sim.base_url()
        ));
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        session.wait_for_rows_settled(7).await;
        for (width, name) in [(1280, "compact-list-1280"), (480, "compact-list-480")] {
            session
                .client
                .set_window_size(width, 800)
                .await
                .expect("resize the window");
            tokio::time::sleep(Duration::from_millis(500)).await;
            let shapes = row_shapes(&mut session).await;
            let rows = shapes.as_array().expect("rows");
            assert!(!rows.is_empty(), "{shapes}");
            for row in rows.iter().filter(|row| row["state"] == "done") {
                // About half the 156 px a done row took with Remove on a line of its own.
                let most = if width >= 1280 { 86.0 } else { 110.0 };
                assert!(
                    row["height"].as_f64().unwrap() <= most,
                    "a done row at {width} px: {row}"
                );
                if width >= 1280 {
                    assert_eq!(row["copy"], row["remove"], "Remove beside Copy ID: {row}");
                }
            }
            // The done rows in view, under the failed one.
            session
                .run_script(
                    "document.querySelector('#rows > li[data-state=\"done\"]')
                       .scrollIntoView({ block: 'center' }); return true;",
                    vec![],
                )
                .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let shot = session.screenshot(name).await;
            crate::harness::publish_screenshot(&shot, &format!("{name}.png"));
        }
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_failures_are_told_once_with_the_button_that_fixes_them() {
    run("grouped_failures", |mut session| async move {
        session.enter_token("sim-error-used_up").await;
        let links: Vec<String> = (1..=5)
            .map(|index| format!("{}/files/take-{index}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        let rows = session.wait_for_rows_settled(5).await;
        assert!(
            rows.iter()
                .all(|row| row.code.as_deref() == Some("used_up")),
            "{rows:#?}"
        );
        session
            .wait_for_text("5 links: ", Duration::from_secs(5))
            .await;
        let shown = session
            .run_script(
                "const visible = (el) => el.getClientRects().length > 0;
                 const named = (name) => [...document.querySelectorAll('button')]
                   .filter((b) => visible(b) && b.textContent.trim() === name).length;
                 const group = document.querySelector('.failure-group');
                 return { group: group && group.textContent, topUp: named('Top up balance'),
                          retryThese: named('Retry these'),
                          grouped: document.querySelectorAll('#rows .row-error.grouped').length,
                          rows: document.querySelectorAll('#rows > li').length };",
                vec![],
            )
            .await;
        assert!(
            shown["group"]
                .as_str()
                .unwrap_or_default()
                .contains("balance"),
            "{shown}"
        );
        assert_eq!(
            shown["topUp"],
            json!(1),
            "one Top up balance, on the group's line: {shown}"
        );
        assert_eq!(shown["retryThese"], json!(1), "{shown}");
        assert_eq!(
            shown["grouped"], shown["rows"],
            "each row tells it on one line: {shown}"
        );
        session.screenshot("grouped-failures").await;
        session
    })
    .await;
}
