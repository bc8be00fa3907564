//! Audio files from this computer in the real window: dropped as the page receives them from the
//! system (a `drop` whose `DataTransfer` holds `File` objects with real audio bytes), handed to
//! the app a chunk at a time, hosted on the simulator's file host with the platform token, then
//! uploaded for their audio IDs.

use crate::harness::{run, run_with, Role, Row, Session};
use producer_sim::samples::{silent_mp3, tone_wav, wav_header};
use producer_sim::SimConfig;
use producer_upload::keychain::TokenStore;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The platform token the simulator's file host accepts.
const PLATFORM_TOKEN: &str = "platform-sim-token";

/// A file to drop: its name, media type and bytes.
struct DroppedFile {
    name: String,
    media_type: &'static str,
    bytes: Vec<u8>,
    /// Made in the page from its 44-byte header by [`DroppedFile::patterned_wav`]'s rule, so
    /// that a file of several chunks need not cross WebDriver byte by byte.
    patterned: bool,
}

impl DroppedFile {
    fn new(name: &str, media_type: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            name: name.to_owned(),
            media_type,
            bytes,
            patterned: false,
        }
    }

    /// A WAV file of `len` bytes: a real header, then byte `at` is `at % 251`.
    fn patterned_wav(name: &str, len: usize) -> Self {
        let mut bytes = wav_header((len - 44) as u32);
        bytes.extend((bytes.len()..len).map(|at| (at % 251) as u8));
        Self {
            patterned: true,
            ..Self::new(name, "audio/wav", bytes)
        }
    }
}

/// Drops `files` on the window, and `links` as a browser drags them.
async fn drop_files(session: &mut Session, files: &[DroppedFile], links: &[String]) {
    let files: Vec<Value> = files
        .iter()
        .map(|file| {
            json!({
                "name": file.name,
                "type": file.media_type,
                "size": file.bytes.len(),
                "bytes": if file.patterned { &file.bytes[..44] } else { &file.bytes[..] },
                "patterned": file.patterned,
            })
        })
        .collect();
    session
        .drop_data(
            "const [files, uriList] = arguments;
             for (const file of files) {
               const bytes = new Uint8Array(file.size);
               bytes.set(file.bytes);
               if (file.patterned) for (let at = file.bytes.length; at < file.size; at += 1) bytes[at] = at % 251;
               data.items.add(new File([bytes], file.name, { type: file.type }));
             }
             if (uriList) data.setData('text/uri-list', uriList);",
            vec![json!(files), json!(links.join("\r\n"))],
        )
        .await;
}

/// Waits until `count` rows exist and each has finished (done, failed, rejected or stopped);
/// returns them.
async fn wait_for_rows_finished(session: &mut Session, count: usize) -> Vec<Row> {
    wait_for_rows(session, &format!("{count} finished rows"), |rows| {
        rows.len() == count
            && rows.iter().all(|row| {
                matches!(
                    row.state.as_str(),
                    "done" | "failed" | "rejected" | "interrupted"
                )
            })
    })
    .await
}

/// Waits until the rows as shown satisfy `ready`; returns them.
async fn wait_for_rows(
    session: &mut Session,
    what: &str,
    ready: impl Fn(&[Row]) -> bool,
) -> Vec<Row> {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let rows = session.rows().await;
        if ready(&rows) {
            return rows;
        }
        if Instant::now() > deadline {
            session
                .fail(&format!("expected {what} within 40 s, have {rows:#?}"))
                .await;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

fn row_named<'a>(rows: &'a [Row], name: &str) -> &'a Row {
    rows.iter()
        .find(|row| row.link == name)
        .unwrap_or_else(|| panic!("no row for {name}: {rows:#?}"))
}

