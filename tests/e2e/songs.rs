//! Songs in the real window: Extend from a done row shows the song being made, then the song
//! (its cover drawn, and it plays); Cover of that song with a failing task shows the service's
//! reason; both are still there after a restart; Extend from History with an unanswered request
//! offers Check again and Send again; a spent balance offers Top up balance. The Songs view and
//! the dialog pass the accessibility audit. Download goes through the system's save dialog,
//! which WebDriver cannot drive: what it leads to is tested in src-tauri (`ipc_tests::songs`),
//! writing to a temporary path. In Chinese, the Extend dialog and a ready song have no English
//! word left, and the view turns English when Settings' language does. A song being made keeps
//! the app in the status area after Finish in background until it is ready.

use crate::a11y::{audit, axe_script};
use crate::day::{wait_for_title, BusMonitor};
use crate::harness::{run_with, Role, Session};
use producer_sim::SimConfig;
use serde_json::Value;
use std::time::Duration;

/// Waits until `script` (which returns a boolean) is true in the window, within `limit`.
async fn wait_until(session: &mut Session, what: &str, script: &str, limit: Duration) {
    let script = script.to_owned();
    let found = session
        .wait_for(what, limit, |client| {
            let script = script.clone();
            async move {
                let value = client.execute(&script, vec![]).await.ok()?;
                (value == Value::Bool(true)).then_some(())
            }
        })
        .await;
    if found.is_none() {
        session
            .screenshot(&format!("songs-{}", what.replace(' ', "-")))
            .await;
        session
            .fail(&format!("{what}: not within {} s", limit.as_secs()))
            .await;
    }
}

