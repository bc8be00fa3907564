// The page's only script tag: a classic script at the end of the body, which starts the app's
// modules once the markup above it is parsed (see "Start time against a minimal Tauri app" in
// README.md).
import('./app.js');
import('./zoom.js');