/// Asserts that `file` was hosted whole on the simulator's file host, and that the row's audio
/// ID was issued for its hosted link.
fn assert_hosted_and_uploaded(session: &Session, row: &Row, file: &DroppedFile) {
    assert_eq!(row.state, "done", "{row:#?}");
    let hosted = session.sim.hosted_files();
    let copy = hosted
        .iter()
        .find(|hosted| hosted.file_name == file.name)
        .unwrap_or_else(|| panic!("{} was not hosted: {hosted:#?}", file.name));
    let stored = std::fs::read(&copy.path).expect("the hosted copy");
    assert!(
        stored == file.bytes,
        "{}: the hosted bytes differ",
        file.name
    );
    let audio_id = row.audio_id.as_deref().expect("an audio id is shown");
    let issued = session.sim.issued();
    assert!(
        issued
            .iter()
            .any(|id| id.audio_id == audio_id && id.audio_url == copy.file_url),
        "{audio_id} was not issued for {}: {issued:#?}",
        copy.file_url
    );
}

/// Saves the platform token through Settings, as a musician who has one would.
async fn save_platform_token_in_settings(session: &mut Session) {
    session.press("Settings").await;
    session.press("Add a platform token").await;
    session.type_into("Platform token", PLATFORM_TOKEN).await;
    session.press("Save platform token").await;
    session.find(Role::TextBox, "Audio link").await;
}

/// The keychain's platform token entry for this app.
async fn platform_keychain(session: &Session) -> producer_upload::keychain::TokenStatus {
    let store = TokenStore::new(session.keychain_service.clone());
    tokio::task::spawn_blocking(move || store.platform_status())
        .await
        .unwrap()
        .expect("the keychain can be read")
}