/// The Songs view's text (`textContent`: rows out of view have no `innerText`).
async fn songs_text(session: &mut Session) -> String {
    let value = session
        .run_script(
            "return document.getElementById('songs-list').textContent;",
            vec![],
        )
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extend_shows_progress_then_a_song_that_plays_a_failing_cover_says_why_and_a_restart_keeps_them(
) {
    let sim = SimConfig {
        song_time: Duration::from_secs(8),
        ..Default::default()
    };
    run_with("songs", &[], sim, |mut session| async move {
        let axe = axe_script();
        session.enter_token("sim-token").await;
        let link = format!("{}/files/take.wav", session.sim.base_url());
        session.upload_and_settle(&link, 1).await;

        // Extend from the done row: the dialog, prefilled, says Generate uses credits. The
        // upload plays in it, through the app, to find the moment: its length is said, and
        // "Use this moment" puts the player's position in "Continue from".
        session.press("Extend").await;
        session
            .wait_for_text("long: play it to find the moment", Duration::from_secs(15))
            .await;
        session.press("Use this moment").await;
        let moment = session
            .run_script(
                "const at = document.getElementById('gen-at');
                 return { value: at.value, max: Number(at.max),
                          src: document.getElementById('gen-audio').src };",
                vec![],
            )
            .await;
        assert_eq!(moment["value"], "0", "the player stands at its start: {moment}");
        assert!(moment["max"].as_f64().unwrap_or(0.0) > 0.0, "{moment}");
        assert!(
            moment["src"]
                .as_str()
                .is_some_and(|src| src.starts_with("http://127.0.0.1:")),
            "{moment}"
        );
        session.type_into("Continue from (seconds)", "3").await;
        session.type_into("Style", "dream pop").await;
        session.type_into("Title", "Night drive").await;
        session.press("Generate").await;

        // The Songs view: the song being made, with its progress, then the songs.
        session.find(Role::Heading, "Songs").await;
        wait_until(
            &mut session,
            "progress shown",
            "return /Making your song… \\d+%/.test(document.getElementById('songs-list').textContent)
               && !!document.querySelector('#songs-list progress');",
            Duration::from_secs(30),
        )
        .await;
        session.screenshot("songs-making").await;
        session
            .wait_for_text("Your song is ready.", Duration::from_secs(40))
            .await;
        let text = songs_text(&mut session).await;
        assert!(text.contains("Night drive") && text.contains("dream pop"), "{text}");
        let audios: Vec<_> = session
            .sim
            .song_requests()
            .into_iter()
            .filter(|request| request.path == "/producer/audios")
            .collect();
        assert_eq!(audios.len(), 1, "one request");
        assert_eq!(audios[0].body["action"], "upload_extend");
        assert_eq!(audios[0].body["continue_at"], 3.0);

        // The cover image is drawn (the CSP lets it in from the simulator) and the song plays.
        wait_until(
            &mut session,
            "cover drawn",
            "const img = document.querySelector('#songs-list img.cover');
             return !!img && img.complete && img.naturalWidth > 0;",
            Duration::from_secs(10),
        )
        .await;
        session.press("Play").await;
        wait_until(
            &mut session,
            "song playing",
            "const player = document.getElementById('song-player');
             return !!player && !player.error && player.readyState >= 2 && !player.paused
               && player.src.endsWith('.mp3');",
            Duration::from_secs(15),
        )
        .await;
        session.find(Role::Button, "Pause").await;
        session.screenshot("songs-ready").await;

        // Cover of the new song, with a task that fails: the service's reason, and Send again.
        session.press("Cover").await;
        session.type_into("Title", "Gloom sim_fault=fail").await;
        session.press("Generate").await;
        session
            .wait_for_text("The song could not be made.", Duration::from_secs(40))
            .await;
        wait_until(
            &mut session,
            "reason shown",
            "const row = document.querySelector('#songs-list .song-row[data-state=\"failed\"]');
             return !!row && row.querySelector('.reason').textContent.length > 20
               && [...row.querySelectorAll('button')].some((b) => b.textContent === 'Send again');",
            Duration::from_secs(5),
        )
        .await;
        let covers: Vec<_> = session
            .sim
            .song_requests()
            .into_iter()
            .filter(|request| request.path == "/producer/audios")
            .map(|request| request.body)
            .collect();
        assert_eq!(covers.len(), 2);
        assert_eq!(covers[1]["action"], "cover", "a generated song's form");
        session.screenshot("songs-failed").await;

        // The Songs view and the Cover dialog pass the accessibility audit.
        audit(&mut session, &axe, "light", "songs").await;
        session.press("Cover").await;
        session.find(Role::TextBox, "Style").await;
        audit(&mut session, &axe, "light", "cover-dialog").await;

        // The window closes on its close button with the dialog still open, and a restart
        // keeps both songs.
        session.restart().await;
        session.press("Songs").await;
        session
            .wait_for_text("Your song is ready.", Duration::from_secs(20))
            .await;
        let text = songs_text(&mut session).await;
        assert!(
            text.contains("Night drive") && text.contains("The song could not be made."),
            "{text}"
        );

        session
    })
    .await;
}

/// Asks for a song through the window: Extend on the one done upload in History, `title`,
/// Generate.
async fn extend_from_history(session: &mut Session, title: &str) {
    let link = format!("{}/files/take.wav", session.sim.base_url());
    session.upload_and_settle(&link, 1).await;
    session.press("History").await;
    session
        .wait_for_text("1 upload", Duration::from_secs(10))
        .await;
    session.press("Extend").await;
    session.type_into("Continue from (seconds)", "3").await;
    session.type_into("Title", title).await;
    session.press("Generate").await;
    session.find(Role::Heading, "Songs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_request_offers_check_again_and_send_again() {
    let sim = SimConfig {
        song_time: Duration::from_secs(4),
        ..Default::default()
    };
    run_with("songs_unknown", &[], sim, |mut session| async move {
        session.enter_token("sim-token").await;
        extend_from_history(&mut session, "Lost sim_fault=drop&sim_times=1").await;
        session
            .wait_for_text("may have started", Duration::from_secs(20))
            .await;
        session.press("Check again").await;
        session
            .wait_for_text(
                "press Send again only if there is none",
                Duration::from_secs(10),
            )
            .await;
        session.press("Send again").await;
        session
            .wait_for_text("Your song is ready.", Duration::from_secs(40))
            .await;
        let sent = session
            .sim
            .song_requests()
            .iter()
            .filter(|request| request.path == "/producer/audios")
            .count();
        assert_eq!(sent, 2, "sent once, then once more on request");
        session
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_balance_offers_to_top_up_beside_send_again() {
    run_with(
        "songs_used_up",
        &[],
        SimConfig::default(),
        |mut session| async move {
            session.enter_token("sim-token").await;
            let link = format!("{}/files/take.wav", session.sim.base_url());
            session.upload_and_settle(&link, 1).await;
            // The balance runs out before the song is asked for.
            session.press("Settings").await;
            session.press("Replace or remove the token").await;
            session.enter_token("sim-error-used_up").await;
            session.press("Extend").await;
            session.type_into("Continue from (seconds)", "3").await;
            session.press("Generate").await;
            session.find(Role::Heading, "Songs").await;
            session.find(Role::Button, "Top up balance").await;
            session.find(Role::Button, "Send again").await;
            session
        },
    )
    .await;
}

/// Words of three or more Latin letters in the visible text under `selector`, leaving out IDs
/// (in `code`), the names that stay as they are, and `allowed`.
async fn latin_words(session: &mut Session, selector: &str, allowed: &[&str]) -> Vec<String> {
    let found = session
        .run_script(
            "const [selector, allowed] = arguments;
             const names = ['Ace Data Cloud', 'Producer', 'MP3', ...allowed];
             const out = [];
             const root = document.querySelector(selector);
             const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
             for (let node = walker.nextNode(); node; node = walker.nextNode()) {
               const parent = node.parentElement;
               if (!parent.getClientRects().length || parent.closest('code')) continue;
               let text = node.textContent;
               for (const name of names) text = text.split(name).join(' ');
               out.push(...(text.match(/[A-Za-z]{3,}/g) || []));
             }
             for (const option of root.querySelectorAll('option')) {
               let text = option.textContent;
               for (const name of names) text = text.split(name).join(' ');
               out.push(...(text.match(/[A-Za-z]{3,}/g) || []));
             }
             return out;",
            vec![serde_json::json!(selector), serde_json::json!(allowed)],
        )
        .await;
    serde_json::from_value(found).expect("a list of words")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chinese_the_extend_dialog_and_a_ready_song_speak_chinese() {
    let sim = SimConfig {
        song_time: Duration::from_secs(3),
        ..Default::default()
    };
    run_with(
        "songs_chinese",
        &[("LANG", "zh_CN.UTF-8")],
        sim,
        |mut session| async move {
            session.type_into("API 密钥", "sim-token").await;
            session.press("保存密钥").await;
            let link = format!("{}/files/take.wav", session.sim.base_url());
            session.type_into("音频链接", &link).await;
            session.press("上传").await;
            session.wait_for_rows_settled(1).await;

            // The Extend dialog, every word Chinese but the names (models, Ace Data Cloud).
            session.press("续写").await;
            wait_until(
                &mut session,
                "the Extend dialog in Chinese",
                "return document.getElementById('generate-dialog').open
                   && document.getElementById('generate-title').textContent.startsWith('续写“');",
                Duration::from_secs(5),
            )
            .await;
            session.find(Role::TextBox, "歌词").await;
            session.find(Role::TextBox, "风格").await;
            session
                .wait_for_text(
                    "生成会消耗你 Ace Data Cloud 余额中的点数。",
                    Duration::from_secs(5),
                )
                .await;
            let english = latin_words(
                &mut session,
                "#generate-dialog",
                &["FUZZ", "Pro", "Raw", "take"],
            )
            .await;
            assert!(
                english.is_empty(),
                "English in the Extend dialog: {english:?}"
            );
            session.screenshot("songs-chinese-extend").await;
            session.type_into("续写起点（秒）", "3").await;
            session.press("生成").await;

            // The Songs view: the ready song, its buttons and date in Chinese.
            session.find(Role::Heading, "歌曲").await;
            session
                .wait_for_text("你的歌曲已生成。", Duration::from_secs(30))
                .await;
            session.find(Role::Button, "播放").await;
            session.find(Role::Button, "下载").await;
            session.find(Role::Button, "复制歌曲 ID").await;
            let text = songs_text(&mut session).await;
            assert!(
                text.contains("续写自")
                    && text.contains("模型：FUZZ-2.0")
                    && text.contains("从第 3 秒开始"),
                "{text}"
            );
            assert!(
                text.contains("年") && text.contains("月") && text.contains("日"),
                "the date is not written in Chinese: {text}"
            );
            let english = latin_words(&mut session, "#songs-view", &["FUZZ", "take"]).await;
            assert!(english.is_empty(), "English in the Songs view: {english:?}");
            session.screenshot("songs-chinese-ready").await;

            // Settings → Language → English: the Songs view (Rust's words in it too) follows.
            session.press("设置").await;
            session
                .run_script(
                    "document.getElementById('language-en').click(); return true;",
                    vec![],
                )
                .await;
            session.find(Role::Heading, "Settings").await;
            session.press("Songs").await;
            session
                .wait_for_text("Your song is ready.", Duration::from_secs(10))
                .await;
            session.find(Role::Button, "Play").await;
            let text = songs_text(&mut session).await;
            assert!(
                text.contains("Extend of") && text.contains("model: FUZZ-2.0"),
                "{text}"
            );
            assert!(
                !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "Chinese left in the Songs view after switching to English: {text}"
            );
            session
        },
    )
    .await;
}

/// A song being made is work, like uploads: the window title says it (the status-area icon takes
/// the same words); after Finish in background the app offers a status-area icon and stays,
/// polling, until the song is ready, tells it in a notification, and quits; the song was sent
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_song_made_in_the_background_keeps_the_app_in_the_status_area_until_it_is_ready() {
    let sim = SimConfig {
        song_time: Duration::from_secs(8),
        ..Default::default()
    };
    run_with("songs_background", &[], sim, |mut session| async move {
        let monitor = BusMonitor::start("songs_background");
        session.enter_token("sim-token").await;
        extend_from_history(&mut session, "Night drive").await;
        wait_for_title("1 of 1 done, making 1 song", "the song is not in the title").await;
        session.ask_to_close().await;
        session.press("Finish in background").await;
        // The status-area icon, labelled with the song being made.
        assert!(
            monitor
                .wait_for(
                    &["StatusNotifier", "1 of 1 done, making 1 song"],
                    Duration::from_secs(10)
                )
                .await,
            "no status-area icon with the song was offered on the bus: {}",
            monitor.said()
        );
        assert!(
            !monitor.said().contains("ready to play in Songs"),
            "told before the song was made"
        );
        assert!(
            monitor
                .wait_for(
                    &[
                        "Notify",
                        "“Night drive” and 1 more are ready to play in Songs."
                    ],
                    Duration::from_secs(40)
                )
                .await,
            "no notification: {}",
            monitor.said()
        );
        let sent = session
            .sim
            .song_requests()
            .iter()
            .filter(|request| request.path == "/producer/audios")
            .count();
        assert_eq!(sent, 1, "sent once, then only polled");
        session
    })
    .await;
}
