//! The window in Simplified Chinese and in the pseudo-language: started with a Chinese locale it
//! speaks Chinese from the first screen on and switches to English in Settings without a
//! restart; the accessibility audit passes in Chinese; and with `PRODUCER_UPLOAD_LANGUAGE=en-XA`
//! (English accented and 40 % longer) no visible word escapes the catalogue and no text is cut
//! off, at 480 and 1280 px.

use crate::a11y::{audit, axe_script};
use crate::harness::{run_with, Role, Session};
use fantoccini::Locator;
use producer_sim::SimConfig;
use serde_json::json;
use std::time::Duration;

/// A Chinese desktop: only `LANG` says so (the harness removes the other locale variables).
const CHINESE: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];

/// A playable link served by the simulator.
fn audio_link(session: &Session, name: &str) -> String {
    format!("{}/files/{name}.wav", session.sim.base_url())
}

/// The page's `lang` attribute.
async fn page_language(session: &mut Session) -> String {
    let lang = session
        .run_script("return document.documentElement.lang;", vec![])
        .await;
    lang.as_str().unwrap_or_default().to_owned()
}

/// Clicks the element with this id, scrolled into view.
async fn click(session: &mut Session, id: &str) {
    let element = session
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|error| panic!("no #{id}: {error}"));
    session
        .run_script(
            "arguments[0].scrollIntoView({ block: 'center' }); return true;",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await;
    element
        .click()
        .await
        .unwrap_or_else(|error| panic!("could not click #{id}: {error}"));
}

