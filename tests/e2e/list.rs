//! The list's own notes: after "Clear list" where the uploads went, with Undo; on start, the
//! uploads stopped before they finished, with Retry them.

use crate::harness::{run, write_clipboard};
use producer_upload::history::{History, NewUpload, Query, Source, State};
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
        drop(history);
        session.restart().await;
        session
            .wait_for_text(
                "3 uploads were stopped before they finished.",
                Duration::from_secs(10),
            )
            .await;

        session.press("Retry them").await;
        let rows = session.wait_for_rows_settled(3).await;
        assert!(rows.iter().all(|row| row.state == "done"), "{rows:#?}");
        assert_eq!(session.sim.issued().len(), 3);
        // Each settled its own record: nothing is left stopped, nothing was added.
        let history = History::open(session.data_dir.path()).unwrap();
        let stopped = history
            .count(&Query {
                states: vec![State::Interrupted],
                ..Query::default()
            })
            .unwrap();
        assert_eq!(stopped, 0);
        assert_eq!(history.count(&Query::default()).unwrap(), 3);
        session
    })
    .await;
}
