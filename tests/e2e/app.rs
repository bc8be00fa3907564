//! End-to-end tests of Producer Uploader: the real app binary under Xvfb, driven through
//! WebDriver, controls found by their accessible names, uploads going to the in-process API
//! simulator, the token in a real (throwaway) GNOME Keyring.
//!
//! Run them with `scripts/test.sh`, which provides the display, the session bus and the
//! unlocked keyring. Without a display or WebKitWebDriver they are skipped with the reason
//! (and fail instead when `PRODUCER_UPLOAD_E2E=required` or `CI` is set).

mod a11y;
mod day;
mod files;
mod harness;
mod instances;
mod keys;
mod language;
mod list;
mod songs;

use harness::{
    publish_screenshot, read_clipboard, run, run_with, write_clipboard, PageMemory, Role, Session,
};
use producer_sim::SimConfig;
use producer_upload::history::{History, NewUpload, Query, Source};
use serde_json::json;
use std::time::Duration;

/// A playable link served by the simulator.
fn audio_link(session: &Session, name: &str) -> String {
    format!("{}/files/{name}.wav", session.sim.base_url())
}

/// Asserts that `audio_id` was handed out by the simulator for `link`.
fn assert_issued(session: &Session, audio_id: &str, link: &str) {
    let issued = session.sim.issued();
    assert!(
        issued
            .iter()
            .any(|id| id.audio_id == audio_id && id.audio_url == link),
        "{audio_id} for {link} is not among the simulator's ids: {issued:#?}"
    );
}

