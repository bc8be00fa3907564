// The page's only script tag: a classic script at the end of the body, which starts the app's
// modules. WebKit paints the page above it while it loads; a page with a module script in its
// head is painted only once that script has been fetched and run, 150 to 200 ms later (see
// "Start time against a minimal Tauri app" in README.md).
import('./app.js');
import('./zoom.js');