/// Removes the test's platform token entry (the session removes the API token's).
async fn forget_platform_token(session: &Session) {
    let store = TokenStore::new(session.keychain_service.clone());
    let _ = tokio::task::spawn_blocking(move || store.delete_platform()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_audio_files_ask_for_the_platform_token_then_end_with_audio_ids() {
    run("files_dropped", |mut session| async move {
        session.enter_token("sim-token").await;
        let files = [
            DroppedFile::new("Verse take 3.wav", "audio/wav", tone_wav(250, 0)),
            DroppedFile::new("chorus.mp3", "audio/mpeg", silent_mp3(20)),
            // Two chunks and a bit: handed over in order, a chunk at a time.
            DroppedFile::patterned_wav("long mix.wav", 2_500_000),
        ];
        let link = format!("{}/files/bridge.wav", session.sim.base_url());
        drop_files(&mut session, &files, std::slice::from_ref(&link)).await;

        // Without a platform token, its screen asks for it and says what it is.
        session
            .find(Role::Heading, "Platform token for files from your computer")
            .await;
        let text = session.text().await;
        assert!(text.contains("platform-"), "{text}");
        assert!(text.contains("Your API token is not it"), "{text}");
        session.screenshot("platform-token").await;
        // The API token is not it: refused in place, nothing saved.
        session.type_into("Platform token", "sim-token").await;
        session.press("Save platform token").await;
        session
            .find(Role::Heading, "Platform token for files from your computer")
            .await;
        let refused = session
            .wait_for("the refusal", Duration::from_secs(5), |client| async move {
                let shown = client
                    .execute(
                        "const error = document.getElementById('platform-token-error');
                         return error.hidden ? '' : error.textContent;",
                        vec![],
                    )
                    .await
                    .ok()?;
                shown
                    .as_str()
                    .filter(|text| !text.is_empty())
                    .map(str::to_owned)
            })
            .await;
        assert!(
            refused.is_some(),
            "the API token was taken as the platform token"
        );
        assert!(!platform_keychain(&session).await.saved);

        // The rows go on meanwhile: the link is uploaded, the files wait for the token.
        session.press("Back to uploads").await;
        let rows = wait_for_rows_finished(&mut session, 4).await;
        assert_eq!(row_named(&rows, &link).state, "done", "{rows:#?}");
        for file in &files {
            let row = row_named(&rows, &file.name);
            assert_eq!(row.state, "failed", "{row:#?}");
            assert_eq!(
                row.code.as_deref(),
                Some("platform_token_missing"),
                "{row:#?}"
            );
        }
        assert!(
            session.sim.host_requests().is_empty(),
            "nothing was sent to the file host"
        );
        // One row per dropped item, in drop order (the list shows the newest first).
        let order: Vec<&str> = rows.iter().rev().map(|row| row.link.as_str()).collect();
        assert_eq!(
            order,
            [
                link.as_str(),
                "Verse take 3.wav",
                "chorus.mp3",
                "long mix.wav"
            ],
            "{rows:#?}"
        );
        let long = row_named(&rows, "long mix.wav");
        assert!(long.text.contains("2.5 MB"), "{long:#?}");
        session.screenshot("files-need-the-platform-token").await;

        // The row's button leads to the screen; saving the token sends the files by itself.
        session.press("Enter platform token").await;
        session
            .find(Role::Heading, "Your platform token needs attention")
            .await;
        session.type_into("Platform token", PLATFORM_TOKEN).await;
        session.press("Save platform token").await;
        session.find(Role::TextBox, "Audio link").await;
        let rows = wait_for_rows(&mut session, "every row done", |rows| {
            rows.len() == 4 && rows.iter().all(|row| row.state == "done")
        })
        .await;
        for file in &files {
            assert_hosted_and_uploaded(&session, row_named(&rows, &file.name), file);
        }
        // The platform token went only to the file host, the API token only to the API.
        for request in session.sim.host_requests() {
            assert_eq!(
                request.header("authorization"),
                Some(format!("Bearer {PLATFORM_TOKEN}").as_str())
            );
        }
        for request in session.sim.requests() {
            assert_eq!(request.header("authorization"), Some("Bearer sim-token"));
        }
        let kept = platform_keychain(&session).await;
        assert!(kept.saved);
        assert_eq!(kept.last_four.as_deref(), Some("oken"));
        session.screenshot("files-done").await;

        // Settings show both tokens; the platform token can be removed there.
        session.press("Settings").await;
        session
            .wait_for_text(
                "A platform token ending in …oken is saved in your system keychain.",
                Duration::from_secs(5),
            )
            .await;
        session
            .wait_for_text(
                "A token is saved in your system keychain.",
                Duration::from_secs(5),
            )
            .await;
        session.screenshot("settings-both-tokens").await;
        session.press("Replace or remove the platform token").await;
        session.press("Remove platform token").await;
        session
            .wait_for_text("No platform token is saved", Duration::from_secs(5))
            .await;
        assert!(!platform_keychain(&session).await.saved);
        assert!(
            session.keychain_status().await.unwrap().saved,
            "the API token stays"
        );
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_audio_is_refused_on_its_row_and_nothing_is_sent() {
    run("files_not_audio", |mut session| async move {
        session.enter_token("sim-token").await;
        save_platform_token_in_settings(&mut session).await;
        let files = [
            DroppedFile::new(
                "lyrics.txt",
                "text/plain",
                b"Verse one\nla la la\n".repeat(40),
            ),
            // Named like audio, but its first bytes are not.
            DroppedFile::new("cover.wav", "audio/wav", b"\x89PNG\r\n\x1a\n".repeat(64)),
        ];
        drop_files(&mut session, &files, &[]).await;
        let rows = wait_for_rows_finished(&mut session, 2).await;
        for row in &rows {
            assert_eq!(row.state, "rejected", "{row:#?}");
            assert_eq!(row.code.as_deref(), Some("not_audio"), "{row:#?}");
            assert!(!row.text.contains("Retry"), "{row:#?}");
        }
        assert!(session.sim.host_requests().is_empty(), "nothing was hosted");
        assert!(session.sim.requests().is_empty(), "nothing was uploaded");
        session.screenshot("file-not-audio").await;
        forget_platform_token(&session).await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_file_dropped_again_reuses_its_hosted_link() {
    run("files_reused", |mut session| async move {
        session.enter_token("sim-token").await;
        save_platform_token_in_settings(&mut session).await;
        let first = DroppedFile::new("hook.wav", "audio/wav", tone_wav(200, 7));
        drop_files(&mut session, std::slice::from_ref(&first), &[]).await;
        let rows = wait_for_rows_finished(&mut session, 1).await;
        assert_hosted_and_uploaded(&session, &rows[0], &first);
        assert!(!rows[0].text.contains("Reused"), "{rows:#?}");

        // The same file again (same bytes, same name): not hosted again, and the row says so.
        let again = DroppedFile::new("hook.wav", "audio/wav", first.bytes.clone());
        drop_files(&mut session, std::slice::from_ref(&again), &[]).await;
        let rows = wait_for_rows_finished(&mut session, 2).await;
        let row = rows
            .iter()
            .find(|row| row.text.contains("Reused"))
            .unwrap_or_else(|| panic!("a reused row: {rows:#?}"));
        assert_eq!(row.state, "done", "{row:#?}");
        assert!(row.text.contains("Reused your earlier upload"), "{row:#?}");
        let hosted = session.sim.hosted_files();
        assert_eq!(hosted.len(), 1, "hosted once: {hosted:#?}");
        let audio_id = row.audio_id.as_deref().unwrap();
        assert!(session
            .sim
            .issued()
            .iter()
            .any(|id| id.audio_id == audio_id && id.audio_url == hosted[0].file_url));
        session.screenshot("file-reused").await;

        // The reused row offers to put the file on the host again: a new row, a link of its own.
        session.press("Upload the file again").await;
        let rows = wait_for_rows_finished(&mut session, 3).await;
        let hosted = session.sim.hosted_files();
        assert_eq!(hosted.len(), 2, "hosted again: {hosted:#?}");
        assert_ne!(hosted[0].file_url, hosted[1].file_url);
        assert_eq!(std::fs::read(&hosted[1].path).unwrap(), first.bytes);
        let new_row = rows
            .iter()
            .find(|row| {
                row.audio_id.as_deref().is_some_and(|id| {
                    session.sim.issued().iter().any(|issued| {
                        issued.audio_id == id && issued.audio_url == hosted[1].file_url
                    })
                })
            })
            .unwrap_or_else(|| panic!("a row with the new link's audio ID: {rows:#?}"));
        assert!(!new_row.text.contains("Reused"), "{new_row:#?}");
        forget_platform_token(&session).await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_file_on_its_way_and_retry_sends_it() {
    run("files_cancel", |mut session| async move {
        session.enter_token("sim-token").await;
        save_platform_token_in_settings(&mut session).await;
        // The file host keeps the first upload of this name waiting for an answer.
        let file = DroppedFile::new(
            "slow sim_fault=hang sim_times=1.wav",
            "audio/wav",
            tone_wav(300, 3),
        );
        drop_files(&mut session, std::slice::from_ref(&file), &[]).await;
        let rows = wait_for_rows(&mut session, "the file being hosted", |rows| {
            rows.len() == 1 && rows[0].state == "hosting"
        })
        .await;
        assert!(rows[0].text.contains("to Ace Data Cloud"), "{rows:#?}");
        session.screenshot("file-hosting").await;
        // The row's own Cancel (the batch bar has one too).
        let cancel = session
            .client
            .find(fantoccini::Locator::XPath(
                "//ol[@id='rows']//button[normalize-space(.)='Cancel']",
            ))
            .await
            .expect("a Cancel button on the row");
        cancel.click().await.expect("click Cancel");
        let rows = wait_for_rows_finished(&mut session, 1).await;
        assert_eq!(rows[0].state, "interrupted", "{rows:#?}");
        assert!(session.sim.hosted_files().is_empty());

        session.press("Retry").await;
        let rows = wait_for_rows(&mut session, "the row done", |rows| {
            rows.len() == 1 && rows[0].state == "done"
        })
        .await;
        assert_hosted_and_uploaded(&session, &rows[0], &file);
        forget_platform_token(&session).await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_the_platform_token_can_be_used_for_this_session_only() {
    // A session bus that does not exist: no keychain can be reached.
    let no_bus = [(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/producer-uploader-bus",
    )];
    run_with(
        "files_no_keychain",
        &no_bus,
        SimConfig::default(),
        |mut session| async move {
            session
                .wait_for_text("Your keychain could not be used", Duration::from_secs(30))
                .await;
            session.type_into("API token", "sim-token").await;
            session.press("Use for this session only").await;
            session.find(Role::TextBox, "Audio link").await;

            let file = DroppedFile::new("offline.wav", "audio/wav", tone_wav(150, 11));
            drop_files(&mut session, std::slice::from_ref(&file), &[]).await;
            session
                .find(Role::Heading, "Platform token for files from your computer")
                .await;
            // The platform token screen says why the keychain cannot keep it, and offers the
            // session instead.
            session
                .wait_for_text("Your keychain could not be used", Duration::from_secs(5))
                .await;
            session.type_into("Platform token", PLATFORM_TOKEN).await;
            session.press("Use for this session only").await;
            session.find(Role::TextBox, "Audio link").await;
            let rows = wait_for_rows(&mut session, "the row done", |rows| {
                rows.len() == 1 && rows[0].state == "done"
            })
            .await;
            assert_hosted_and_uploaded(&session, &rows[0], &file);

            session.press("Settings").await;
            session
                .wait_for_text(
                    "A platform token ending in …oken is kept for this session only",
                    Duration::from_secs(5),
                )
                .await;
            // Nothing was written to disk: the settings folder holds no token.
            for entry in std::fs::read_dir(session.data_dir.path()).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                assert!(!text.contains(PLATFORM_TOKEN));
            }
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosting_says_once_that_a_file_becomes_a_link_and_history_lists_hosted_files() {
    run("files_hosting_notice", |mut session| async move {
        session.enter_token("sim-token").await;
        save_platform_token_in_settings(&mut session).await;
        let file = DroppedFile::new("notice.wav", "audio/wav", tone_wav(200, 5));
        let link = format!("{}/files/plain.wav", session.sim.base_url());
        drop_files(
            &mut session,
            std::slice::from_ref(&file),
            std::slice::from_ref(&link),
        )
        .await;
        let rows = wait_for_rows_finished(&mut session, 2).await;
        assert_hosted_and_uploaded(&session, row_named(&rows, "notice.wav"), &file);

        // The first hosting: one sentence, until acknowledged.
        session
            .wait_for_text("anyone who has the link can open", Duration::from_secs(10))
            .await;
        session.press("Got it").await;
        let hidden = session
            .run_script(
                "return document.getElementById('hosting-notice').hidden;",
                vec![],
            )
            .await;
        assert_eq!(hidden, json!(true));
        let settings = std::fs::read_to_string(session.data_dir.path().join("settings.json"))
            .unwrap_or_default();
        assert!(
            settings.contains("\"hosting_notice_seen\": true"),
            "{settings}"
        );

        // History's "Hosted files only": the file, with its hosted link; not the link.
        session.press("History").await;
        session.find(Role::Heading, "Upload history").await;
        session
            .wait_for_text("2 uploads, newest first", Duration::from_secs(10))
            .await;
        session
            .run_script(
                "const label = [...document.querySelectorAll('label')]
                   .find((label) => label.textContent.trim() === 'Hosted files only');
                 label.querySelector('input').click();
                 return true;",
                vec![],
            )
            .await;
        session
            .wait_for_text("1 upload matches your search", Duration::from_secs(10))
            .await;
        let hosted = session.sim.hosted_files();
        let shown = session
            .run_script(
                "return document.getElementById('history-rows').textContent;",
                vec![],
            )
            .await;
        let shown = shown.as_str().unwrap_or_default();
        assert!(shown.contains("notice.wav"), "{shown}");
        assert!(shown.contains(&hosted[0].file_url), "{shown}");
        assert!(!shown.contains("plain.wav"), "{shown}");
        forget_platform_token(&session).await;
        session
    })
    .await;
}
