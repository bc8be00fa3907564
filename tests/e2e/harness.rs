//! Runs the real app binary under WebDriver (Debian's `WebKitWebDriver`), pointed at the
//! in-process API simulator (also its file host), with its own keychain service and settings folder, and finds
//! controls the way a screen reader names them (ARIA label, or label text).

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use producer_sim::{SimConfig, Simulator};
use producer_upload::keychain::{KeychainError, TokenStatus, TokenStore};
use serde_json::{json, Value};
use std::future::Future;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The app under test: the one cargo built before this test binary or, when
/// `PRODUCER_UPLOAD_E2E_APP` names one, that binary (scripts/test-installed.sh points it at the
/// app the package installed).
pub fn app_binary() -> String {
    std::env::var("PRODUCER_UPLOAD_E2E_APP")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_producer-uploader").to_owned())
}

/// The variables that choose the app's language, taken out of its environment so that a test
/// gets the language it asks for (English unless it says otherwise, see [`Session::start`]), never
/// the developer's own.
const LANGUAGE_VARIABLES: [&str; 4] = [
    "LANGUAGE",
    "LC_ALL",
    "LC_MESSAGES",
    "PRODUCER_UPLOAD_LANGUAGE",
];

/// Longest any single end-to-end test may take.
pub const TEST_TIME_LIMIT: Duration = Duration::from_secs(150);

/// How long to wait for something to appear in the window.
pub const WAIT: Duration = Duration::from_secs(20);

/// One app on one display and one clipboard at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where screenshots and driver logs go: `target/e2e/` at the repository root.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).expect("create target/e2e");
    dir
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// Whether this machine can run the end-to-end tests; when it cannot, they are skipped with the
/// reason, unless `PRODUCER_UPLOAD_E2E=required` (set by `scripts/test.sh`) or `CI` is set, in
/// which case they fail with it.
fn can_run(test: &str) -> bool {
    let mut missing = Vec::new();
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        missing.push("no display (run under xvfb-run, as scripts/test.sh does)");
    }
    if !on_path("WebKitWebDriver") {
        missing.push("WebKitWebDriver is not installed (scripts/install-deps.sh installs it)");
    }
    if !on_path("xclip") {
        missing.push("xclip is not installed (scripts/install-deps.sh installs it)");
    }
    if missing.is_empty() {
        return true;
    }
    let why = missing.join("; ");
    let required = std::env::var("PRODUCER_UPLOAD_E2E").is_ok_and(|value| value == "required")
        || std::env::var_os("CI").is_some();
    if required {
        panic!("end-to-end test {test} cannot run: {why}");
    }
    eprintln!("SKIPPED end-to-end test {test}: {why}. Run scripts/test.sh to run it.");
    false
}

/// Runs one end-to-end test body within [`TEST_TIME_LIMIT`], one test at a time (the time
/// limit starts once the test's turn has come).
async fn bounded<F: Future<Output = ()>>(test: &str, body: F) {
    let _turn = SERIAL.lock().await;
    let started = Instant::now();
    if tokio::time::timeout(TEST_TIME_LIMIT, body).await.is_err() {
        panic!(
            "end-to-end test {test} did not finish within {} s (see target/e2e/{test}-*.log and the screenshots there)",
            TEST_TIME_LIMIT.as_secs()
        );
    }
    eprintln!("{test}: passed in {:.1} s", started.elapsed().as_secs_f64());
}