/// The visible text of the window, leaving out what is meant to stay in its own language (each
/// language's name in Settings).
async fn window_words(session: &mut Session) -> String {
    let text = session
        .run_script(
            "const out = [];
             const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             for (let node = walker.nextNode(); node; node = walker.nextNode()) {
               const parent = node.parentElement;
               if (!node.textContent.trim() || !parent.getClientRects().length) continue;
               if (parent.closest('[lang]')) continue;
               out.push(node.textContent.trim());
             }
             return out.join('\\n');",
            vec![],
        )
        .await;
    text.as_str().unwrap_or_default().to_owned()
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chinese_from_the_first_run_then_english_from_settings_without_a_restart() {
    run_with(
        "language_chinese",
        CHINESE,
        SimConfig::default(),
        |mut session| async move {
            // First run asks for the API token, in Chinese.
            session
                .find(Role::Heading, "欢迎使用 Producer Uploader")
                .await;
            assert_eq!(page_language(&mut session).await, "zh-CN");
            session.type_into("API 密钥", "sim-token").await;
            session.press("保存密钥").await;

            // A pasted link gets its audio ID, its state in Chinese.
            session.find(Role::TextBox, "音频链接").await;
            let link = audio_link(&session, "night-drive");
            session.type_into("音频链接", &link).await;
            session.press("上传").await;
            let rows = session.wait_for_rows_settled(1).await;
            assert_eq!(rows[0].state, "done", "{rows:?}");
            assert!(rows[0].audio_id.is_some(), "{rows:?}");
            assert!(rows[0].text.contains("完成"), "{}", rows[0].text);
            assert!(rows[0].text.contains("音频 ID"), "{}", rows[0].text);
            session.find(Role::Button, "复制 ID").await;

            // A failing link: the row says what happened (Rust's words) and offers the next step.
            let failing = format!("{}?sim_fault=error500", audio_link(&session, "bass"));
            session.type_into("音频链接", &failing).await;
            session.press("上传").await;
            let rows = session.wait_for_rows_settled(2).await;
            assert_eq!(rows[0].state, "failed", "{rows:?}");
            assert!(rows[0].code.is_some(), "{rows:?}");
            assert!(rows[0].text.contains("失败"), "{}", rows[0].text);
            session.find(Role::Button, "重试").await;
            session.find(Role::Button, "复制追踪 ID").await;

            // History lists them with Chinese dates.
            session.press("历史记录").await;
            session.find(Role::Heading, "上传历史记录").await;
            session
                .wait_for_text("night-drive", Duration::from_secs(5))
                .await;
            let text = session.text().await;
            assert!(
                text.contains("年") && text.contains("月") && text.contains("日"),
                "History's dates are not written in Chinese:\n{text}"
            );
            assert!(text.contains("共 2 次上传"), "{text}");

            // Chinese fits at 480 and 1280 px: nothing cut off (the words themselves are the
            // catalogue's; the pseudo-language test checks where they come from).
            let mut found = Vec::new();
            check_both_widths(&mut session, "history", &mut found).await;
            session.press("历史记录").await;
            check_both_widths(&mut session, "rows", &mut found).await;

            // Settings → Language → English: every word changes at once, no restart.
            session.press("设置").await;
            session.find(Role::Heading, "设置").await;
            check_both_widths(&mut session, "settings", &mut found).await;
            let cut: Vec<_> = found
                .iter()
                .filter(|line| line.contains("cut off"))
                .collect();
            assert!(cut.is_empty(), "Chinese text cut off:\n{cut:#?}");
            click(&mut session, "language-en").await;
            session.find(Role::Heading, "Settings").await;
            assert_eq!(page_language(&mut session).await, "en");
            let words = window_words(&mut session).await;
            assert!(
                !has_chinese(&words),
                "Chinese left in Settings after switching to English:\n{words}"
            );
            session.press("Back to uploads").await;
            session.find(Role::TextBox, "Audio link").await;
            session.find(Role::Button, "Copy ID").await;
            session.find(Role::Button, "Retry").await;
            let words = window_words(&mut session).await;
            assert!(
                !has_chinese(&words),
                "Chinese left in the upload list after switching to English:\n{words}"
            );
            session.press("History").await;
            session.find(Role::Heading, "Upload history").await;
            session
                .wait_for_text("2 uploads, newest first.", Duration::from_secs(5))
                .await;
            let words = window_words(&mut session).await;
            assert!(
                !has_chinese(&words),
                "Chinese left in History after switching to English:\n{words}"
            );
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_finds_uploads_by_a_chinese_date() {
    run_with(
        "language_chinese_dates",
        CHINESE,
        SimConfig::default(),
        |mut session| async move {
            session.type_into("API 密钥", "sim-token").await;
            session.press("保存密钥").await;
            let link = audio_link(&session, "night-drive");
            session.type_into("音频链接", &link).await;
            session.press("上传").await;
            session.wait_for_rows_settled(1).await;
            session.press("历史记录").await;
            session.find(Role::Heading, "上传历史记录").await;
            // Today as the list writes it: "2026年12月5日", and without the year, "12月5日".
            let today = session
                .run_script(
                    "const now = new Date();
                     return [`${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日`,
                             `${now.getMonth() + 1}月${now.getDate()}日`];",
                    vec![],
                )
                .await;
            for date in today.as_array().unwrap() {
                let date = date.as_str().unwrap();
                session.type_into("搜索历史记录", date).await;
                session
                    .wait_for_text("有 1 次上传符合搜索条件。", Duration::from_secs(5))
                    .await;
                let text = session.text().await;
                assert!(text.contains("night-drive"), "{date}: {text}");
            }
            session.type_into("搜索历史记录", "1月1日").await;
            session
                .wait_for_text("有 0 次上传符合搜索条件。", Duration::from_secs(5))
                .await;
            session
        },
    )
    .await;
}

/// The Chinese window through the views a musician meets, audited by axe-core.
async fn audit_in_chinese(theme: &'static str, gtk_theme: &'static str) {
    let axe = axe_script();
    let env: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
        ("LANG", "zh_CN.UTF-8"),
        ("GTK_THEME", gtk_theme),
    ]));
    run_with(
        &format!("language_a11y_{theme}"),
        env,
        SimConfig::default(),
        |mut session| async move {
            let theme_name = format!("{theme} (简体中文)");
            session
                .find(Role::Heading, "欢迎使用 Producer Uploader")
                .await;
            audit(&mut session, &axe, &theme_name, "token screen").await;
            session.type_into("API 密钥", "sim-token").await;
            session.press("保存密钥").await;
            session.find(Role::TextBox, "音频链接").await;
            audit(&mut session, &axe, &theme_name, "empty list").await;
            let link = audio_link(&session, "night-drive");
            session.type_into("音频链接", &link).await;
            session.press("上传").await;
            let failing = format!("{}?sim_fault=error500", audio_link(&session, "bass"));
            session.type_into("音频链接", &failing).await;
            session.press("上传").await;
            session.wait_for_rows_settled(2).await;
            audit(&mut session, &axe, &theme_name, "rows").await;
            session.press("历史记录").await;
            session
                .wait_for_text("night-drive", Duration::from_secs(5))
                .await;
            audit(&mut session, &axe, &theme_name, "history").await;
            session.press("设置").await;
            session.find(Role::Heading, "设置").await;
            audit(&mut session, &axe, &theme_name, "settings").await;
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chinese_window_passes_the_accessibility_audit_in_the_light_theme() {
    audit_in_chinese("light", "Adwaita").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chinese_window_passes_the_accessibility_audit_in_the_dark_theme() {
    audit_in_chinese("dark", "Adwaita:dark").await;
}

/// Names that stay as they are in every language, and what the test itself made.
const NEVER_TRANSLATED: &[&str] = &[
    // Services named in notes and hints.
    "YouTube",
    "Spotify",
    "SoundCloud",
    "Dropbox",
    "Google Drive",
    "OneDrive",
    "Producer Uploader",
    "Ace Data Cloud",
    "Producer",
    "producer-upload",
    "audio_id",
    "MP3",
    "WAV",
    "CSV",
    "JSON",
    // Named in a held link's note (never translated, as locales/glossary.md says).
    "YouTube",
    // Each language is listed in Settings by its own name.
    "English",
    // Files and links the walk below adds.
    "night-drive",
    "bass",
    "take",
    "interview",
    "lyrics",
    "demo",
    "watch",
    // The simulator's reason for a song it did not make, which the window shows as Ace Data
    // Cloud said it.
    "The service could not make a song from this audio.",
];

/// Finds, in the window as it is, visible text and labels with a plain English word that did
/// not come from the pseudo-language's catalogue (whose words are all accented), and text cut
/// off by its box. Returns one line for each.
async fn problems(session: &mut Session, view: &str) -> Vec<String> {
    let found = session
        .run_script(
            r#"const [allowed, view] = arguments;
               const problems = [];
               const shown = (element) => element.getClientRects().length > 0
                 && getComputedStyle(element).visibility !== 'hidden';
               const where = (element) => {
                 const parts = [];
                 for (let at = element; at && at !== document.body && parts.length < 4; at = at.parentElement) {
                   parts.unshift(at.id ? `#${at.id}` : at.tagName.toLowerCase() + (at.classList.length ? `.${[...at.classList].join('.')}` : ''));
                 }
                 return parts.join(' > ');
               };
               // Dates and times are written by Intl for the page's language (to Intl, en-XA is
               // English): its month names and AM/PM are not the catalogue's.
               const lang = document.documentElement.lang;
               for (let month = 0; month < 12; month += 1) {
                 for (const style of ['short', 'long']) {
                   allowed.push(new Intl.DateTimeFormat(lang, { month: style }).format(new Date(2026, month, 1)));
                 }
               }
               allowed.push('AM', 'PM');
               const english = (text) => {
                 let rest = ` ${text} `;
                 for (const name of allowed) rest = rest.split(name).join(' ');
                 const words = rest.split(/\s+/).map((word) => word.replace(/[.,:;!?)]+$/, '')).filter((word) => word
                   && !/^\S*:\/\/\S*$/.test(word)         // a link
                   && !/[0-9_\/\\@]/.test(word)           // an ID, a path, a number
                   && !/\.[A-Za-z0-9]{2,4}$/.test(word));  // a file name
                 // The catalogue's words are accented: a word of three or more plain ASCII
                 // letters did not come from it.
                 return words.flatMap((word) => word.match(/\p{L}+/gu) || [])
                   .filter((letters) => /^[A-Za-z]{3,}$/.test(letters));
               };
               const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
               for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                 const parent = node.parentElement;
                 const live = parent.closest('#live');
                 if (!node.textContent.trim() || (!live && !shown(parent))) continue;
                 if (parent.closest('[lang]:not(html)')) continue;
                 const bad = english(node.textContent);
                 if (bad.length) problems.push(`${view}: text ${JSON.stringify(node.textContent.trim())} at ${where(parent)} has ${bad.join(' ')}`);
               }
               for (const element of document.body.querySelectorAll('*')) {
                 if (!shown(element)) continue;
                 for (const attribute of ['aria-label', 'placeholder', 'title', 'alt', 'aria-valuetext']) {
                   const value = element.getAttribute(attribute);
                   const bad = value ? english(value) : [];
                   if (bad.length) problems.push(`${view}: ${attribute} ${JSON.stringify(value)} of ${where(element)} has ${bad.join(' ')}`);
                 }
                 // Text cut off: clipped by its box, or spilling out of it.
                 const ownText = [...element.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim());
                 if (!ownText || element.closest('.visually-hidden')) continue;
                 const style = getComputedStyle(element);
                 if (style.display === 'inline' || style.display === 'contents') continue;
                 const clipsX = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
                 const clipsY = ['hidden', 'clip'].includes(style.overflowY);
                 const scrolls = ['auto', 'scroll'].includes(style.overflowX) || ['auto', 'scroll'].includes(style.overflowY);
                 const wide = element.scrollWidth > element.clientWidth + 1;
                 const tall = element.scrollHeight > element.clientHeight + 1;
                 if (!scrolls && (wide || (clipsY && tall))) {
                   problems.push(`${view}: text cut off at ${where(element)} (${clipsX || clipsY ? 'clipped' : 'spills out'}: ${element.scrollWidth}×${element.scrollHeight} in ${element.clientWidth}×${element.clientHeight}): ${JSON.stringify(element.textContent.trim().slice(0, 80))}`);
                 }
               }
               return problems;"#,
            vec![json!(NEVER_TRANSLATED), json!(view)],
        )
        .await;
    serde_json::from_value::<Vec<String>>(found).expect("a list of problems")
}

/// Checks the window as it is at 1280 and 480 px wide, saving a screenshot of each in
/// `target/e2e/language-<tag>-<view>-<width>.png`; gathers what is wrong into `found`.
async fn check_both_widths(session: &mut Session, view: &str, found: &mut Vec<String>) {
    let tag = page_language(session).await;
    for width in [1280, 480] {
        session
            .client
            .set_window_size(width, 800)
            .await
            .expect("resize the window");
        // Two frames after the resize, so the layout is the new width's.
        session
            .run_async_script(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        found.extend(problems(session, &format!("{view} at {width} px")).await);
        session
            .screenshot(&format!(
                "language-{tag}-{}-{width}",
                view.replace(' ', "-")
            ))
            .await;
    }
    session
        .client
        .set_window_size(1280, 800)
        .await
        .expect("resize the window");
}

/// Waits until `script` returns true.
async fn wait_until(session: &mut Session, what: &str, script: &str) {
    let script = script.to_owned();
    let done = session
        .wait_for(what, Duration::from_secs(20), |client| {
            let script = script.clone();
            async move {
                client
                    .execute(&script, vec![])
                    .await
                    .ok()?
                    .as_bool()?
                    .then_some(())
            }
        })
        .await;
    if done.is_none() {
        session
            .fail(&format!("{what} did not happen within 20 s"))
            .await;
    }
}

/// Opens the Extend or Cover dialog (`words`: its button's message) of History's first done
/// upload and puts `value` into its field `field`.
async fn ask_for_song(session: &mut Session, words: &str, field: &str, value: &str) {
    session
        .run_script(
            "const [words, field, value] = arguments;
             const button = document.querySelector(`#history-rows [data-l10n-id=\"${words}\"]`).closest('button');
             button.scrollIntoView({ block: 'center' });
             button.click();
             const fill = () => {
               const input = document.getElementById(field);
               if (input) input.value = value;
               else setTimeout(fill, 20);
             };
             fill();
             return true;",
            vec![json!(words), json!(field), json!(value)],
        )
        .await;
    wait_until(
        session,
        "the song dialog, filled in",
        &format!(
            "return document.getElementById('generate-dialog').open
               && document.getElementById('{field}')?.value === {};",
            json!(value)
        ),
    )
    .await;
}

/// Presses the open song dialog's Generate and waits for the Songs view.
async fn submit_song(session: &mut Session) {
    session
        .run_script(
            "document.querySelector('#generate-dialog button[type=submit]').click(); return true;",
            vec![],
        )
        .await;
    wait_until(
        session,
        "the Songs view",
        "return !document.getElementById('songs-view').hidden
           && !document.getElementById('generate-dialog').open;",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_pseudo_language_every_visible_word_comes_from_the_catalogue_and_fits() {
    let sim = SimConfig {
        song_time: Duration::from_secs(3),
        ..SimConfig::default()
    };
    run_with(
        "language_pseudo",
        &[("PRODUCER_UPLOAD_LANGUAGE", "en-XA")],
        sim,
        |mut session| async move {
            let mut found = Vec::new();
            assert_eq!(page_language(&mut session).await, "en-XA");
            wait_until(&mut session, "the token screen", "return !document.getElementById('token-view').hidden;").await;
            check_both_widths(&mut session, "first run", &mut found).await;

            session
                .client
                .find(Locator::Id("token-input"))
                .await
                .expect("the token field")
                .send_keys("sim-token")
                .await
                .expect("type the token");
            click(&mut session, "save-token").await;
            wait_until(&mut session, "the upload list", "return !document.getElementById('main-view').hidden;").await;
            check_both_widths(&mut session, "empty list", &mut found).await;

            // Rows in several states: done, failed, held (a page), refused (a path), waiting.
            let base = session.sim.base_url();
            let links = [
                format!("{base}/files/night-drive.wav"),
                format!("{base}/files/bass.wav?sim_fault=error500"),
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ".to_owned(),
                "C:\\Music\\take.wav".to_owned(),
                format!("{base}/files/demo.wav?sim_fault=slow&sim_delay_ms=60000"),
            ];
            crate::harness::write_clipboard(&links.join("\n"));
            session.paste_anywhere().await;
            wait_until(
                &mut session,
                "rows in every state",
                "const states = [...document.querySelectorAll('#rows > li')].map((li) => li.dataset.state);
                 return ['done', 'failed', 'held', 'rejected', 'uploading'].every((state) => states.includes(state))
                   && states.length === 5 && !states.includes('queued');",
            )
            .await;
            check_both_widths(&mut session, "rows", &mut found).await;

            // The close dialog, while an upload is on its way.
            session.ask_to_close().await;
            check_both_widths(&mut session, "close dialog", &mut found).await;
            click(&mut session, "close-stay").await;

            // The platform token screen: a file dropped without one.
            let wav = producer_sim::samples::tone_wav(100, 0);
            session
                .drop_data(
                    "const [wav] = arguments;
                     data.items.add(new File([new Uint8Array(wav)], 'demo.wav', { type: 'audio/wav' }));",
                    vec![json!(wav)],
                )
                .await;
            wait_until(&mut session, "the platform token screen", "return !document.getElementById('platform-token-view').hidden;").await;
            check_both_widths(&mut session, "platform token screen", &mut found).await;
            click(&mut session, "platform-token-back").await;

            // History with records, and a record's details.
            click(&mut session, "history-button").await;
            wait_until(&mut session, "History's records", "return document.querySelectorAll('#history-rows li[data-id]').length >= 3;").await;
            check_both_widths(&mut session, "history", &mut found).await;
            session
                .run_script(
                    "document.querySelector('#history-rows button[data-l10n-id=\"hist-details\"]').click(); return true;",
                    vec![],
                )
                .await;
            wait_until(&mut session, "a record's details", "return document.getElementById('record-dialog').open;").await;
            check_both_widths(&mut session, "record details", &mut found).await;
            click(&mut session, "record-close").await;

            // Songs: the Extend dialog of History's done upload; then the Songs view with a
            // song made and one that failed (a Cover whose task fails).
            ask_for_song(&mut session, "songs-extend", "gen-at", "3").await;
            check_both_widths(&mut session, "extend dialog", &mut found).await;
            submit_song(&mut session).await;
            click(&mut session, "history-button").await;
            wait_until(&mut session, "History's records", "return document.querySelectorAll('#history-rows li[data-id]').length >= 3;").await;
            ask_for_song(&mut session, "songs-cover", "gen-title", "night-drive sim_fault=fail").await;
            submit_song(&mut session).await;
            wait_until(
                &mut session,
                "a song made and one failed",
                "const rows = [...document.querySelectorAll('#songs-list .song-row')];
                 const img = document.querySelector('#songs-list img.cover');
                 return rows.some((row) => row.dataset.state === 'succeeded')
                   && rows.some((row) => row.dataset.state === 'failed')
                   && !!img && img.complete && img.naturalWidth > 0;",
            )
            .await;
            check_both_widths(&mut session, "songs", &mut found).await;

            // Settings, with a field out of range.
            click(&mut session, "settings-button").await;
            wait_until(&mut session, "Settings", "return !document.getElementById('settings-view').hidden;").await;
            check_both_widths(&mut session, "settings", &mut found).await;
            session
                .run_script(
                    "document.getElementById('concurrency').value = '17';
                     document.getElementById('save-settings').click(); return true;",
                    vec![],
                )
                .await;
            wait_until(&mut session, "the range message", "return !document.getElementById('concurrency-error').hidden;").await;
            check_both_widths(&mut session, "settings out of range", &mut found).await;

            // The token screen reached from Settings, with a token saved.
            click(&mut session, "change-token").await;
            wait_until(&mut session, "the token screen", "return !document.getElementById('token-view').hidden;").await;
            check_both_widths(&mut session, "token screen", &mut found).await;

            assert!(
                found.is_empty(),
                "{} problem(s) in the pseudo-language:\n{}",
                found.len(),
                found.join("\n")
            );
            session
        },
    )
    .await;
}