/// Waits until the one row has settled, asserts that it is done with an id the simulator issued
/// for `link`, and returns that id.
/// The HTTP status a plain `GET url` gets (for the app's own server on this computer).
fn http_status(url: &str) -> u16 {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http address");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).expect("the server answers");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

async fn assert_uploaded(session: &mut Session, link: &str) -> String {
    let rows = session.wait_for_rows_settled(1).await;
    assert_eq!(rows[0].state, "done", "{rows:#?}");
    let audio_id = rows[0].audio_id.clone().expect("an audio id is shown");
    assert_issued(session, &audio_id, link);
    audio_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_asks_for_the_token_and_keeps_it_in_the_keychain() {
    run("first_run", |mut session| async move {
        session
            .find(Role::Heading, "Welcome to Producer Uploader")
            .await;
        let text = session.text().await;
        assert!(text.contains("Ace Data Cloud console"), "{text}");
        session.screenshot("first-run").await;

        // An empty token is refused with a plain reason, in place.
        session.press("Save token").await;
        session
            .wait_for_text("The token is empty", Duration::from_secs(5))
            .await;

        session.enter_token("sim-token").await;
        // Only the last four characters are ever shown, and none of a token this short (its
        // last four would give most of it away).
        session
            .wait_for_text("Token saved", Duration::from_secs(5))
            .await;
        let text = session.text().await;
        assert!(
            !text.contains("sim-token") && !text.contains("…oken"),
            "{text}"
        );

        let status = session
            .keychain_status()
            .await
            .expect("the keychain answers");
        assert!(status.saved);
        assert_eq!(status.last_four, None);

        // Settings show where uploads go (the simulator, set by the environment) and the token.
        session.press("Settings").await;
        session.find(Role::Heading, "Settings").await;
        let address = session.find(Role::TextBox, "API address").await;
        let shown = address.prop("value").await.unwrap().unwrap_or_default();
        assert_eq!(shown, session.sim.base_url());
        session
            .wait_for_text("ACEDATACLOUD_API_BASE_URL", Duration::from_secs(2))
            .await;
        let concurrency = session.find(Role::TextBox, "Uploads at once").await;
        // Below Settings' Language choice: scrolled to, as WebKitWebDriver does not.
        session
            .run_script(
                "arguments[0].scrollIntoView({ block: 'center' }); return true;",
                vec![serde_json::to_value(&concurrency).unwrap()],
            )
            .await;
        concurrency.clear().await.unwrap();
        // Out of range, in two different digits: a repeated key ("99") was seen to arrive once
        // under load, leaving a valid 9.
        concurrency.send_keys("17").await.unwrap();
        session.press("Save settings").await;
        session
            .wait_for_text("from 1 to 16", Duration::from_secs(5))
            .await;
        concurrency.clear().await.unwrap();
        concurrency.send_keys("3").await.unwrap();
        let check = session
            .find(Role::CheckBox, "Check each link before uploading")
            .await;
        assert!(
            check.is_selected().await.unwrap(),
            "the link check is on by default"
        );
        session.press("Save settings").await;
        session
            .wait_for_text("Settings saved", Duration::from_secs(5))
            .await;
        session.screenshot("settings").await;

        // The token never reaches the settings file.
        let saved = std::fs::read_to_string(session.data_dir.path().join("settings.json"))
            .expect("settings saved");
        assert!(saved.contains("\"concurrency\": 3"), "{saved}");
        assert!(!saved.contains("sim-token"), "{saved}");

        // Replace and remove it from the token screen.
        session.press("Replace or remove the token").await;
        session.press("Remove token").await;
        session
            .find(Role::Heading, "Welcome to Producer Uploader")
            .await;
        let status = session.keychain_status().await.unwrap();
        assert!(!status.saved);
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasting_a_link_anywhere_shows_its_audio_id() {
    run("paste_one", |mut session| async move {
        session.enter_token("sim-token").await;
        let link = audio_link(&session, "first-take");
        write_clipboard(&link);
        session.paste_anywhere().await;

        let audio_id = assert_uploaded(&mut session, &link).await;
        session.find(Role::Button, "Copy ID").await;
        // The id is also in the upload history shared with the command line.
        let history = History::open(session.data_dir.path()).expect("the history opens");
        let records = history.search(&Query::default()).unwrap();
        assert!(
            records
                .iter()
                .any(|record| record.audio_id.as_deref() == Some(audio_id.as_str())),
            "{records:#?}"
        );
        // The link field was not filled: the paste went straight to a row.
        let field = session.find(Role::TextBox, "Audio link").await;
        assert_eq!(field.prop("value").await.unwrap().unwrap_or_default(), "");
        // The preview player plays the link in the app.
        session.press("Play preview").await;
        session.find(Role::Button, "Close preview").await;
        // It plays through the app, which fetches the link with the link check's rules: the
        // page's own address for it is the app's server on this computer, with a secret.
        let loaded = session
            .wait_for("the preview to load", Duration::from_secs(15), |client| {
                let link = link.clone();
                async move {
                let player = client
                    .execute(
                        "const player = document.getElementById('player');
                         return { src: player.currentSrc || player.src, ready: player.readyState,
                                  error: player.error && player.error.code,
                                  through_app: new RegExp('^http://127[.]0[.]0[.]1:[0-9]+/[A-Za-z0-9]{32}/').test(player.src)
                                    && player.src.endsWith('/' + encodeURIComponent(arguments[0])) };",
                        vec![json!(link)],
                    )
                    .await
                    .ok()?;
                (player["ready"].as_u64() >= Some(1) || !player["error"].is_null()).then_some(player)
                }
            })
            .await;
        let player = loaded.expect("the preview loads or fails within 15 s");
        assert_eq!(player["through_app"], json!(true), "{player}");
        assert_eq!(player["error"], json!(null), "{player}");
        // That server fetches only the links the window shows, and only for the page, which
        // alone knows its secret.
        let source = player["src"].as_str().unwrap();
        let base = &source[..source.len() - source.rsplit('/').next().unwrap().len()];
        let other = format!("{base}{}", "https%3A%2F%2Felsewhere.example%2Fa.wav");
        assert_eq!(http_status(&other), 403, "a link the window does not show");
        let without_secret = format!("{}/{}", &base[..base.len() - 34], source.rsplit('/').next().unwrap());
        assert_eq!(http_status(&without_secret), 404, "no secret, no audio");
        // The app's own controls, not WebKit's grey one: play or pause, the position, the time.
        let controls = session
            .run_script(
                "const shown = (id) => document.getElementById(id).getBoundingClientRect().height > 0;
                 return { webkit: document.getElementById('player').controls,
                          toggle: shown('player-toggle'), position: shown('player-position'),
                          time: document.getElementById('player-time').textContent };",
                vec![],
            )
            .await;
        assert_eq!(
            (
                &controls["webkit"],
                &controls["toggle"],
                &controls["position"]
            ),
            (&json!(false), &json!(true), &json!(true)),
            "{controls}"
        );
        assert!(
            controls["time"].as_str().unwrap_or_default().contains(':'),
            "{controls}"
        );
        session.screenshot("pasted-link").await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_several_links_makes_several_rows() {
    run("drop_several", |mut session| async move {
        session.enter_token("sim-token").await;
        let links = [
            audio_link(&session, "verse"),
            audio_link(&session, "chorus"),
            audio_link(&session, "bridge"),
        ];
        // A browser drag: a uri-list with two links (and a comment line), and HTML with a third.
        let uri_list = format!("# dragged\r\n{}\r\n{}\r\n", links[0], links[1]);
        let html = format!("<p>Stems: <a href=\"{}\">bridge</a></p>", links[2]);
        session
            .drop_data(
                "const [uriList, html] = arguments;
                 data.setData('text/uri-list', uriList);
                 data.setData('text/html', html);",
                vec![json!(uri_list), json!(html)],
            )
            .await;
        let rows = session.wait_for_rows_settled(3).await;
        let mut ids = Vec::new();
        for link in &links {
            let row = rows
                .iter()
                .find(|row| &row.link == link)
                .unwrap_or_else(|| panic!("no row for {link}: {rows:#?}"));
            assert_eq!(row.state, "done", "{row:#?}");
            let audio_id = row.audio_id.clone().unwrap();
            assert_issued(&session, &audio_id, link);
            ids.push(audio_id);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3, "each link has its own id");
        // And a file from this computer, explained in its own row.
        let rows = session
            .upload_and_settle("C:\\Users\\Me\\Music\\demo.wav", 4)
            .await;
        assert_eq!(rows[0].code.as_deref(), Some("local_file"), "{rows:#?}");
        let shot = session.screenshot("main-window").await;
        publish_screenshot(&shot, "main-window.png");

        // The layout holds in a narrow window.
        if session.client.set_window_size(480, 760).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(400)).await;
            session.screenshot("narrow-window").await;
            let overflow = session
                .run_script(
                    "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                    vec![],
                )
                .await;
            assert_eq!(
                overflow,
                json!(false),
                "the page scrolls sideways at 480 px"
            );
        }
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_id_puts_it_on_the_system_clipboard() {
    run("copy_id", |mut session| async move {
        session.enter_token("sim-token").await;
        // The link field with Enter.
        let first = audio_link(&session, "intro");
        session
            .type_into("Audio link", &format!("{first}\u{e007}"))
            .await;
        let rows = session.wait_for_rows_settled(1).await;
        let first_id = rows[0].audio_id.clone().expect("an id");

        session.press("Copy ID").await;
        session
            .wait_for_text("Copied", Duration::from_secs(5))
            .await;
        assert_eq!(read_clipboard(), first_id);

        // The Upload button, then Copy all IDs: one per line, oldest first.
        let second = audio_link(&session, "outro");
        let rows = session.upload_and_settle(&second, 2).await;
        let second_id = rows[0].audio_id.clone().expect("an id");
        session.press("Copy all IDs").await;
        session
            .wait_for_text("Copied 2 IDs", Duration::from_secs(5))
            .await;
        assert_eq!(read_clipboard(), format!("{first_id}\n{second_id}"));
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_opens_the_token_screen_with_the_reason() {
    run("token_expired", |mut session| async move {
        session.enter_token("sim-error-token_expired").await;
        let link = audio_link(&session, "late-night");
        session.upload(&link).await;

        session
            .find(Role::Heading, "Your API token needs attention")
            .await;
        session
            .wait_for_text("Your API token has expired", Duration::from_secs(5))
            .await;
        session.screenshot("token-expired").await;

        // A new token: the failed upload starts again by itself and succeeds. (The row stays
        // failed until the retry's first update arrives, so wait for it to be done.)
        session.enter_token("sim-token").await;
        session
            .wait_for_row_state(0, "done", Duration::from_secs(20))
            .await;
        assert_uploaded(&mut session, &link).await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_balance_offers_to_top_up_and_the_trace_id() {
    run("used_up", |mut session| async move {
        session.enter_token("sim-error-used_up").await;
        let rows = session
            .upload_and_settle(&audio_link(&session, "demo"), 1)
            .await;
        assert_eq!(rows[0].state, "failed");
        assert_eq!(rows[0].code.as_deref(), Some("used_up"));
        assert!(rows[0].text.contains("balance"), "{}", rows[0].text);
        session.find(Role::Button, "Top up balance").await;
        session.find(Role::Button, "Retry").await;
        session.press("Copy trace ID").await;
        let trace = read_clipboard();
        assert!(
            !trace.is_empty() && rows[0].text.contains(&trace),
            "{trace:?}"
        );
        session.screenshot("used-up").await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_link_waits_then_succeeds() {
    run("rate_limited", |mut session| async move {
        session.enter_token("sim-token").await;
        let link = format!(
            "{}?sim_fault=rate429&sim_times=1&sim_retry_after=3",
            audio_link(&session, "busy")
        );
        session.upload(&link).await;
        session
            .wait_for_text("for the rate limit", Duration::from_secs(10))
            .await;
        session.screenshot("rate-limited").await;
        assert_uploaded(&mut session, &link).await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_path_typed_as_a_link_is_explained_not_ignored() {
    run("local_file", |mut session| async move {
        session.enter_token("sim-token").await;
        // A path typed or pasted as text: the file itself is not there to take (files dropped
        // or chosen are: see files.rs).
        session.upload("/home/me/Music/My Song.wav").await;
        let rows = session.wait_for_rows_settled(1).await;
        assert_eq!(rows[0].state, "rejected", "{rows:#?}");
        assert_eq!(rows[0].code.as_deref(), Some("local_file"), "{rows:#?}");
        assert!(rows[0].text.contains("My Song.wav"), "{}", rows[0].text);
        assert!(session.sim.issued().is_empty(), "nothing was sent");
        session.screenshot("local-file").await;
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keychain_the_token_can_be_used_for_this_session_only() {
    // A session bus that does not exist: no keychain can be reached.
    let no_bus = [(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/producer-uploader-bus",
    )];
    run_with(
        "no_keychain",
        &no_bus,
        SimConfig::default(),
        |mut session| async move {
            session
                .wait_for_text("Your keychain could not be used", Duration::from_secs(30))
                .await;
            // Without a session bus the app started all the same, and its log says why a
            // second copy could not be noticed.
            let log = instances::log_text(&session);
            assert!(
                log.contains("a second copy of the app cannot be noticed"),
                "{log}"
            );
            session.type_into("API token", "sim-token").await;
            session.press("Use for this session only").await;
            session.find(Role::TextBox, "Audio link").await;
            session
                .wait_for_text("this session only", Duration::from_secs(5))
                .await;
            let rows = session
                .upload_and_settle(&audio_link(&session, "offline-keychain"), 1)
                .await;
            assert_eq!(rows[0].state, "done", "{rows:#?}");
            session.screenshot("session-only-token").await;
            // Nothing was written to disk: the settings folder holds no token.
            for entry in std::fs::read_dir(session.data_dir.path()).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                assert!(!text.contains("sim-token"));
            }
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_by_keyboard_alone_in_the_dark_theme() {
    // The system's dark theme: the window follows it.
    let dark_theme = [("GTK_THEME", "Adwaita:dark")];
    run_with(
        "keyboard_dark",
        &dark_theme,
        SimConfig::default(),
        |mut session| async move {
            let dark = session
                .run_script(
                    "return matchMedia('(prefers-color-scheme: dark)').matches;",
                    vec![],
                )
                .await;
            assert_eq!(
                dark,
                json!(true),
                "the window does not follow the dark theme"
            );

            // First run: the token field has the focus; type and press Enter.
            session.wait_for_focus("token-input").await;
            for key in "sim-token".chars() {
                session.press_key(key).await;
            }
            session.press_key('\u{e007}').await;
            session.find(Role::TextBox, "Audio link").await;
            // Back on the main screen the link field has the focus.
            let link = audio_link(&session, "night-drive");
            session.wait_for_focus("link-input").await;
            for key in link.chars() {
                session.press_key(key).await;
            }
            session.press_key('\u{e007}').await;
            let rows = session.wait_for_rows_settled(1).await;
            let audio_id = rows[0].audio_id.clone().unwrap();

            // Tab to "Copy ID" and press it with Enter.
            let mut reached = false;
            for _ in 0..12 {
                session.press_key('\u{e004}').await;
                if session.focused_name().await == "Copy ID" {
                    reached = true;
                    break;
                }
            }
            assert!(reached, "Copy ID cannot be reached with Tab");
            session.press_key('\u{e007}').await;
            session
                .wait_for_text("Copied", Duration::from_secs(5))
                .await;
            assert_eq!(read_clipboard(), audio_id);
            session.screenshot("dark-theme-keyboard").await;
            session
        },
    )
    .await;
}

/// The batch bar's numbers: `[finished, total]` from the progress bar, and its two text lines.
async fn batch_state(session: &mut Session) -> (u64, u64, String) {
    let value = session
        .run_script(
            "const bar = document.getElementById('batch-progress');
             return [bar.value, bar.max,
                     document.getElementById('batch-counts').textContent + ' | '
                       + document.getElementById('batch-eta').textContent];",
            vec![],
        )
        .await;
    (
        value[0].as_f64().unwrap_or(0.0) as u64,
        value[1].as_f64().unwrap_or(0.0) as u64,
        value[2].as_str().unwrap_or_default().to_owned(),
    )
}

/// Waits until the batch bar satisfies `check`, and returns its state.
async fn wait_for_batch(
    session: &mut Session,
    what: &str,
    check: impl Fn(u64, u64, &str) -> bool,
) -> (u64, u64, String) {
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    loop {
        let (finished, total, text) = batch_state(session).await;
        if check(finished, total, &text) {
            return (finished, total, text);
        }
        if std::time::Instant::now() > deadline {
            let why = format!("the batch never got to: {what} (last: {finished}/{total} {text})");
            session.fail(&why).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_fifty_pauses_resumes_retries_and_is_found_in_the_history() {
    // Each upload takes a quarter of a second, so the batch can be paused half-way.
    let sim = SimConfig {
        latency: Duration::from_millis(250),
        ..Default::default()
    };
    run_with("batch", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        // 49 good links and one whose first upload gets an unreadable answer (not retried by
        // itself), pasted at once.
        let mut links: Vec<String> = (1..=49)
            .map(|index| audio_link(&session, &format!("take-{index:02}")))
            .collect();
        let glitch = format!(
            "{}?sim_fault=notjson&sim_times=1",
            audio_link(&session, "glitch")
        );
        links.insert(10, glitch.clone());
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;

        // Progress shows, then Pause: running uploads finish, no new one starts.
        wait_for_batch(&mut session, "some done", |finished, total, _| {
            total == 50 && finished >= 4
        })
        .await;
        session.press("Pause").await;
        let (paused_at, _, text) =
            wait_for_batch(&mut session, "paused and still", |_, _, text| {
                text.ends_with("| Paused.")
            })
            .await;
        assert!(paused_at < 50, "paused at {paused_at}: {text}");
        assert!(text.contains("waiting"), "{text}");
        session.screenshot("batch-paused").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let (still, _, _) = batch_state(&mut session).await;
        assert_eq!(still, paused_at, "nothing starts while paused");
        // Every finished upload but a failed glitch has its id from the service.
        let issued = session.sim.issued().len() as u64;
        assert!(
            issued == paused_at || issued + 1 == paused_at,
            "{issued} ids, {paused_at} finished"
        );

        // Resume: everything gets through; the glitch fails once.
        session.press("Resume").await;
        let (_, _, text) =
            wait_for_batch(&mut session, "all through", |finished, _, _| finished == 50).await;
        assert!(
            text.contains("49 of 50 done") && text.contains("1 failed"),
            "{text}"
        );
        let rows = session.wait_for_rows_settled(50).await;
        let failed: Vec<_> = rows.iter().filter(|row| row.state == "failed").collect();
        assert_eq!(failed.len(), 1, "{failed:#?}");
        assert_eq!(failed[0].link, glitch);
        assert_eq!(failed[0].code.as_deref(), Some("bad_response"));

        // Retry all failed: the glitch goes through the second time.
        session.press("Retry all failed").await;
        wait_for_batch(&mut session, "all done", |_, _, text| {
            text.contains("50 of 50 done")
        })
        .await;
        let rows = session.wait_for_rows_settled(50).await;
        assert!(rows.iter().all(|row| row.state == "done"), "{rows:#?}");
        let glitch_id = rows
            .iter()
            .find(|row| row.link == glitch)
            .and_then(|row| row.audio_id.clone())
            .expect("the glitch has an id now");
        assert_issued(&session, &glitch_id, &glitch);
        let shot = session.screenshot("batch").await;
        publish_screenshot(&shot, "batch.png");

        // The history: newest first, searchable by file name and date, Copy ID, Delete, Undo.
        session.press("History").await;
        session.find(Role::Heading, "Upload history").await;
        session
            .wait_for_text("50 uploads, newest first", Duration::from_secs(10))
            .await;
        // Only the rows in view are in the page, whatever the history's size.
        let drawn = session
            .run_script(
                "return document.querySelectorAll('#history-rows > li').length;",
                vec![],
            )
            .await;
        assert!(drawn.as_u64().unwrap() < 30, "{drawn} rows drawn");
        let shot = session.screenshot("history").await;
        publish_screenshot(&shot, "history.png");

        session.type_into("Search history", "glitch").await;
        session
            .wait_for_text("1 upload matches your search", Duration::from_secs(10))
            .await;
        session.press("Copy ID").await;
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while read_clipboard() != glitch_id && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(read_clipboard(), glitch_id);

        session.press("Delete").await;
        session
            .wait_for_text("0 uploads match your search", Duration::from_secs(10))
            .await;
        session.press("Undo").await;
        session
            .wait_for_text("1 upload matches your search", Duration::from_secs(10))
            .await;

        let today = session
            .run_script("return new Date().toISOString().slice(0, 10);", vec![])
            .await;
        let search = session.find(Role::TextBox, "Search history").await;
        search.clear().await.unwrap();
        search.send_keys(today.as_str().unwrap()).await.unwrap();
        session
            .wait_for_text("50 uploads match your search", Duration::from_secs(10))
            .await;

        // The history file agrees: 50 done, the glitch once, retried in place.
        let history = History::open(session.data_dir.path()).unwrap();
        let records = history.search(&Query::default()).unwrap();
        assert_eq!(records.len(), 50);
        assert!(records.iter().all(|record| record.state.as_str() == "done"));
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_stays_smooth_with_100000_records() {
    run("history_100k", |mut session| async move {
        session.enter_token("sim-token").await;
        // 100,000 uploads, written in one transaction into the history the app reads.
        let history = History::open(session.data_dir.path()).unwrap();
        let uploads: Vec<NewUpload> = (1..=100_000)
            .map(|index| {
                let link = format!(
                    "https://files.example/session-{}/stem-{index:06}.wav",
                    index % 97
                );
                NewUpload {
                    given_url: link.clone(),
                    audio_url: link.parse().unwrap(),
                    source: Source::Cli,
                }
            })
            .collect();
        tokio::task::spawn_blocking(move || history.record_interrupted(&uploads).unwrap())
            .await
            .unwrap();

        session.press("History").await;
        session.find(Role::Heading, "Upload history").await;
        session
            .wait_for_text("stem-100000.wav", Duration::from_secs(10))
            .await;

        // Jump to the middle: the rows there appear quickly, and only a screenful is drawn.
        let jump = session
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const scroller = document.getElementById('history-scroller');
                 const started = performance.now();
                 const rowHeight = parseFloat(getComputedStyle(scroller).getPropertyValue('--history-row'));
                 scroller.scrollTop = 50000 * rowHeight;
                 const check = () => {
                   const rows = [...document.querySelectorAll('#history-rows > li')];
                   const there = rows.length && Number(rows[0].getAttribute('aria-posinset')) > 49000;
                   if (there && rows.every((row) => !row.classList.contains('loading'))) {
                     done([performance.now() - started, rows.length, rows[0].innerText]);
                   } else {
                     requestAnimationFrame(check);
                   }
                 };
                 requestAnimationFrame(check);",
                vec![],
            )
            .await
            .unwrap();
        let jump_ms = jump[0].as_f64().unwrap();
        let drawn = jump[1].as_u64().unwrap();
        eprintln!("history_100k: middle rows shown in {jump_ms:.0} ms, {drawn} rows drawn");
        assert!(drawn < 30, "{drawn} rows drawn");
        assert!(jump[2].as_str().unwrap().contains("stem-05"), "{jump}");

        // The floor to compare with: the same rows, static in a plain scrolling box with no script,
        // scrolled the same way (painting under Xvfb's software rendering is far from free).
        let control = session
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const box = document.createElement('div');
                 box.style.cssText = 'position: fixed; left: 25px; top: 200px; width: 850px;'
                   + 'height: 450px; overflow-y: auto; background: white; z-index: 9';
                 const list = document.getElementById('history-rows');
                 const copy = document.createElement('ul');
                 copy.style.cssText = 'list-style: none; margin: 0; padding: 0';
                 for (let i = 0; i < 8; i += 1) {
                   for (const li of list.children) copy.append(li.cloneNode(true));
                 }
                 box.append(copy);
                 document.body.append(box);
                 const times = [];
                 let last = performance.now();
                 let direction = 1;
                 const tick = (now) => {
                   times.push(now - last);
                   last = now;
                   if (box.scrollTop + 800 > box.scrollHeight) direction = -1;
                   if (box.scrollTop < 400) direction = 1;
                   box.scrollTop += 320 * direction;
                   if (times.length < 60) requestAnimationFrame(tick);
                   else { box.remove(); done(times.slice(1).sort((a, b) => a - b)); }
                 };
                 requestAnimationFrame(tick);",
                vec![],
            )
            .await
            .unwrap();
        let control = control.as_array().unwrap();
        let floor = control[control.len() / 2].as_f64().unwrap();

        // Scroll steadily: each frame stays short.
        let frames = session
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const scroller = document.getElementById('history-scroller');
                 const times = [];
                 let last = performance.now();
                 let step = 0;
                 const tick = (now) => {
                   times.push(now - last);
                   last = now;
                   scroller.scrollTop += 320;
                   step += 1;
                   if (step < 90) requestAnimationFrame(tick);
                   else done(times.slice(1).sort((a, b) => a - b));
                 };
                 requestAnimationFrame(tick);",
                vec![],
            )
            .await
            .unwrap();
        let frames: Vec<f64> = frames
            .as_array()
            .unwrap()
            .iter()
            .map(|time| time.as_f64().unwrap())
            .collect();
        let median = frames[frames.len() / 2];
        let worst = frames[frames.len() - 1];
        eprintln!(
            "history_100k: scrolling frames median {median:.1} ms, worst {worst:.1} ms; \
             static rows scroll at {floor:.1} ms a frame"
        );
        // Timings are figures to read, not pass marks: on a shared 2-core machine they vary with
        // the load. What must hold is asserted above: only the rows in view are drawn.
        session.screenshot("history-100k").await;

        // Search across all of them.
        session.type_into("Search history", "stem-054321").await;
        session
            .wait_for_text("1 upload matches your search", Duration::from_secs(10))
            .await;
        session
    })
    .await;
}

/// The simulator for the 1,000-link tests: a little latency, as a real service has.
fn thousand_sim() -> SimConfig {
    SimConfig {
        latency: Duration::from_millis(10),
        ..Default::default()
    }
}

/// What a batch of 1,000 pasted links did to the page process, and how smoothly it drew.
struct ThousandRows {
    /// Memory with an empty list that has shown rows before, settled.
    empty: Option<PageMemory>,
    /// Just after all 1,000 were listed.
    queued: Option<PageMemory>,
    /// Once all are done, settled.
    full: Option<PageMemory>,
    /// After "Clear list", settled.
    cleared: Option<PageMemory>,
    /// Frame gaps from the paste until the batch was through: median, worst (ms), frames.
    gaps: serde_json::Value,
}

impl ThousandRows {
    /// What the 1,000 done rows cost over the empty list, in KiB: (PSS, RSS).
    fn cost(&self) -> Option<(i64, i64)> {
        let (empty, full) = (self.empty?, self.full?);
        Some((
            full.pss_kib as i64 - empty.pss_kib as i64,
            full.rss_kib as i64 - empty.rss_kib as i64,
        ))
    }
}

/// With the token entered: shows and clears 20 rows (the empty list to compare with is one that
/// has shown rows before: code compiled, fonts and styles loaded), then pastes 1,000 links,
/// waits until all are through, and clears the list, measuring the page process on the way.
async fn a_thousand_rows(session: &mut Session) -> ThousandRows {
    let warm: Vec<String> = (1..=20)
        .map(|index| audio_link(session, &format!("warm-{index:02}")))
        .collect();
    write_clipboard(&warm.join("\n"));
    session.paste_anywhere().await;
    wait_for_batch(session, "the first 20 through", |finished, total, _| {
        total == 20 && finished == 20
    })
    .await;
    // The list scrolled down to the newest row; "Clear list" sits above it.
    session
        .run_script("window.scrollTo(0, 0); return true;", vec![])
        .await;
    session.press("Clear list").await;
    session.wait_for_rows_settled(0).await;
    let links: Vec<String> = (1..=1000)
        .map(|index| audio_link(session, &format!("loop-{index:04}")))
        .collect();
    write_clipboard(&links.join("\n"));
    // The gaps between frames from the paste until the batch is through.
    session
        .run_script(
            "window.__gaps = [];
             let last = performance.now();
             const tick = (now) => {
               window.__gaps.push(now - last);
               last = now;
               if (!window.__stop) requestAnimationFrame(tick);
             };
             requestAnimationFrame(tick);
             return true;",
            vec![],
        )
        .await;
    let empty = session.settled_page_memory().await;
    session.paste_anywhere().await;
    wait_for_batch(session, "all 1,000 queued", |_, total, _| total == 1000).await;
    let queued = session.page_memory();
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    loop {
        let (finished, _, text) = batch_state(session).await;
        if finished == 1000 {
            assert!(text.contains("1000 of 1000 done"), "{text}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{finished} of 1000: {text}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let gaps = session
        .run_script(
            "window.__stop = true;
             const gaps = window.__gaps.slice().sort((a, b) => a - b);
             return [gaps[Math.floor(gaps.length / 2)], gaps[gaps.length - 1], gaps.length];",
            vec![],
        )
        .await;
    let full = session.settled_page_memory().await;
    session
        .run_script("window.scrollTo(0, 0); return true;", vec![])
        .await;
    let page = session.page_pid();
    session.press("Clear list").await;
    // A list this long is cleared by starting the page afresh in a new page process (the
    // driver's session ends with the old one: nothing more is asked of the page).
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while session.page_pid() == page && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cleared = session.settled_page_memory().await;
    ThousandRows {
        empty,
        queued,
        full,
        cleared,
        gaps,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_pasted_links_are_queued_at_once_and_the_window_stays_responsive() {
    run_with("thousand", &[], thousand_sim(), |mut session| async move {
        session.enter_token("sim-token").await;
        // How long the window took to start (printed as figures): from the app process's start
        // and from the page's navigation, to the page's first paint and to its being ready.
        let start = session
            .run_script(
                "const paint = performance.getEntriesByType('paint')
                   .find((entry) => entry.name === 'first-contentful-paint');
                 const navigation = performance.getEntriesByType('navigation')[0];
                 return [performance.timeOrigin, navigation ? navigation.domContentLoadedEventEnd : null,
                         paint ? paint.startTime : null, Number(document.body.dataset.readyAt)];",
                vec![],
            )
            .await;
        let origin = start[0].as_f64().unwrap_or(0.0);
        let since_process = |value: &serde_json::Value| {
            let started = session.app_started_ms()?;
            Some((origin + value.as_f64()? - started).round())
        };
        eprintln!(
            "thousand: page start (ms): from navigation: DOMContentLoaded {}, first contentful paint {}, ready {}; \
             from the app process's start: navigation {:?}, first contentful paint {:?}, ready {:?}",
            start[1],
            start[2],
            start[3],
            since_process(&json!(0.0)),
            since_process(&start[2]),
            since_process(&start[3])
        );
        // The window must stay responsive: the batch finishing shows it; the frame gaps are
        // printed as figures.
        let measured = a_thousand_rows(&mut session).await;
        assert_eq!(session.sim.issued().len(), 20 + 1000);
        let gaps = &measured.gaps;
        eprintln!(
            "thousand: frame gaps median {} ms, worst {} ms over {} frames",
            gaps[0], gaps[1], gaps[2]
        );
        // What 1,000 rows cost the page process (only the rows in view are in the page), once
        // the engine has settled. Printed, not asserted: it varies from run to run on a shared
        // machine; `memory_of_a_thousand_rows` measures it over several runs.
        eprintln!(
            "thousand: page process memory (KiB): empty list {:?}, 1,000 queued {:?}, \
             all done {:?}, after Clear list {:?}",
            measured.empty, measured.queued, measured.full, measured.cleared
        );
        if let Some((pss, rss)) = measured.cost() {
            eprintln!("thousand: 1,000 rows cost {pss} KiB PSS, {rss} KiB RSS over the empty list");
        }
        session
    })
    .await;
}

/// How many MiB 1,000 done rows cost the page process over an empty list: the median over
/// several runs, each in a fresh app (`PRODUCER_UPLOAD_MEMORY_RUNS`, 5 by default). A
/// measurement that prints figures, not part of the suite: run it under the display and keyring
/// `scripts/test.sh` makes, with `cargo test --test e2e -- --ignored memory_of`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a test: it prints figures"]
async fn memory_of_a_thousand_rows() {
    let runs: usize = std::env::var("PRODUCER_UPLOAD_MEMORY_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(5);
    let costs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    for round in 1..=runs {
        let costs = costs.clone();
        run_with("memory", &[], thousand_sim(), |mut session| async move {
            session.enter_token("sim-token").await;
            let measured = a_thousand_rows(&mut session).await;
            let (pss, rss) = measured.cost().expect("the page process's memory");
            let empty = measured.empty.unwrap();
            let kept = |memory: PageMemory| {
                (
                    (memory.pss_kib as f64 - empty.pss_kib as f64) / 1024.0,
                    (memory.anon_kib as f64 - empty.anon_kib as f64) / 1024.0,
                )
            };
            let cleared = kept(measured.cleared.unwrap());
            // The lowest in the 30 s after Clear list (the old page's memory goes over seconds).
            let later = session
                .lowest_page_memory(Duration::from_secs(30), 0)
                .await
                .map(kept)
                .unwrap();
            let anon = measured.full.unwrap().anon_kib as f64 - empty.anon_kib as f64;
            eprintln!(
                "memory: run {round}: 1,000 rows cost {:.1} MiB PSS, {:.1} MiB RSS, {:.1} MiB \
                 anonymous; still held after Clear list: {:.1} MiB PSS, {:.1} MiB anonymous, \
                 within 30 s {:.1} MiB PSS, {:.1} MiB anonymous (empty list {:.1} MiB PSS)",
                pss as f64 / 1024.0,
                rss as f64 / 1024.0,
                anon / 1024.0,
                cleared.0,
                cleared.1,
                later.0,
                later.1,
                empty.pss_kib as f64 / 1024.0
            );
            costs.lock().unwrap().push((pss, rss));
            session
        })
        .await;
    }
    let median = |mut values: Vec<i64>| {
        values.sort_unstable();
        values[values.len() / 2] as f64 / 1024.0
    };
    let costs = costs.lock().unwrap().clone();
    eprintln!(
        "memory: median over {runs} runs: 1,000 rows cost {:.1} MiB PSS, {:.1} MiB RSS over the empty list",
        median(costs.iter().map(|cost| cost.0).collect()),
        median(costs.iter().map(|cost| cost.1).collect())
    );
}

/// How long the app takes to put its window on the screen and to paint its page, against a
/// minimal Tauri app (the framework's floor): the median of several starts of each
/// (`PRODUCER_UPLOAD_START_RUNS`, 7 by default), taken in turns after one start of each to warm
/// the disk cache. A measurement that prints figures, not part of the suite: under the display
/// `scripts/test.sh` makes, with `PRODUCER_UPLOAD_E2E_APP` naming this app's release build and
/// `PRODUCER_UPLOAD_MINIMAL_APP` a minimal Tauri app built with the same Tauri and release
/// profile, run `cargo test --test e2e -- --ignored start_time`.
#[test]
#[ignore = "a measurement, not a test: it prints figures"]
fn start_time_against_a_minimal_tauri_app() {
    let minimal = std::env::var("PRODUCER_UPLOAD_MINIMAL_APP")
        .expect("PRODUCER_UPLOAD_MINIMAL_APP names a minimal Tauri app");
    let runs: usize = std::env::var("PRODUCER_UPLOAD_START_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(7);
    let data_dir = tempfile::tempdir().expect("a data folder");
    let ours_env = vec![
        (
            "PRODUCER_UPLOAD_DATA_DIR".to_owned(),
            data_dir.path().display().to_string(),
        ),
        (
            "PRODUCER_UPLOAD_KEYCHAIN_SERVICE".to_owned(),
            format!("producer-uploader-start-{}", std::process::id()),
        ),
    ];
    let apps = [
        ("Producer Uploader", harness::app_binary(), ours_env),
        ("minimal Tauri app", minimal, Vec::new()),
    ];
    let mut times = vec![(Vec::new(), Vec::new()); apps.len()];
    for round in 0..=runs {
        for (index, (_, binary, envs)) in apps.iter().enumerate() {
            let (mapped, painted) = harness::time_to_first_paint(binary, envs);
            let (mapped, painted) = (
                mapped.expect("the window was shown"),
                painted.expect("the page was painted"),
            );
            if round > 0 {
                times[index].0.push(mapped.as_secs_f64());
                times[index].1.push(painted.as_secs_f64());
            }
        }
    }
    let median = |values: &[f64]| {
        let mut values = values.to_vec();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    for ((name, binary, _), (mapped, painted)) in apps.iter().zip(&times) {
        eprintln!(
            "start_time: {name} ({binary}): window mapped {:.3} s, page painted {:.3} s \
             (medians of {runs}; painted: {painted:.3?})",
            median(mapped),
            median(painted)
        );
    }
    eprintln!(
        "start_time: Producer Uploader / minimal: mapped {:.2}x, painted {:.2}x",
        median(&times[0].0) / median(&times[1].0),
        median(&times[0].1) / median(&times[1].1)
    );
}

/// What a row shows that the service decided: the link, its state, its id or error code.
fn outcome(row: &harness::Row) -> (String, String, Option<String>, Option<String>) {
    (
        row.link.clone(),
        row.state.clone(),
        row.audio_id.clone(),
        row.code.clone(),
    )
}

/// Asserts that each row shows exactly what the simulator did with its link: the id it issued
/// for it, or the failure its fault asked for.
fn assert_rows_tell_the_truth(session: &Session, rows: &[harness::Row]) {
    let issued = session.sim.issued();
    for row in rows {
        if row.link.contains("sim_fault=notjson") {
            assert_eq!(row.state, "failed", "{row:#?}");
            assert_eq!(row.code.as_deref(), Some("bad_response"), "{row:#?}");
        } else {
            assert_eq!(row.state, "done", "{row:#?}");
            let audio_id = row.audio_id.as_deref().expect("an id on a done row");
            assert!(
                issued
                    .iter()
                    .any(|id| id.audio_id == audio_id && id.audio_url == row.link),
                "{row:#?} shows an id the simulator did not issue for it"
            );
        }
    }
}

/// Links to the simulator: every `fail_every`th one gets an unreadable answer (not retried).
fn fast_links(session: &Session, name: &str, count: usize, fail_every: usize) -> Vec<String> {
    (0..count)
        .map(|index| {
            let link = audio_link(session, &format!("{name}-{index:03}"));
            if index % fail_every == fail_every - 1 {
                format!("{link}?sim_fault=notjson")
            } else {
                link
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_fast_uploads_at_once_each_row_tells_the_truth_and_clear_starts_afresh() {
    // No latency and 16 at once: updates for many links race each other.
    let sim = SimConfig {
        latency: Duration::ZERO,
        ..Default::default()
    };
    run_with("fast", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        session.press("Settings").await;
        session.type_into("Uploads at once", "16").await;
        session.press("Save settings").await;
        session
            .wait_for_text("Settings saved", Duration::from_secs(5))
            .await;
        session.press("Back to uploads").await;
        // The link field takes the focus on the way back; the paste must not land in it.
        session.wait_for_focus("link-input").await;

        for round in 0..3u64 {
            let links = fast_links(&session, &format!("fast{round}"), 40, 8);
            write_clipboard(&links.join("\n"));
            session.paste_anywhere().await;
            wait_for_batch(&mut session, "the links listed", |_, total, _| {
                total == 40 * (round + 1)
            })
            .await;
        }
        let rows = session.wait_for_rows_settled(120).await;
        assert_rows_tell_the_truth(&session, &rows);
        // The bar counts exactly the rows on screen.
        let (finished, total, text) =
            wait_for_batch(&mut session, "all through", |finished, total, text| {
                finished == 120 && total == 120 && batch_through(text)
            })
            .await;
        assert_eq!((finished, total), (120, 120), "{text}");
        assert!(text.starts_with("105 of 120 done · 15 failed |"), "{text}");

        // A reload of the page (as a crash of the web view would) draws the same list.
        session.reload().await;
        let again = session.wait_for_rows_settled(120).await;
        assert_eq!(
            again.iter().map(outcome).collect::<Vec<_>>(),
            rows.iter().map(outcome).collect::<Vec<_>>()
        );
        assert_eq!(batch_state(&mut session).await, (finished, total, text));

        // "Clear list", then a new batch: the bar counts only the new batch, and "Retry all
        // failed" sends only the failed links on screen.
        session.press("Clear list").await;
        session.wait_for_rows_settled(0).await;
        let links = fast_links(&session, "after", 20, 5);
        write_clipboard(&links.join("\n"));
        session.paste_anywhere().await;
        let rows = session.wait_for_rows_settled(20).await;
        assert_rows_tell_the_truth(&session, &rows);
        let (_, _, text) = wait_for_batch(
            &mut session,
            "the new batch through",
            |finished, total, _| finished == 20 && total == 20,
        )
        .await;
        assert!(text.starts_with("16 of 20 done · 4 failed |"), "{text}");
        let uploads = |session: &Session| {
            session
                .sim
                .requests()
                .iter()
                .filter(|request| request.method == "POST")
                .count()
        };
        let sent = uploads(&session);
        session.press("Retry all failed").await;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while uploads(&session) < sent + 4 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_for_batch(
            &mut session,
            "the retries through",
            |finished, total, text| finished == 20 && total == 20 && batch_through(text),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            uploads(&session),
            sent + 4,
            "only the 4 failed links on screen are sent again"
        );
        session
    })
    .await;
}

/// True once the batch bar says the batch is through.
fn batch_through(text: &str) -> bool {
    text.contains("Finished") || text.contains("All done")
}
