//! A musician's day with the app: keyboard focus that is never lost, text size and the window's
//! size and place kept across a restart, history searched by the dates it shows and filtered to
//! failed uploads.

use crate::harness::{read_clipboard, run, run_with, write_clipboard, Role, Session};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use producer_sim::SimConfig;
use producer_upload::history::{History, NewUpload, Source};
use std::time::Duration;

/// Presses Ctrl and `key` together.
async fn press_ctrl(session: &mut Session, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: '\u{e009}' })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: '\u{e009}' });
    session
        .client
        .perform_actions(keys)
        .await
        .expect("press a shortcut");
}

/// The page's width in CSS pixels (smaller when the text is larger).
async fn page_width(session: &mut Session) -> f64 {
    let width = session
        .run_script("return document.documentElement.clientWidth;", vec![])
        .await;
    width.as_f64().unwrap_or_default()
}

/// The id of the focused element ("" for the page itself).
async fn focused_id(session: &mut Session) -> String {
    let id = session
        .run_script(
            "const el = document.activeElement;
             return el && el !== document.body ? el.id || el.tagName : '';",
            vec![],
        )
        .await;
    id.as_str().unwrap_or_default().to_owned()
}

/// Waits until the focused element is `id`.
async fn wait_for_focus_on(session: &mut Session, id: &str) {
    for _ in 0..200 {
        if focused_id(session).await == id {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let now = focused_id(session).await;
    session
        .fail(&format!("focus is on {now:?}, not on {id:?}"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn focus_follows_pause_resume_and_the_close_dialog() {
    let sim = SimConfig {
        latency: Duration::from_millis(400),
        ..Default::default()
    };
    run_with("focus_batch", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        let links: Vec<String> = (1..=30)
            .map(|index| format!("{}/files/take-{index:02}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        // After Ctrl+V focus is not left on the hidden paste box.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_ne!(focused_id(&mut session).await, "paste-catcher");

        session.press("Pause").await;
        wait_for_focus_on(&mut session, "batch-resume").await;
        session.press("Resume").await;
        wait_for_focus_on(&mut session, "batch-pause").await;

        // The close dialog, closed with Esc: focus comes back to the window.
        session
            .run_script(
                "const dialog = document.getElementById('close-dialog');
                 window.focusLog = [];
                 const log = (what) => (event) => window.focusLog.push(
                   `${what}:${(event.target && event.target.id) || '?'}>${document.activeElement && document.activeElement.id}`);
                 for (const name of ['close', 'cancel']) dialog.addEventListener(name, log(name));
                 document.addEventListener('focusin', log('in'), true);
                 document.addEventListener('focusout', log('out'), true);
                 dialog.showModal();
                 document.getElementById('close-background').focus(); return true;",
                vec![],
            )
            .await;
        session.press_key('\u{e00c}').await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let open = session
            .run_script(
                "return document.getElementById('close-dialog').open;",
                vec![],
            )
            .await;
        assert_eq!(open, serde_json::json!(false), "Esc closes the dialog");
        // Focus is back in the window (on the control it came from), and when that control goes
        // away with the batch, focus moves on to one that is there.
        let log = session.run_script("return window.focusLog;", vec![]).await;
        assert_ne!(focused_id(&mut session).await, "", "focus lost after Esc: {log}");
        for _ in 0..200 {
            if session.sim.issued().len() == 30 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(session.sim.issued().len(), 30, "the batch ends");
        tokio::time::sleep(Duration::from_millis(800)).await;
        let shown = session
            .run_script(
                "const el = document.activeElement;
                 return el && el !== document.body && el.getClientRects().length > 0;",
                vec![],
            )
            .await;
        let now = focused_id(&mut session).await;
        assert_eq!(
            shown,
            serde_json::json!(true),
            "focus is on {now:?}, not on a control in view"
        );
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zoom_keys_change_the_text_size_and_it_is_kept() {
    run("zoom", |mut session| async move {
        session.enter_token("sim-token").await;
        let before = page_width(&mut session).await;
        press_ctrl(&mut session, '=').await;
        press_ctrl(&mut session, '=').await;
        session
            .wait_for_text("Text size 125%", Duration::from_secs(5))
            .await;
        let larger = page_width(&mut session).await;
        assert!(
            larger < before * 0.85,
            "at 125% the page is narrower in CSS pixels: {before} then {larger}"
        );
        let settings = std::fs::read_to_string(session.data_dir.path().join("settings.json"))
            .expect("the settings file");
        assert!(settings.contains("\"zoom_percent\": 125"), "{settings}");
        press_ctrl(&mut session, '0').await;
        session
            .wait_for_text("Text size 100%", Duration::from_secs(5))
            .await;
        let back = page_width(&mut session).await;
        assert!((back - before).abs() < 2.0, "{before} then {back}");
        session
    })
    .await;
}

/// The window's place and size on the screen, once they stop changing (the window system
/// applies a move or resize a moment after it is asked for).
async fn settled_window_rect(session: &mut Session) -> (u64, u64, u64, u64) {
    let mut last = None;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let rect = session
            .client
            .get_window_rect()
            .await
            .expect("the window's rectangle");
        if last == Some(rect) {
            return rect;
        }
        last = Some(rect);
    }
    last.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_size_place_and_text_size_come_back_after_a_restart() {
    run("restore_window", |mut session| async move {
        session.enter_token("sim-token").await;
        let first = settled_window_rect(&mut session).await;
        // Moved and resized as a person would drag it, away from where it first opened.
        let wanted = (140, 90, 760, 560);
        assert_ne!(first, wanted);
        session
            .client
            .set_window_rect(140, 90, 760, 560)
            .await
            .expect("move and resize the window");
        let placed = settled_window_rect(&mut session).await;
        assert_eq!(placed, wanted, "the window moved and resized");
        press_ctrl(&mut session, '=').await;
        press_ctrl(&mut session, '=').await;
        session
            .wait_for_text("Text size 125%", Duration::from_secs(5))
            .await;
        let zoomed_width = page_width(&mut session).await;

        // Closed with its close button, so the app quits as it does for a person, then opened
        // again on the same settings folder.
        session.restart().await;
        let saved = std::fs::read_to_string(session.data_dir.path().join(".window-state.json"))
            .expect("the window state was saved on quitting");
        session.find(Role::TextBox, "Audio link").await;
        let again = settled_window_rect(&mut session).await;
        assert_eq!(
            again, placed,
            "the window's place and size come back: {saved}"
        );
        let width = page_width(&mut session).await;
        assert!(
            (width - zoomed_width).abs() < 2.0 && width < 760.0 * 0.85,
            "the text size comes back at 125%: the page is {width} CSS px wide, was {zoomed_width}"
        );
        // And the keys go on from the size kept.
        press_ctrl(&mut session, '=').await;
        session
            .wait_for_text("Text size 150%", Duration::from_secs(5))
            .await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_finds_the_day_as_shown_and_filters_failed_uploads() {
    run("history_day", |mut session| async move {
        session.enter_token("sim-token").await;
        let good = format!("{}/files/night-drive.wav", session.sim.base_url());
        let glitch = format!(
            "{}/files/glitch.wav?sim_fault=notjson&sim_times=1",
            session.sim.base_url()
        );
        session.upload_and_settle(&good, 1).await;
        session.upload_and_settle(&glitch, 2).await;

        // Ctrl+F opens History with its search field.
        press_ctrl(&mut session, 'f').await;
        session.find(Role::Heading, "Upload history").await;
        wait_for_focus_on(&mut session, "history-search").await;
        session
            .wait_for_text("2 uploads, newest first", Duration::from_secs(5))
            .await;

        // Today, written as the list writes dates ("Nov 25" in English).
        let today = session
            .run_script(
                "return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
                   .format(new Date());",
                vec![],
            )
            .await;
        let today = today.as_str().unwrap().to_owned();
        session.type_into("Search history", &today).await;
        session
            .wait_for_text("2 uploads match your search", Duration::from_secs(5))
            .await;

        session
            .run_script(
                "const box = document.getElementById('history-failed-only');
                 box.click(); return box.checked;",
                vec![],
            )
            .await;
        session
            .wait_for_text("1 upload matches your search", Duration::from_secs(5))
            .await;
        let shown = session.text().await;
        assert!(shown.contains("glitch"), "{shown}");
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_empty_list_leads_to_the_history() {
    run("restart", |mut session| async move {
        session.enter_token("sim-token").await;
        session
            .wait_for_text("Nothing uploaded yet", Duration::from_secs(5))
            .await;
        // Uploads of an earlier run, in the history this app reads; then the window starts
        // again with an empty list, as after a restart.
        let history = History::open(session.data_dir.path()).unwrap();
        let uploads: Vec<NewUpload> = (1..=3)
            .map(|index| {
                let link = format!("https://files.example/earlier-{index}.wav");
                NewUpload {
                    given_url: link.clone(),
                    audio_url: link.parse().unwrap(),
                    source: Source::App,
                }
            })
            .collect();
        history.record_interrupted(&uploads).unwrap();
        drop(history);
        session.reload().await;
        session
            .wait_for_text("3 earlier uploads are in History", Duration::from_secs(5))
            .await;
        assert!(!session.text().await.contains("Nothing uploaded yet"));
        session.press("Open History").await;
        session.find(Role::Heading, "Upload history").await;
        session
            .wait_for_text("earlier-3.wav", Duration::from_secs(5))
            .await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn done_rows_copy_with_their_names_for_a_spreadsheet() {
    run("copy_names", |mut session| async move {
        session.enter_token("sim-token").await;
        let verse = format!("{}/files/Verse%20final.wav", session.sim.base_url());
        let rows = session.upload_and_settle(&verse, 1).await;
        let audio_id = rows[0].audio_id.clone().expect("an audio id");
        session.press("Copy names and IDs").await;
        session
            .wait_for_text(
                "as a table that pastes into a spreadsheet",
                Duration::from_secs(5),
            )
            .await;
        assert_eq!(
            read_clipboard(),
            format!("Name\tAudio ID\tLink\nVerse final.wav\t{audio_id}\t{verse}")
        );
        session.press("Copy as CSV").await;
        session
            .wait_for_text("as CSV", Duration::from_secs(5))
            .await;
        assert_eq!(
            read_clipboard(),
            format!("Name,Audio ID,Link\r\nVerse final.wav,{audio_id},{verse}")
        );

        // One row leaves the list; the history keeps it.
        session.press("Remove from list").await;
        session
            .wait_for_text("It stays in History", Duration::from_secs(5))
            .await;
        assert!(session.rows().await.is_empty());
        session.press("History").await;
        session
            .wait_for_text(&audio_id, Duration::from_secs(5))
            .await;
        session
    })
    .await;
}

/// Everything said on the test's private session bus from now on, as `dbus-monitor` prints it.
pub(crate) struct BusMonitor {
    child: std::process::Child,
    output: std::path::PathBuf,
}

impl BusMonitor {
    pub(crate) fn start(name: &str) -> BusMonitor {
        let output = crate::harness::artifacts_dir().join(format!("{name}-bus.log"));
        let file = std::fs::File::create(&output).expect("the bus log");
        let child = std::process::Command::new("dbus-monitor")
            .arg("--session")
            .stdout(file)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dbus-monitor (package dbus-bin) watches the session bus");
        BusMonitor { child, output }
    }

    pub(crate) fn said(&self) -> String {
        std::fs::read_to_string(&self.output).unwrap_or_default()
    }

    /// Waits until the bus log contains every one of `needles`.
    pub(crate) async fn wait_for(&self, needles: &[&str], limit: Duration) -> bool {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            let said = self.said();
            if needles.iter().all(|needle| said.contains(needle)) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        false
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The names of the X windows on the display (the window title, whether shown or hidden).
fn window_names() -> String {
    std::process::Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default()
}

/// Waits up to 5 s for a window title that says `words`; panics with the titles and `what`
/// otherwise. (A title ends "– Producer Uploader"; xwininfo may not print the dash as it is.)
pub(crate) async fn wait_for_title(words: &str, what: &str) {
    let mut titled = String::new();
    for _ in 0..50 {
        titled = window_names();
        if titled.contains(words) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: {titled}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finishing_in_the_background_shows_progress_then_a_notification() {
    let sim = SimConfig {
        latency: Duration::from_millis(300),
        ..Default::default()
    };
    run_with("background", &[], sim, |mut session| async move {
        let monitor = BusMonitor::start("background");
        session.enter_token("sim-token").await;
        let links: Vec<String> = (1..=12)
            .map(|index| format!("{}/files/take-{index:02}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;

        // The window title tells the progress.
        wait_for_title(" of 12 done", "no progress in the title").await;

        // Closing asks; "Finish in background" hides the window, which the tray brings back.
        session.ask_to_close().await;
        session.press("Finish in background").await;
        assert!(
            monitor
                .wait_for(&["StatusNotifier"], Duration::from_secs(10))
                .await,
            "no status-area icon was offered on the bus: {}",
            monitor.said()
        );
        // When the batch ends: a notification with the counts, then the app quits.
        assert!(
            monitor
                .wait_for(
                    &["Notify", "Uploads finished", "12 of 12 done"],
                    Duration::from_secs(30)
                )
                .await,
            "no notification: {}",
            monitor.said()
        );
        assert_eq!(session.sim.issued().len(), 12);
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_notification_and_no_tray_icon_while_the_window_is_in_front() {
    // Two rounds of 3 s at four at a time: longer than the few seconds after which a batch is
    // worth a notification when the window cannot be seen.
    let sim = SimConfig {
        latency: Duration::from_millis(3000),
        ..Default::default()
    };
    run_with("in_front", &[], sim, |mut session| async move {
        let monitor = BusMonitor::start("in_front");
        session.enter_token("sim-token").await;
        let links: Vec<String> = (1..=8)
            .map(|index| format!("{}/files/take-{index:02}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        session.wait_for_rows_settled(8).await;
        assert_eq!(session.sim.issued().len(), 8);
        // What would have been sent is sent on the batch's last update: give it time to show.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let said = monitor.said();
        assert!(
            !said.contains("Uploads finished") && !said.contains("member=Notify"),
            "a notification while the window was in front: {said}"
        );
        assert!(
            !said.contains("StatusNotifier"),
            "a status-area icon while the window was in front: {said}"
        );
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_video_page_is_held_until_upload_anyway() {
    run("held_link", |mut session| async move {
        session.enter_token("sim-token").await;
        // Never fetched: the simulator stands in for the service, and a held link is not
        // checked.
        let page = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
        session.upload(page).await;
        session
            .wait_for_text("kept back", Duration::from_secs(5))
            .await;
        let rows = session.rows().await;
        assert_eq!(rows.len(), 1, "{rows:#?}");
        assert_eq!(rows[0].state, "held", "{rows:#?}");
        assert_eq!(rows[0].code.as_deref(), Some("not_audio_file"), "{rows:#?}");
        assert!(
            rows[0].text.contains("Not sent: needs your OK"),
            "{}",
            rows[0].text
        );
        assert!(rows[0].text.contains("YouTube"), "{}", rows[0].text);
        assert!(session.sim.issued().is_empty(), "a held link is not sent");
        session.find(Role::Button, "Remove from list").await;

        // A link that fails once beside it: the bar, the list line and the window title say
        // the same, and Retry all failed sends that link, never the held one.
        let glitch = format!(
            "{}/files/glitch.wav?sim_fault=notjson&sim_times=1",
            session.sim.base_url()
        );
        session.upload(&glitch).await;
        session
            .wait_for_row_state(0, "failed", Duration::from_secs(20))
            .await;
        let counts = "0 of 2 done · 1 failed · 1 held";
        session.wait_for_text(counts, Duration::from_secs(5)).await;
        let said = session
            .run_script(
                "return [document.getElementById('batch-counts').textContent, \
                 document.getElementById('summary').textContent];",
                vec![],
            )
            .await;
        assert_eq!(
            said,
            serde_json::json!([counts, counts]),
            "bar and list line"
        );
        wait_for_title("0 of 2 done, 1 failed, 1 held", "the title says the same").await;
        session.press("Retry all failed").await;
        let rows = session
            .wait_for_row_state(0, "done", Duration::from_secs(20))
            .await;
        assert_eq!(rows[1].state, "held", "{rows:#?}");
        assert_eq!(session.sim.issued().len(), 1, "only the failed link went");

        session.press("Upload anyway").await;
        let rows = session
            .wait_for_row_state(1, "done", Duration::from_secs(20))
            .await;
        assert_eq!(rows.len(), 2, "{rows:#?}");
        let issued: Vec<_> = session
            .sim
            .issued()
            .into_iter()
            .filter(|issued| issued.audio_url == page)
            .collect();
        assert_eq!(issued.len(), 1);
        assert!(
            !rows[1].text.contains("try again"),
            "a done row carries no advice to try again: {}",
            rows[1].text
        );
        session
    })
    .await;
}

/// Whether the element the script's `selector` finds shows its whole text: nothing cut off
/// inside it, and its box inside the window.
async fn shown_whole(session: &mut Session, selector: &str) -> serde_json::Value {
    session
        .run_script(
            "const el = document.querySelector(arguments[0]);
             if (!el) return { found: false };
             const box = el.getBoundingClientRect();
             const holder = el.parentElement.getBoundingClientRect();
             return {
               found: true, text: el.textContent,
               whole: el.scrollWidth <= el.clientWidth + 1 && el.parentElement.scrollWidth <= el.parentElement.clientWidth + 1
                 && box.left >= holder.left - 1 && box.right <= holder.right + 1
                 && box.left >= 0 && box.right <= window.innerWidth + 1 && box.width > 0,
             };",
            vec![serde_json::json!(selector)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_at_480_px_shows_whole_ids_and_reasons_and_opens_links() {
    // The web browser, as the app finds it on this computer: a stand-in that writes down the
    // link it was asked to open.
    let browser = tempfile::tempdir().unwrap();
    let opened = browser.path().join("opened.txt");
    let script = browser.path().join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).unwrap();
    let path = format!(
        "{}:{}",
        browser.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = [("PATH", path.as_str())];
    run_with("history_narrow", &env, SimConfig::default(), |mut session| async move {
        session.enter_token("sim-token").await;
        let good = format!("{}/files/night-drive.wav", session.sim.base_url());
        let glitch = format!(
            "{}/files/glitch.wav?sim_fault=notjson&sim_times=1",
            session.sim.base_url()
        );
        let rows = session.upload_and_settle(&good, 1).await;
        let audio_id = rows[0].audio_id.clone().expect("an audio id");
        session.upload_and_settle(&glitch, 2).await;

        session.client.set_window_size(480, 760).await.expect("a 480 px window");
        tokio::time::sleep(Duration::from_millis(400)).await;
        session.press("History").await;
        session
            .wait_for_text("2 uploads, newest first", Duration::from_secs(5))
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let width = page_width(&mut session).await;
        assert!(width <= 480.0, "the window is {width} px wide");
        session.screenshot("history-480").await;

        // The whole audio ID, in the row itself.
        let id = shown_whole(&mut session, ".history-row[data-state='done'] .audio-id").await;
        assert_eq!(id["text"], serde_json::json!(audio_id), "{id}");
        assert_eq!(id["whole"], serde_json::json!(true), "the ID is cut off: {id}");

        // The failure's whole reason, in Details, wrapped to the window.
        let reason = session
            .run_script(
                "return document.querySelector(\".history-row[data-state='failed'] .reason\").textContent;",
                vec![],
            )
            .await;
        let reason = reason.as_str().expect("a reason on the failed row").to_owned();
        session
            .run_script(
                "document.querySelector(\".history-row[data-state='failed'] button[aria-label='Details']\").click();
                 return true;",
                vec![],
            )
            .await;
        session.find(Role::Button, "Open link").await;
        let shown = session
            .run_script(
                "const terms = [...document.querySelectorAll('#record-facts dt')];
                 const reason = terms.find((dt) => dt.textContent === 'Reason').nextElementSibling;
                 reason.id = 'shown-reason';
                 return true;",
                vec![],
            )
            .await;
        assert_eq!(shown, serde_json::json!(true));
        let whole = shown_whole(&mut session, "#shown-reason").await;
        assert_eq!(whole["text"], serde_json::json!(reason), "{whole}");
        assert_eq!(whole["whole"], serde_json::json!(true), "the reason is cut off: {whole}");
        session.screenshot("history-480-details").await;

        // Open link hands the link to the web browser.
        session.press("Open link").await;
        for _ in 0..50 {
            if opened.exists() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let sent = std::fs::read_to_string(&opened).unwrap_or_default();
        assert_eq!(sent, glitch, "the browser was asked to open {sent:?}");
        session.press("Close").await;
        wait_for_focus_on(&mut session, "BUTTON").await;

        // Play preview plays the record's link, as upload rows do.
        session
            .run_script(
                "document.querySelector(\".history-row[data-state='done'] button[aria-label='Play preview']\").click();
                 return true;",
                vec![],
            )
            .await;
        session.find(Role::Button, "Close preview").await;
        let player = session
            .run_script(
                "const player = document.getElementById('player');
                 const toggle = document.getElementById('player-toggle');
                 return { src: player.currentSrc || player.src, error: player.error && player.error.code,
                          shown: toggle.getBoundingClientRect().height > 0 };",
                vec![],
            )
            .await;
        // Through the app's own server, like upload rows (app.rs checks that server's rules).
        let source = player["src"].as_str().unwrap_or_default();
        let tail = source.rsplit('/').next().unwrap_or_default();
        assert!(source.starts_with("http://127.0.0.1:"), "{player}");
        assert_eq!(
            percent_encoding::percent_decode_str(tail).decode_utf8_lossy(),
            good.as_str(),
            "{player}"
        );
        assert_eq!(player["error"], serde_json::json!(null), "{player}");
        assert_eq!(player["shown"], serde_json::json!(true), "{player}");
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_setting_out_of_range_is_marked_on_its_field() {
    run("settings_invalid", |mut session| async move {
        session.enter_token("sim-token").await;
        press_ctrl(&mut session, ',').await;
        session.find(Role::Heading, "Settings").await;
        session.type_into("Uploads at once", "17").await;
        session.press("Save settings").await;
        session
            .wait_for_text("from 1 to 16", Duration::from_secs(5))
            .await;
        wait_for_focus_on(&mut session, "concurrency").await;
        let marks = "const mark = (id) => {
               const field = document.getElementById(id);
               const said = (field.getAttribute('aria-describedby') || '').split(' ')
                 .map((ref) => document.getElementById(ref))
                 .filter((el) => el && el.getClientRects().length > 0)
                 .map((el) => el.textContent).join(' ');
               return { invalid: field.getAttribute('aria-invalid'), said,
                        border: getComputedStyle(field).borderTopColor };
             };
             return { concurrency: mark('concurrency'), timeout: mark('timeout') };";
        let marked = session.run_script(marks, vec![]).await;
        let concurrency = &marked["concurrency"];
        assert_eq!(
            concurrency["invalid"],
            serde_json::json!("true"),
            "{marked}"
        );
        let said = concurrency["said"].as_str().unwrap_or_default();
        assert!(
            said.contains("Out of range") && said.contains("from 1 to 16"),
            "{marked}"
        );
        assert_eq!(
            marked["timeout"]["invalid"],
            serde_json::Value::Null,
            "{marked}"
        );
        assert_ne!(
            concurrency["border"], marked["timeout"]["border"],
            "the wrong field looks like the others: {marked}"
        );
        session.screenshot("settings-invalid").await;

        // Right again: the mark goes while typing.
        session.type_into("Uploads at once", "3").await;
        let marked = session.run_script(marks, vec![]).await;
        assert_eq!(
            marked["concurrency"]["invalid"],
            serde_json::Value::Null,
            "{marked}"
        );
        assert!(
            !marked["concurrency"]["said"]
                .as_str()
                .unwrap_or_default()
                .contains("Out of range"),
            "{marked}"
        );
        session.press("Save settings").await;
        session
            .wait_for_text("Settings saved", Duration::from_secs(5))
            .await;
        session
    })
    .await;
}

/// Watches the window for three seconds: the furthest it scrolled down, and how many rows it drew
/// at most; fails if the first row is ever out of view.
async fn watch_the_top(session: &mut Session) -> (f64, u64) {
    let mut furthest = 0.0_f64;
    let mut listed = 0;
    for _ in 0..30 {
        let view = session
            .run_script(
                "const first = document.querySelector('#rows > li');
                 const box = first ? first.getBoundingClientRect() : null;
                 return { scroll: document.scrollingElement.scrollTop,
                          rows: document.querySelectorAll('#rows > li').length,
                          first_top: box && box.top, height: window.innerHeight };",
                vec![],
            )
            .await;
        furthest = furthest.max(view["scroll"].as_f64().unwrap_or_default());
        let rows = view["rows"].as_u64().unwrap_or_default();
        listed = listed.max(rows);
        if rows > 0 {
            let top = view["first_top"].as_f64().unwrap_or(-1.0);
            let height = view["height"].as_f64().unwrap_or_default();
            assert!(
                top >= 0.0 && top < height,
                "the first row is out of view after the paste: {view}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (furthest, listed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasting_fifty_links_keeps_the_top_of_the_list_in_view() {
    let sim = SimConfig {
        latency: Duration::from_millis(300),
        ..Default::default()
    };
    run_with("paste_fifty", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        let base = session.sim.base_url();
        let links = |take: &str| -> String {
            (1..=50)
                .map(|index| format!("{base}/files/{take}-{index:02}.wav"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        // Pasted anywhere in the window: listed at once. While the batch runs and rows change,
        // the view stays at the top, with the batch bar and the first rows, never carried down
        // the list.
        write_clipboard(&links("stem"));
        wait_for_focus_on(&mut session, "link-input").await;
        session.paste_anywhere().await;
        let (furthest, listed) = watch_the_top(&mut session).await;
        assert!(
            listed > 5,
            "the links were not listed ({listed} rows drawn)"
        );
        assert!(furthest < 1.0, "the view scrolled down by {furthest} px");
        session.screenshot("paste-fifty").await;

        // Pasted into the link field, then Upload: the same.
        session.wait_for_rows_settled(50).await;
        write_clipboard(&links("mix"));
        session
            .find(Role::TextBox, "Audio link")
            .await
            .click()
            .await
            .unwrap();
        wait_for_focus_on(&mut session, "link-input").await;
        session.press_ctrl_v().await;
        session.press("Upload").await;
        let (furthest, _) = watch_the_top(&mut session).await;
        assert!(furthest < 1.0, "the view scrolled down by {furthest} px");
        session
    })
    .await;
}

/// Presses Shift+Tab.
async fn press_shift_tab(session: &mut Session) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: '\u{e008}' })
        .then(KeyAction::Down { value: '\u{e004}' })
        .then(KeyAction::Up { value: '\u{e004}' })
        .then(KeyAction::Up { value: '\u{e008}' });
    session
        .client
        .perform_actions(keys)
        .await
        .expect("press Shift+Tab");
}

/// Where the focused control is against the sticky bars in view: the top bar and the batch bar
/// above, the preview player below.
const FOCUS_AGAINST_BARS: &str = "
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const shown = (selector) => { const bar = document.querySelector(selector);
      return bar && bar.getClientRects().length > 0 ? bar.getBoundingClientRect() : null; };
    const top = Math.max(...['.topbar', '#batch'].map(shown).filter(Boolean).map((bar) => bar.bottom));
    const player = shown('#player-bar');
    const bottom = player ? player.top : window.innerHeight;
    return { label: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40), in_rows: !!el.closest('#rows'),
             top: box.top, bottom: box.bottom, bars_top: top, bars_bottom: bottom,
             hidden: box.top < top - 1 || box.bottom > bottom + 1 };";

/// Marks the link of the last row drawn (below the view, as the list draws a few rows ahead);
/// false when there is none.
const MARK_LAST_ROW_DRAWN: &str = "
    document.querySelectorAll('[data-e2e-click]').forEach((link) => link.removeAttribute('data-e2e-click'));
    const links = document.querySelectorAll('#rows > li .row-link');
    const last = links[links.length - 1];
    if (!last) return false;
    last.setAttribute('data-e2e-click', '');
    return true;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shift_tab_through_rows_never_hides_focus_under_the_sticky_bars() {
    let sim = SimConfig {
        latency: Duration::from_millis(400),
        ..Default::default()
    };
    run_with("shift_tab", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        let links: Vec<String> = (1..=40)
            .map(|index| format!("{}/files/loop-{index:02}.wav", session.sim.base_url()))
            .collect();
        write_clipboard(&links.join("\n"));
        wait_for_focus_on(&mut session, "link-input").await;
        session.paste_anywhere().await;
        // A paused batch keeps its bar; a preview shows the player at the bottom.
        for _ in 0..100 {
            if session.sim.issued().len() >= 12 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        session.press("Pause").await;
        wait_for_focus_on(&mut session, "batch-resume").await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        session
            .run_script(
                "document.querySelector('#rows button.play:not([disabled])').click(); return true;",
                vec![],
            )
            .await;
        session.find(Role::Button, "Close preview").await;

        for (width, height) in [(1280, 800), (480, 760)] {
            session
                .client
                .set_window_size(width, height)
                .await
                .expect("resize the window");
            // From a click on the last row drawn (the click brings it into view), back up
            // through the rows with the keyboard. The list draws its rows again after a resize (in its own time under
            // load), which can take the clicked row away: click again until Shift+Tab from it
            // lands in the rows.
            let mut started = false;
            for _ in 0..20 {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let marked = session.run_script(MARK_LAST_ROW_DRAWN, vec![]).await;
                if marked != serde_json::json!(true) {
                    continue;
                }
                let Ok(link) = session
                    .client
                    .find(fantoccini::Locator::Css("[data-e2e-click]"))
                    .await
                else {
                    continue;
                };
                if link.click().await.is_err() {
                    continue;
                }
                press_shift_tab(&mut session).await;
                tokio::time::sleep(Duration::from_millis(120)).await;
                let place = session.run_script(FOCUS_AGAINST_BARS, vec![]).await;
                if place["in_rows"] == serde_json::json!(true) {
                    started = true;
                    break;
                }
            }
            if !started {
                session
                    .fail(&format!(
                        "at {width} px Shift+Tab from a clicked row never landed in the rows"
                    ))
                    .await;
            }
            let mut seen = 0;
            for _ in 0..45 {
                press_shift_tab(&mut session).await;
                tokio::time::sleep(Duration::from_millis(120)).await;
                let place = session.run_script(FOCUS_AGAINST_BARS, vec![]).await;
                if place["in_rows"] != serde_json::json!(true) {
                    break;
                }
                seen += 1;
                if place["hidden"] == serde_json::json!(true) {
                    session
                        .screenshot(&format!("shift-tab-hidden-{width}"))
                        .await;
                    session
                        .fail(&format!(
                            "at {width} px the focused control is under a sticky bar: {place}"
                        ))
                        .await;
                }
            }
            // Focus that leaves the list early was lost on the way (to the page, or past rows).
            assert!(
                seen > 10,
                "at {width} px Shift+Tab went through only {seen} controls in the rows"
            );
        }
        session
    })
    .await;
}
