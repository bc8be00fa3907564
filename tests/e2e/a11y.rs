//! Accessibility audit of the real window: axe-core (from npm, pinned in `package-lock.json`,
//! installed by `scripts/test.sh`) run on every view and state in the light and dark themes,
//! with no violation allowed; and the contrast of the colours that are not text (focus ring,
//! field borders, progress track) measured against what they sit on (WCAG 1.4.11: 3:1).

use crate::harness::{run_with, Role, Session};
use producer_sim::SimConfig;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// axe-core's script, as npm installed it.
pub(crate) fn axe_script() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "axe-core is not installed ({}: {error}); run `npm ci` at the repository root \
             (scripts/test.sh does)",
            path.display()
        )
    })
}

/// Runs axe-core on the window as it is and returns its violations, one line each.
async fn violations(session: &mut Session, axe: &str) -> Vec<String> {
    // WebDriver runs the script itself: no <script> element, so the CSP does not stop it.
    session
        .client
        .execute(&format!("{axe}\nwindow.axe = axe; return true;"), vec![])
        .await
        .expect("axe-core loads in the window");
    let found = session
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then((result) => done(result.violations.map((violation) =>
                 `${violation.id} (${violation.help}): ` +
                 violation.nodes.map((node) => node.target.join(' ')).join(', '))))
               .catch((error) => done([`axe failed: ${error}`]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    serde_json::from_value(found).expect("a list of violations")
}

/// An sRGB colour from `#rrggbb` or `rgb(r, g, b)`.
fn colour(text: &str) -> [f64; 3] {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        let channel = |at: usize| f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap());
        return [channel(0), channel(2), channel(4)];
    }
    let inside = text
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let parts: Vec<f64> = inside
        .split(',')
        .take(3)
        .map(|part| part.trim().parse().unwrap())
        .collect();
    [parts[0], parts[1], parts[2]]
}

/// WCAG contrast ratio of two colours.
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |[r, g, b]: [f64; 3]| {
        let linear = |c: f64| {
            let c = c / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    };
    let (a, b) = (luminance(colour(a)), luminance(colour(b)));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The non-text colours of the window as drawn, and what they sit on.
async fn check_non_text_contrast(session: &mut Session, theme: &str) {
    let drawn = session
        .run_script(
            "const root = getComputedStyle(document.documentElement);
             const token = (name) => root.getPropertyValue(name).trim();
             const field = getComputedStyle(document.getElementById('link-input'));
             const bar = getComputedStyle(document.querySelector('#batch progress'));
             return {
               focus: token('--focus'), page: token('--bg'), panel: token('--surface'),
               track: token('--surface-2'), fill: token('--accent'),
               field_border: field.borderTopColor, field_fill: field.backgroundColor,
               track_border: bar.borderTopColor,
             };",
            vec![],
        )
        .await;
    let get = |key: &str| drawn[key].as_str().unwrap_or_default().to_owned();
    let pairs = [
        ("focus ring on the page", "focus", "page"),
        ("focus ring on a panel", "focus", "panel"),
        ("field border on a panel", "field_border", "panel"),
        ("field border on the page", "field_border", "page"),
        ("field border around its fill", "field_border", "field_fill"),
        (
            "progress track's edge on its panel",
            "track_border",
            "panel",
        ),
        ("progress fill on its track", "fill", "track"),
    ];
    for (what, part, under) in pairs {
        let ratio = contrast(&get(part), &get(under));
        assert!(
            ratio >= 3.0,
            "{theme}: {what}: {} on {} is {ratio:.2}:1, under 3:1 ({drawn})",
            get(part),
            get(under)
        );
    }
}

/// Audits `state`, failing with every violation found.
pub(crate) async fn audit(session: &mut Session, axe: &str, theme: &str, state: &str) {
    let found = violations(session, axe).await;
    if !found.is_empty() {
        session.screenshot(&format!("a11y-{theme}-{state}")).await;
    }
    assert!(
        found.is_empty(),
        "{theme} theme, {state}: {} accessibility violation(s):\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Every view and state a musician meets, audited in one theme.
async fn audit_every_view(theme: &'static str, env: &'static [(&'static str, &'static str)]) {
    let axe = axe_script();
    run_with(
        &format!("a11y_{theme}"),
        env,
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
                json!(theme == "dark"),
                "the window is not in the {theme} theme"
            );

            session
                .find(Role::Heading, "Welcome to Producer Uploader")
                .await;
            audit(&mut session, &axe, theme, "token screen").await;

            session.enter_token("sim-token").await;
            session.find(Role::TextBox, "Audio link").await;
            audit(&mut session, &axe, theme, "empty list").await;

            // A done row, a file on this computer explained, a page that is not audio.
            let link = format!("{}/files/night-drive.wav", session.sim.base_url());
            session.upload_and_settle(&link, 1).await;
            session.upload("C:\\Music\\take.wav").await;
            session
                .wait_for_text("file on your computer", Duration::from_secs(5))
                .await;
            audit(&mut session, &axe, theme, "rows").await;
            check_non_text_contrast(&mut session, theme).await;
            // The preview player's own controls.
            session.press("Play preview").await;
            session.find(Role::Button, "Close preview").await;
            audit(&mut session, &axe, theme, "preview player").await;
            session.press("Close preview").await;

            // Files without a platform token: its screen, then a file refused and a file
            // waiting for the token on their rows.
            let wav = producer_sim::samples::tone_wav(100, 0);
            session
                .drop_data(
                    "const [wav] = arguments;
                     data.items.add(new File(['la la la'], 'lyrics.txt', { type: 'text/plain' }));
                     data.items.add(new File([new Uint8Array(wav)], 'demo.wav', { type: 'audio/wav' }));",
                    vec![json!(wav)],
                )
                .await;
            session
                .find(Role::Heading, "Platform token for files from your computer")
                .await;
            audit(&mut session, &axe, theme, "platform token screen").await;
            session.press("Back to uploads").await;
            session.wait_for_rows_settled(4).await;
            session.find(Role::Button, "Enter platform token").await;
            audit(&mut session, &axe, theme, "file rows").await;

            session.press("History").await;
            session.find(Role::Heading, "Upload history").await;
            session
                .wait_for_text("night-drive", Duration::from_secs(5))
                .await;
            audit(&mut session, &axe, theme, "history").await;
            session.press("Details").await;
            session.find(Role::Button, "Open link").await;
            audit(&mut session, &axe, theme, "history details").await;
            session.press("Close").await;

            session.press("Settings").await;
            session.find(Role::Heading, "Settings").await;
            audit(&mut session, &axe, theme, "settings").await;
            session.type_into("Uploads at once", "17").await;
            session.press("Save settings").await;
            session
                .wait_for_text("Out of range", Duration::from_secs(5))
                .await;
            audit(&mut session, &axe, theme, "settings out of range").await;
            session
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_passes_the_accessibility_audit_in_the_light_theme() {
    audit_every_view("light", &[("GTK_THEME", "Adwaita")]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_passes_the_accessibility_audit_in_the_dark_theme() {
    audit_every_view("dark", &[("GTK_THEME", "Adwaita:dark")]).await;
}

#[test]
fn contrast_is_measured_as_wcag_says() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
    assert!((contrast("rgb(255, 255, 255)", "#ffffff") - 1.0).abs() < 0.01);
    // The light theme's old focus ring, which the issue measured at 1.99:1.
    assert!((contrast("#f0a000", "#f6f5fb") - 1.99).abs() < 0.01);
}
