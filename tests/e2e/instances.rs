//! One app at a time on a data folder: a second launch brings the running window forward and
//! exits, leaving the first one's waiting files alone.

use crate::harness::{run, Session};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The running app's folder of waiting files (`incoming/<session id>`).
fn waiting_files_folder(session: &Session) -> PathBuf {
    let parent = session.data_dir.path().join("incoming");
    let folders: Vec<PathBuf> = std::fs::read_dir(&parent)
        .unwrap_or_else(|error| panic!("{}: {error}", parent.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    assert_eq!(folders.len(), 1, "one running app, one folder: {folders:?}");
    folders[0].clone()
}

/// Every line the app wrote to its log files.
pub fn log_text(session: &Session) -> String {
    let folder = session.data_dir.path().join("logs");
    std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_shows_the_running_window_and_leaves_its_files_alone() {
    run("one_app", |mut session| async move {
        // A folder of the person's own named `incoming` would be there too; and a file the
        // running app is still waiting to host.
        let waiting = waiting_files_folder(&session).join("verse.wav");
        std::fs::write(&waiting, b"RIFF....WAVE").unwrap();

        let started = Instant::now();
        let mut second = session
            .app_command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the app a second time");
        let status = loop {
            if let Some(status) = second.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = second.kill();
                session
                    .fail("the second launch was still running after 20 s")
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        eprintln!(
            "second launch exited in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        assert!(status.success(), "{status}");
        assert_eq!(
            std::fs::read(&waiting).unwrap(),
            b"RIFF....WAVE",
            "the running app's waiting file is untouched"
        );
        assert_eq!(
            waiting_files_folder(&session),
            waiting.parent().unwrap(),
            "the second launch made no folder of its own"
        );
        // The running app was told, and its window still answers.
        let told = session
            .wait_for(
                "the running app to be told",
                Duration::from_secs(10),
                |_| {
                    let text = log_text(&session);
                    async move { text.contains("brought this window forward").then_some(()) }
                },
            )
            .await;
        if told.is_none() {
            session
                .fail("the running app was not told of the second launch")
                .await;
        }
        session.wait_until_ready().await;
        session
    })
    .await;
}