/// Runs the end-to-end test `test` with the app's usual environment and the simulator's
/// usual behaviour: see [`run_with`].
pub async fn run<F, Fut>(test: &str, body: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = Session>,
{
    run_with(test, &[], SimConfig::default(), body).await;
}

/// Runs the end-to-end test `test`, unless this machine cannot (see [`can_run`]): starts the
/// app with `extra_env` and the simulator behaving as `sim_config` says, hands the session to
/// `body`, and closes everything once `body` hands it back, all within [`bounded`].
pub async fn run_with<F, Fut>(
    test: &str,
    extra_env: &[(&str, &str)],
    sim_config: SimConfig,
    body: F,
) where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = Session>,
{
    if !can_run(test) {
        return;
    }
    bounded(test, async {
        let session = Session::start(test, extra_env, sim_config).await;
        body(session).await.finish().await;
    })
    .await;
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Starts WebKitWebDriver (the app's environment `app_env` in its own) and, through it, the app;
/// returns the WebDriver client and the driver process, whose process group holds the app.
async fn launch(name: &str, app_env: &[(String, String)]) -> (Client, Child) {
    let port = free_port();
    let log_path = artifacts_dir().join(format!("{name}-driver.log"));
    let log = std::fs::File::create(&log_path).expect("create the driver log");

    let mut command = Command::new("WebKitWebDriver");
    command
        .arg(format!("--port={port}"))
        .arg("--host=127.0.0.1")
        // Without this the app does not accept automation and session creation hangs.
        .env("TAURI_WEBVIEW_AUTOMATION", "true");
    for variable in LANGUAGE_VARIABLES {
        command.env_remove(variable);
    }
    command
        .envs(app_env.iter().map(|(key, value)| (key, value)))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log handle"))
        .stderr(log)
        // Its own process group, so the driver, the app and WebKit's helpers stop together.
        .process_group(0);
    let mut driver = command.spawn().expect("start WebKitWebDriver");

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline {
            let _ = driver.kill();
            panic!(
                "WebKitWebDriver did not listen on port {port} within 15 s; see {}",
                log_path.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let capabilities = json!({
        "webkitgtk:browserOptions": { "binary": app_binary(), "args": [] }
    });
    let capabilities = capabilities.as_object().unwrap().clone();
    let connect = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await;
    match connect {
        Ok(client) => (client, driver),
        Err(error) => {
            kill_group(driver.id(), "KILL");
            panic!(
                "could not start the app through WebKitWebDriver: {error}; see {}",
                log_path.display()
            );
        }
    }
}

/// XPath string literal for `text`, which must not contain both quote kinds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        assert!(!text.contains('\''), "name with both quote kinds: {text}");
        format!("'{text}'")
    }
}

/// How controls are looked up: by role and accessible name, as assistive technology sees them.
#[derive(Debug, Clone, Copy)]
pub enum Role {
    /// A `<button>`: its `aria-label`, else its text.
    Button,
    /// A text field: its `aria-label`, else the text of its `<label for>`.
    TextBox,
    /// A heading `h1`–`h3`: its text.
    Heading,
    /// A check box: the text of the label around it or pointing at it.
    CheckBox,
}

fn xpath_for(role: Role, name: &str) -> String {
    let name = xpath_literal(name);
    match role {
        Role::Button => format!(
            "//button[normalize-space(@aria-label)={name} or (not(@aria-label) and normalize-space(.)={name})]"
        ),
        Role::TextBox => format!(
            "//*[self::input or self::textarea][not(@type='checkbox')][normalize-space(@aria-label)={name} or (not(@aria-label) and @id=//label[normalize-space(.)={name}]/@for)]"
        ),
        Role::Heading => {
            format!("//*[self::h1 or self::h2 or self::h3][normalize-space(.)={name}]")
        }
        Role::CheckBox => format!(
            "//input[@type='checkbox'][ancestor::label[starts-with(normalize-space(.), {name})] or @id=//label[starts-with(normalize-space(.), {name})]/@for]"
        ),
    }
}

/// A running app with its simulator, driver and isolated keychain service and settings folder.
pub struct Session {
    pub client: Client,
    pub sim: Simulator,
    pub name: String,
    /// The keychain service this app uses (`PRODUCER_UPLOAD_KEYCHAIN_SERVICE`).
    pub keychain_service: String,
    /// The settings folder this app uses (`PRODUCER_UPLOAD_DATA_DIR`).
    pub data_dir: tempfile::TempDir,
    /// The app's environment beyond the test's own (simulator, keychain, settings folder).
    app_env: Vec<(String, String)>,
    driver: Option<Child>,
}

impl Session {
    /// Starts the simulator (behaving as `sim_config` says), the driver and the app, and waits
    /// until the window is ready. `extra_env` is added to the app's environment.
    async fn start(name: &str, extra_env: &[(&str, &str)], sim_config: SimConfig) -> Session {
        let sim = Simulator::start(sim_config)
            .await
            .expect("start the API simulator");
        let data_dir = tempfile::tempdir().expect("a settings folder");
        let keychain_service = format!("producer-uploader-e2e-{}-{name}", std::process::id());
        let mut app_env: Vec<(String, String)> = vec![
            // English, whatever the machine's locale, unless `extra_env` says otherwise.
            ("LANG".into(), "C.UTF-8".into()),
            ("ACEDATACLOUD_API_BASE_URL".into(), sim.base_url()),
            // The simulator is the file host too, on the same address.
            ("ACEDATACLOUD_PLATFORM_BASE_URL".into(), sim.base_url()),
            (
                "PRODUCER_UPLOAD_KEYCHAIN_SERVICE".into(),
                keychain_service.clone(),
            ),
            (
                "PRODUCER_UPLOAD_DATA_DIR".into(),
                data_dir.path().display().to_string(),
            ),
        ];
        app_env.extend(
            extra_env
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string())),
        );
        let (client, driver) = launch(name, &app_env).await;
        let mut session = Session {
            client,
            sim,
            name: name.to_owned(),
            keychain_service,
            data_dir,
            app_env,
            driver: Some(driver),
        };
        session.wait_until_ready().await;
        session
    }

    /// Closes the window as a person does with its close button (see [`Session::close_window`]),
    /// waits until the app has quit, and starts it again with the same settings folder, keychain
    /// and simulator, as after a restart of the computer's session.
    pub async fn restart(&mut self) {
        let Some(app) = self.page_pid().and_then(parent_pid) else {
            self.fail("the app process was not found").await;
        };
        if let Err(error) = close_window(app) {
            self.fail(&format!("could not close the window: {error}"))
                .await;
        }
        // Saving the window's state and stopping WebKit's processes can take a while on a busy
        // machine.
        let deadline = Instant::now() + Duration::from_secs(30);
        while is_running(app) {
            if Instant::now() > deadline {
                self.fail("the app did not quit within 30 s of its window being closed")
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The driver's session ended with the app; its driver goes with it.
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.clone().close()).await;
        self.stop_processes();
        let (client, driver) = launch(&format!("{}-again", self.name), &self.app_env).await;
        self.client = client;
        self.driver = Some(driver);
        self.wait_until_ready().await;
    }

    /// Waits until the page has started (after the app starts, or after a reload).
    pub async fn wait_until_ready(&mut self) {
        let ready = self
            .wait_for("the window to finish starting", WAIT, |client| async move {
                let value = client
                    .execute(
                        "return document.body && document.body.dataset.ready === 'true';",
                        vec![],
                    )
                    .await
                    .ok()?;
                value.as_bool().filter(|ready| *ready)
            })
            .await;
        if ready.is_none() {
            self.fail("the window did not finish starting").await;
        }
    }

    /// This session's page process: WebKit's web process under the app this session's driver
    /// started.
    pub fn page_pid(&self) -> Option<u32> {
        let driver = self.driver.as_ref()?.id();
        let descends_from_driver = |mut pid: u32| {
            for _ in 0..8 {
                let Some(parent) = parent_pid(pid) else {
                    return false;
                };
                if parent == driver {
                    return true;
                }
                pid = parent;
            }
            false
        };
        std::fs::read_dir("/proc")
            .ok()?
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|comm| comm.trim() == "WebKitWebProces")
            })
            .find(|pid| descends_from_driver(*pid))
    }

    /// The memory of this session's page process; `None` if it cannot be found.
    pub fn page_memory(&self) -> Option<PageMemory> {
        let pid = self.page_pid()?;
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
        Some(PageMemory {
            rss_kib: kib_field(&rollup, "Rss:")?,
            pss_kib: kib_field(&rollup, "Pss:")?,
            anon_kib: kib_field(&rollup, "Anonymous:")?,
        })
    }

    /// When the app process (the page process's parent) started, in milliseconds since the Unix
    /// epoch, to the kernel's clock tick (10 ms).
    pub fn app_started_ms(&self) -> Option<f64> {
        let app = parent_pid(self.page_pid()?)?;
        let stat = std::fs::read_to_string(format!("/proc/{app}/stat")).ok()?;
        // Fields after the command name (which may hold spaces) start at field 3; starttime is 22.
        let ticks: f64 = stat
            .rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(19)?
            .parse()
            .ok()?;
        let boot: f64 = std::fs::read_to_string("/proc/stat")
            .ok()?
            .lines()
            .find_map(|line| line.strip_prefix("btime "))?
            .trim()
            .parse()
            .ok()?;
        const TICKS_PER_SECOND: f64 = 100.0;
        Some((boot + ticks / TICKS_PER_SECOND) * 1000.0)
    }

    /// The page process's memory once it has settled: sampled every half second (the engine
    /// collects garbage and returns freed pages on its own timers) until the proportional set
    /// size has not fallen for three samples, or 15 s have passed; the lowest sample.
    pub async fn settled_page_memory(&self) -> Option<PageMemory> {
        let mut lowest: Option<PageMemory> = None;
        let mut since_lower = 0;
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let sample = self.page_memory()?;
            if lowest.is_none_or(|low| sample.pss_kib < low.pss_kib) {
                lowest = Some(sample);
                since_lower = 0;
            } else {
                since_lower += 1;
                if since_lower == 3 {
                    break;
                }
            }
        }
        lowest
    }

    /// The page process's lowest anonymous memory, sampled every half second for up to `within`
    /// or until it is below `enough_kib` (the engine frees memory on its own timers, and the page
    /// started again after a reload frees its old one's over several seconds).
    pub async fn lowest_page_memory(
        &self,
        within: Duration,
        enough_kib: u64,
    ) -> Option<PageMemory> {
        let deadline = std::time::Instant::now() + within;
        let mut lowest: Option<PageMemory> = None;
        while std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let sample = self.page_memory()?;
            if lowest.is_none_or(|low| sample.anon_kib < low.anon_kib) {
                lowest = Some(sample);
            }
            if sample.anon_kib < enough_kib {
                break;
            }
        }
        lowest
    }

    /// Reloads the page, as a crash of the web view would, and waits until it has started.
    pub async fn reload(&mut self) {
        if let Err(error) = self.client.refresh().await {
            self.fail(&format!("could not reload the page: {error}"))
                .await;
        }
        self.wait_until_ready().await;
    }

    /// Saves a screenshot as `target/e2e/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = artifacts_dir().join(format!("{name}.png"));
        // Let the window paint what the DOM already shows.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        // Read from the X server: WebDriver's screenshot waits for the page's next drawing,
        // which a page drawn without WebKit's compositor (as the app draws it) may never do.
        let app = self.page_pid().and_then(parent_pid);
        match app.and_then(window_png) {
            Some(png) => std::fs::write(&path, png).expect("write screenshot"),
            None => eprintln!("could not take screenshot {name}"),
        }
        path
    }

    /// The failure message for `why`, after saving a screenshot and the window's text and
    /// stopping the app.
    async fn failure(&mut self, why: &str) -> String {
        let shot = self.screenshot(&format!("{}-failure", self.name)).await;
        let text = self
            .client
            .execute("return document.body.innerText;", vec![])
            .await
            .map(|value| value.as_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        self.stop_processes();
        format!(
            "{}: {why}\n--- window text ---\n{text}\n--- screenshot: {} ---",
            self.name,
            shot.display()
        )
    }

    /// Saves what [`Session::failure`] saves and panics with its message.
    pub async fn fail(&mut self, why: &str) -> ! {
        panic!("{}", self.failure(why).await)
    }

    /// Polls `check` every 100 ms until it returns `Some`, or `None` after `limit`.
    pub async fn wait_for<T, F, Fut>(&self, _what: &str, limit: Duration, mut check: F) -> Option<T>
    where
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(value) = check(self.client.clone()).await {
                return Some(value);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The displayed control with this role and accessible name, waiting for it to appear.
    pub async fn find(&mut self, role: Role, name: &str) -> Element {
        self.find_within(role, name, WAIT).await
    }

    /// Like [`Session::find`], with its own time limit.
    pub async fn find_within(&mut self, role: Role, name: &str, limit: Duration) -> Element {
        match self.visible(role, name, limit).await {
            Some(element) => element,
            None => {
                self.fail(&format!(
                    "no visible {role:?} named {name:?} within {} s",
                    limit.as_secs()
                ))
                .await
            }
        }
    }

    /// The first displayed control with this role and accessible name, if one appears within
    /// `limit`.
    async fn visible(&self, role: Role, name: &str, limit: Duration) -> Option<Element> {
        let xpath = xpath_for(role, name);
        self.wait_for(name, limit, |client| {
            let xpath = xpath.clone();
            async move {
                for element in client.find_all(Locator::XPath(&xpath)).await.ok()? {
                    if element.is_displayed().await.unwrap_or(false) {
                        return Some(element);
                    }
                }
                None
            }
        })
        .await
    }

    /// Opens the question the close button asks during work (the window manager's request
    /// does not reach the page under Xvfb).
    pub async fn ask_to_close(&mut self) {
        self.run_script(
            "document.getElementById('close-dialog').showModal(); return true;",
            vec![],
        )
        .await;
    }

    /// Clicks the button with this accessible name, scrolled into view.
    ///
    /// A click refused while the page is redrawing around the button (a live progress display)
    /// is tried again, unless the button has gone meanwhile, which means the click took effect.
    pub async fn press(&mut self, name: &str) {
        let mut button = self.find(Role::Button, name).await;
        let mut tries = 0;
        loop {
            // A button below the fold or under a sticky bar is scrolled to, as a person would
            // (WebKitWebDriver refuses to click one out of view); one in view stays where it is.
            if let Ok(element) = serde_json::to_value(&button) {
                let _ = self
                    .client
                    .execute(
                        "const box = arguments[0].getBoundingClientRect();
                         const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
                         const covered = !top || !arguments[0].contains(top);
                         if (box.top < 0 || box.bottom > window.innerHeight || covered) {
                           arguments[0].scrollIntoView({ block: 'center' });
                         }
                         return true;",
                        vec![element],
                    )
                    .await;
            }
            let Err(error) = button.click().await else {
                return;
            };
            tries += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
            let again = self
                .visible(Role::Button, name, Duration::from_secs(1))
                .await;
            match again {
                None => return,
                Some(found) if tries < 3 => button = found,
                Some(_) => {
                    self.fail(&format!("could not press {name:?}: {error:?}"))
                        .await
                }
            }
        }
    }

    /// Types `text` into the text field with this accessible name.
    pub async fn type_into(&mut self, field: &str, text: &str) {
        let input = self.find(Role::TextBox, field).await;
        // WebKitWebDriver does not scroll a field below the fold into view before typing.
        let _ = self
            .client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&input).unwrap()],
            )
            .await;
        let typed = async {
            input.clear().await?;
            input.send_keys(text).await
        };
        if let Err(error) = typed.await {
            self.fail(&format!("could not type into {field:?}: {error}"))
                .await;
        }
    }

    /// Presses Ctrl+V with the keyboard focus wherever it is.
    pub async fn press_ctrl_v(&mut self) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: '\u{e009}' })
            .then(KeyAction::Down { value: 'v' })
            .then(KeyAction::Up { value: 'v' })
            .then(KeyAction::Up { value: '\u{e009}' });
        if let Err(error) = self.client.perform_actions(keys).await {
            self.fail(&format!("could not press Ctrl+V: {error}")).await;
        }
    }

    /// Presses and releases one key (a character, or a WebDriver key code such as `\u{e004}`
    /// for Tab and `\u{e007}` for Enter) wherever the keyboard focus is.
    pub async fn press_key(&mut self, key: char) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        if let Err(error) = self.client.perform_actions(keys).await {
            self.fail(&format!("could not press {key:?}: {error}"))
                .await;
        }
    }

    /// The accessible name of the focused element (its `aria-label`, else its text).
    pub async fn focused_name(&mut self) -> String {
        let value = self
            .run_script(
                "const el = document.activeElement;
                 return el && el !== document.body ? (el.getAttribute('aria-label') || el.textContent || '').trim() : '';",
                vec![],
            )
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the element with this `id` has the keyboard focus.
    pub async fn wait_for_focus(&mut self, id: &str) {
        let focused = self
            .wait_for(id, Duration::from_secs(5), |client| async move {
                let value = client
                    .execute(
                        "return document.activeElement && document.activeElement.id;",
                        vec![],
                    )
                    .await
                    .ok()?;
                (value.as_str()? == id).then_some(())
            })
            .await;
        if focused.is_none() {
            self.fail(&format!("#{id} did not get the keyboard focus"))
                .await;
        }
    }

    /// Runs `script` in the window.
    pub async fn run_script(&mut self, script: &str, args: Vec<Value>) -> Value {
        match self.client.execute(script, args).await {
            Ok(value) => value,
            Err(error) => self.fail(&format!("script failed: {error}")).await,
        }
    }

    /// The window's visible text.
    pub async fn text(&mut self) -> String {
        let value = self
            .run_script("return document.body.innerText;", vec![])
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Runs `script` in the window; it ends by calling its last argument with the result.
    pub async fn run_async_script(&mut self, script: &str, args: Vec<Value>) -> Value {
        match self.client.execute_async(script, args).await {
            Ok(value) => value,
            Err(error) => self.fail(&format!("script failed: {error}")).await,
        }
    }

    /// The upload rows as shown, newest first. Only the rows in view are in the page, so the
    /// window is scrolled through the list (a screenful at a time) and back.
    pub async fn rows(&mut self) -> Vec<Row> {
        let value = self
            .run_async_script(
                "const done = arguments[arguments.length - 1];
                 const frames = () => new Promise((ready) =>
                   requestAnimationFrame(() => requestAnimationFrame(ready)));
                 (async () => {
                   const list = document.getElementById('rows');
                   const seen = new Map();
                   const take = () => {
                     for (const li of list.children) seen.set(Number(li.dataset.id), {
                       id: Number(li.dataset.id),
                       state: li.dataset.state,
                       text: li.textContent,
                       link: li.querySelector('.row-link')?.title ?? '',
                       audio_id: li.querySelector('.audio-id')?.textContent ?? null,
                       code: li.querySelector('.row-error')?.dataset.code ?? null,
                     });
                   };
                   if (list.offsetParent !== null) {
                     const back = window.scrollY;
                     window.scrollTo(0, 0);
                     await frames();
                     take();
                     for (let step = 0; step < 1000; step += 1) {
                       const bottom = document.documentElement.scrollHeight - window.innerHeight;
                       if (window.scrollY >= bottom - 1) break;
                       window.scrollTo(0, Math.min(bottom, window.scrollY + window.innerHeight));
                       await frames();
                       take();
                     }
                     window.scrollTo(0, back);
                     await frames();
                   }
                   done([...seen.values()].sort((a, b) => b.id - a.id));
                 })();",
                vec![],
            )
            .await;
        serde_json::from_value(value).expect("rows as JSON")
    }

    /// Waits until `count` rows exist and none is still in progress; returns them.
    pub async fn wait_for_rows_settled(&mut self, count: usize) -> Vec<Row> {
        self.wait_for_rows(
            Duration::from_secs(40),
            &format!("expected {count} finished rows within 40 s"),
            |rows| {
                rows.len() == count
                    && rows.iter().all(|row| {
                        matches!(row.state.as_str(), "done" | "failed" | "rejected" | "held")
                    })
            },
        )
        .await
    }

    /// Waits until row `index` shows `state`. (A row sent again stays as it was until the first
    /// update of its new attempt arrives, so a settled list alone does not tell.)
    pub async fn wait_for_row_state(
        &mut self,
        index: usize,
        state: &str,
        limit: Duration,
    ) -> Vec<Row> {
        self.wait_for_rows(
            limit,
            &format!("row {index} is not {state} within {limit:?}"),
            |rows| rows.get(index).is_some_and(|row| row.state == state),
        )
        .await
    }

    /// Reads the rows every 150 ms until `ready` says so, and returns them; fails with `failure`
    /// and the rows after `limit`.
    async fn wait_for_rows(
        &mut self,
        limit: Duration,
        failure: &str,
        ready: impl Fn(&[Row]) -> bool,
    ) -> Vec<Row> {
        let deadline = Instant::now() + limit;
        loop {
            let rows = self.rows().await;
            if ready(&rows) {
                return rows;
            }
            if Instant::now() > deadline {
                self.fail(&format!("{failure}, have {rows:#?}")).await;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until the window's text contains `needle`.
    pub async fn wait_for_text(&mut self, needle: &str, limit: Duration) {
        let found = self
            .wait_for(needle, limit, |client| async move {
                let value = client
                    .execute("return document.body.innerText;", vec![])
                    .await
                    .ok()?;
                value.as_str()?.contains(needle).then_some(())
            })
            .await;
        if found.is_none() {
            self.fail(&format!(
                "the text {needle:?} did not appear within {} s",
                limit.as_secs()
            ))
            .await;
        }
    }

    /// Goes through the token screen: types `token` into "API token" and presses "Save token".
    pub async fn enter_token(&mut self, token: &str) {
        self.type_into("API token", token).await;
        self.press("Save token").await;
        self.find(Role::TextBox, "Audio link").await;
    }

    /// Types `link` into "Audio link" and presses "Upload".
    pub async fn upload(&mut self, link: &str) {
        self.type_into("Audio link", link).await;
        self.press("Upload").await;
    }

    /// Like [`Session::upload`], then waits until `count` rows have settled; returns them.
    pub async fn upload_and_settle(&mut self, link: &str, count: usize) -> Vec<Row> {
        self.upload(link).await;
        self.wait_for_rows_settled(count).await
    }

    /// Moves keyboard focus off any text field (as clicking an empty part of the window does)
    /// and presses Ctrl+V there.
    pub async fn paste_anywhere(&mut self) {
        self.run_script(
            "document.activeElement && document.activeElement.blur(); return true;",
            vec![],
        )
        .await;
        self.press_ctrl_v().await;
    }

    /// Drops onto the drop zone, as a drag from another program ends, a `DataTransfer` named
    /// `data` that the script `fill` fills (`args` are its `arguments`).
    pub async fn drop_data(&mut self, fill: &str, args: Vec<Value>) {
        let script = format!(
            "const data = new DataTransfer();
             {fill}
             const zone = document.getElementById('drop-zone');
             for (const type of ['dragenter', 'dragover', 'drop']) {{
               zone.dispatchEvent(new DragEvent(type, {{ bubbles: true, cancelable: true, dataTransfer: data }}));
             }}
             return true;"
        );
        self.run_script(&script, args).await;
    }

    /// The keychain as this app sees it.
    fn keychain(&self) -> TokenStore {
        TokenStore::new(self.keychain_service.clone())
    }

    /// Whether this app's keychain entry holds a token, and its last four characters.
    pub async fn keychain_status(&self) -> Result<TokenStatus, KeychainError> {
        let store = self.keychain();
        tokio::task::spawn_blocking(move || store.status())
            .await
            .unwrap()
    }

    fn stop_processes(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            kill_group(driver.id(), "TERM");
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = driver.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            kill_group(driver.id(), "KILL");
            let _ = driver.wait();
        }
    }

    /// The app binary as this session started it (same data folder, keychain, simulator), to
    /// start it again by hand beside the running one.
    pub fn app_command(&self) -> Command {
        let mut command = Command::new(app_binary());
        for variable in LANGUAGE_VARIABLES {
            command.env_remove(variable);
        }
        command.envs(self.app_env.iter().map(|(key, value)| (key, value)));
        command
    }

    /// Closes the window and stops everything; removes the test's keychain entry.
    pub async fn finish(mut self) {
        let client = self.client.clone();
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        self.stop_processes();
        let store = self.keychain();
        let _ = tokio::task::spawn_blocking(move || store.delete()).await;
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop_processes();
    }
}

/// Sends `signal` to the process group `group`.
fn kill_group(group: u32, signal: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{group}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A row of the upload list, as the window shows it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Row {
    pub state: String,
    pub text: String,
    pub link: String,
    pub audio_id: Option<String>,
    pub code: Option<String>,
}

/// The system clipboard's text (through `xclip`, bounded in time).
pub fn read_clipboard() -> String {
    let output = Command::new("timeout")
        .args(["5", "xclip", "-o", "-selection", "clipboard"])
        .stdin(Stdio::null())
        .output()
        .expect("run xclip");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Puts `text` on the system clipboard (xclip keeps serving it in the background).
pub fn write_clipboard(text: &str) {
    let mut child = Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run xclip");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .expect("write to xclip");
    let _ = child.wait();
}

/// Copies `target/e2e/<name>.png` to `docs/<docs_name>` when `PRODUCER_UPLOAD_UPDATE_DOCS=1`.
pub fn publish_screenshot(shot: &Path, docs_name: &str) {
    if std::env::var("PRODUCER_UPLOAD_UPDATE_DOCS").is_ok_and(|value| value == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        std::fs::create_dir_all(&docs).expect("create docs/");
        std::fs::copy(shot, docs.join(docs_name)).expect("copy the screenshot to docs/");
    }
}

/// A process's memory, in KiB: resident, proportional (shared pages divided among the
/// processes that map them), and anonymous (its own heaps, whatever other processes map).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageMemory {
    pub rss_kib: u64,
    pub pss_kib: u64,
    pub anon_kib: u64,
}

/// Asks the app's window to close as a window manager does when a person presses its close
/// button: a `WM_DELETE_WINDOW` message to each shown top-level window of the process `app`
/// (under Xvfb there is no window manager, so the message goes straight to the window).
fn close_window(app: u32) -> Result<(), Box<dyn std::error::Error>> {
    use x11rb::connection::Connection;
    let (connection, screen) = x11rb::connect(None)?;
    let root = connection.setup().roots[screen].root;
    let windows = shown_windows(&connection, root, app)?;
    if windows.is_empty() {
        return Err(format!("process {app} shows no window").into());
    }
    let atoms = CloseAtoms::of(&connection)?;
    ask_to_close(&connection, atoms, &windows)
}

/// The atoms of a window manager's close request.
#[derive(Debug, Clone, Copy)]
struct CloseAtoms {
    protocols: u32,
    delete: u32,
}

impl CloseAtoms {
    fn of(
        connection: &impl x11rb::connection::Connection,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        use x11rb::protocol::xproto::ConnectionExt as _;
        let atom = |name: &str| -> Result<u32, Box<dyn std::error::Error>> {
            Ok(connection
                .intern_atom(false, name.as_bytes())?
                .reply()?
                .atom)
        };
        Ok(Self {
            protocols: atom("WM_PROTOCOLS")?,
            delete: atom("WM_DELETE_WINDOW")?,
        })
    }
}

/// Sends `WM_DELETE_WINDOW` to each of `windows`, as a window manager does, and waits until the
/// X server has taken each one. Unlike a window manager, the harness closes its connection right
/// after: an X server that finds a client hung up before it read its requests drops them
/// unsent, which happens whenever the server is still serving other clients (the app drawing
/// its window, say) when the request arrives.
fn ask_to_close(
    connection: &impl x11rb::connection::Connection,
    atoms: CloseAtoms,
    windows: &[u32],
) -> Result<(), Box<dyn std::error::Error>> {
    use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt as _, EventMask};
    for &window in windows {
        let message = ClientMessageEvent::new(
            32,
            window,
            atoms.protocols,
            [atoms.delete, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        connection
            .send_event(false, window, EventMask::NO_EVENT, message)?
            .check()?;
    }
    Ok(())
}

/// The display, once it takes connections (just after xvfb-run starts it, it may still turn
/// them away).
fn connect_to_display() -> (x11rb::rust_connection::RustConnection, usize) {
    let mut tries = 0;
    loop {
        match x11rb::connect(None) {
            Ok(connected) => return connected,
            Err(error) if tries == 50 => panic!("connect to the display: {error}"),
            Err(_) => tries += 1,
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How long the program `binary` (run with `envs` added to its environment) takes from its start
/// until its first window is on the screen (mapped), and until that window shows a drawn page
/// (at least three colours: an empty or half-cleared window has one or two), by asking the X
/// server every 5 ms; `None` for what did not happen within 20 s. The program is then stopped.
pub fn time_to_first_paint(
    binary: &str,
    envs: &[(String, String)],
) -> (Option<Duration>, Option<Duration>) {
    use x11rb::connection::Connection;
    let (connection, screen) = connect_to_display();
    let root = connection.setup().roots[screen].root;
    let started = Instant::now();
    let program = Command::new(binary)
        .envs(envs.iter().map(|(key, value)| (key, value)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
    let mut program = program.unwrap_or_else(|error| panic!("start {binary}: {error}"));
    let (mut mapped, mut painted) = (None, None);
    let mut window = None;
    while painted.is_none() && started.elapsed() < Duration::from_secs(20) {
        if window.is_none() {
            window = shown_windows(&connection, root, program.id())
                .ok()
                .and_then(|windows| windows.first().copied());
            if window.is_some() {
                mapped = Some(started.elapsed());
            }
        }
        if let Some(window) = window {
            if let Some((image, _, _)) = window_image(&connection, window) {
                let mut colours = std::collections::HashSet::new();
                for pixel in image.data.chunks_exact(4) {
                    colours.insert([pixel[0], pixel[1], pixel[2]]);
                    if colours.len() >= 3 {
                        painted = Some(started.elapsed());
                        break;
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    kill_group(program.id(), "TERM");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !matches!(program.try_wait(), Ok(Some(_))) {
        std::thread::sleep(Duration::from_millis(50));
    }
    kill_group(program.id(), "KILL");
    let _ = program.wait();
    (mapped, painted)
}

/// What the first shown window of the process `pid` shows, as a PNG image.
fn window_png(pid: u32) -> Option<Vec<u8>> {
    use x11rb::connection::Connection;
    let (connection, screen) = x11rb::connect(None).ok()?;
    let root = connection.setup().roots[screen].root;
    let window = *shown_windows(&connection, root, pid).ok()?.first()?;
    let (image, width, height) = window_image(&connection, window)?;
    let rgb: Vec<u8> = image
        .data
        .chunks_exact(4)
        .flat_map(|pixel| [pixel[2], pixel[1], pixel[0]])
        .collect();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width.into(), height.into());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&rgb).ok()?;
    writer.finish().ok()?;
    Some(png)
}

/// What `window` shows, 32 bits a pixel (blue first), with its width and height.
fn window_image(
    connection: &impl x11rb::connection::Connection,
    window: u32,
) -> Option<(x11rb::protocol::xproto::GetImageReply, u16, u16)> {
    use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat};
    let size = connection.get_geometry(window).ok()?.reply().ok()?;
    let image = connection
        .get_image(
            ImageFormat::Z_PIXMAP,
            window,
            0,
            0,
            size.width,
            size.height,
            !0,
        )
        .ok()?
        .reply()
        .ok()?;
    Some((image, size.width, size.height))
}

/// The shown top-level windows of the process `pid`.
fn shown_windows(
    connection: &impl x11rb::connection::Connection,
    root: u32,
    pid: u32,
) -> Result<Vec<u32>, Box<dyn std::error::Error>> {
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, MapState};
    let pid_atom = connection.intern_atom(false, b"_NET_WM_PID")?.reply()?.atom;
    let mut shown = Vec::new();
    for window in connection.query_tree(root)?.reply()?.children {
        let owner = connection
            .get_property(false, window, pid_atom, AtomEnum::CARDINAL, 0, 1)?
            .reply()?;
        let viewable =
            connection.get_window_attributes(window)?.reply()?.map_state == MapState::VIEWABLE;
        if viewable && owner.value32().and_then(|mut pids| pids.next()) == Some(pid) {
            shown.push(window);
        }
    }
    Ok(shown)
}

/// Whether the process `pid` is still running (not gone, not a zombie).
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

/// The parent of a process.
fn parent_pid(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    kib_field(&status, "PPid:").map(|parent| parent as u32)
}

/// The number after `name` on a `/proc` line such as `VmRSS:   1234 kB`.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The close request reaches the window even when the X server is busy with another client
/// when it arrives: every restart in these tests depends on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_request_reaches_the_window_while_the_display_is_busy() {
    if !can_run("close_request") {
        return;
    }
    bounded("close_request", async {
        tokio::task::spawn_blocking(close_request_while_busy)
            .await
            .expect("the close request test ran");
    })
    .await;
}

fn close_request_while_busy() {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt as _, CreateWindowAux, EventMask, WindowClass};
    use x11rb::protocol::Event;
    // A window, as an app shows one.
    let (app, screen) = connect_to_display();
    let root = app.setup().roots[screen].root;
    let window = app.generate_id().expect("a window id");
    app.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        200,
        100,
        0,
        WindowClass::INPUT_OUTPUT,
        0,
        &CreateWindowAux::new().event_mask(EventMask::STRUCTURE_NOTIFY),
    )
    .expect("create a window");
    app.map_window(window).expect("map the window");
    app.get_input_focus().expect("sync").reply().expect("sync");
    // Another client has the server's attention when the request is sent, and keeps it for a
    // moment.
    let (closer, _) = connect_to_display();
    let atoms = CloseAtoms::of(&closer).expect("the close request's atoms");
    let (busy, _) = connect_to_display();
    busy.grab_server().expect("grab the server");
    busy.get_input_focus().expect("sync").reply().expect("sync");
    let sender = std::thread::spawn(move || {
        ask_to_close(&closer, atoms, &[window]).map_err(|error| error.to_string())
    });
    std::thread::sleep(Duration::from_millis(300));
    busy.ungrab_server().expect("ungrab the server");
    busy.get_input_focus().expect("sync").reply().expect("sync");
    sender
        .join()
        .expect("the close request was sent")
        .expect("the close request was sent");
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut delivered = false;
    while !delivered && Instant::now() < deadline {
        match app.poll_for_event().expect("read the window's events") {
            Some(Event::ClientMessage(message)) => delivered = message.window == window,
            Some(_) => {}
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    assert!(delivered, "the window never received WM_DELETE_WINDOW");
}
