//! Saving a song: its audio fetched (no token: the link is the song's own) into a folder as
//! `<title>.mp3`, the title made safe as a file name on every system, never over another file.

use super::task::Song;
use crate::error::{ErrorCode, ErrorReport};
use crate::tr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The longest file name made, in characters, before `.mp3` and any ` (2)`.
const MAX_STEM_CHARS: usize = 120;
/// Names Windows keeps for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// `title` as a file name without its extension: no path separators, control characters or
/// characters some systems refuse, no leading or trailing dots and spaces, no device name,
/// cut to a sane length; `song` when nothing is left.
pub fn safe_stem(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => ' ',
            c => c,
        })
        .take(MAX_STEM_CHARS)
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| c == '.' || c == ' ');
    if trimmed.is_empty() {
        return "song".to_owned();
    }
    let base = trimmed.split('.').next().unwrap_or("").to_ascii_lowercase();
    if RESERVED.contains(&base.as_str()) {
        return format!("{trimmed} song");
    }
    trimmed.to_owned()
}

/// Fetches `song`'s audio and saves it in `dir` as `<title>.mp3`, or `<title> (2).mp3` and so on
/// when that name is taken: an existing file is never replaced. Returns the file's path.
pub async fn save_song(
    http: &reqwest::Client,
    song: &Song,
    dir: &Path,
) -> Result<PathBuf, ErrorReport> {
    let mut file = fetch(http, song, dir, &|_| {}).await?;
    let stem = safe_stem(&song.title);
    for n in 1..=999 {
        let name = if n == 1 {
            format!("{stem}.mp3")
        } else {
            format!("{stem} ({n}).mp3")
        };
        let path = dir.join(name);
        match file.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {
                file = error.file;
            }
            Err(error) => return Err(unwritable(dir, &error.error)),
        }
    }
    Err(unwritable(
        dir,
        &std::io::Error::other(tr!("song-names-taken")),
    ))
}

/// Fetches `song`'s audio and saves it as `path`, the file the musician chose in a save dialog
/// (which asked before replacing one): written beside it first, so a failed download leaves
/// whatever was there untouched.
pub async fn save_song_as(
    http: &reqwest::Client,
    song: &Song,
    path: &Path,
    on_progress: &(dyn Fn(Received) + Sync),
) -> Result<(), ErrorReport> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file = fetch(http, song, dir, on_progress).await?;
    file.persist(path)
        .map(|_| ())
        .map_err(|error| unwritable(dir, &error.error))
}

/// How much of a song has arrived: bytes so far, and in all when the host says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Received {
    pub bytes: u64,
    pub total: Option<u64>,
}

/// The song's audio in a hidden temporary file in `dir`, synced to disk; `on_progress` hears
/// of each piece as it arrives.
async fn fetch(
    http: &reqwest::Client,
    song: &Song,
    dir: &Path,
    on_progress: &(dyn Fn(Received) + Sync),
) -> Result<tempfile::NamedTempFile, ErrorReport> {
    let failed = |why: String| {
        ErrorReport::from_code(ErrorCode::Network).with_message(tr!(
            "song-not-downloaded",
            title = song.title.as_str(),
            detail = why
        ))
    };
    let mut response = http
        .get(&song.audio_url)
        .send()
        .await
        .map_err(|error| failed(crate::client::describe_transport(&error.without_url())))?;
    if !response.status().is_success() {
        return Err(failed(tr!(
            "song-link-answered",
            status = response.status().as_u16()
        )));
    }
    let mut file = tempfile::Builder::new()
        .prefix(".producer-upload-song")
        .tempfile_in(dir)
        .map_err(|error| unwritable(dir, &error))?;
    let mut received = Received {
        bytes: 0,
        total: response.content_length(),
    };
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| failed(crate::client::describe_transport(&error.without_url())))?
    {
        file.write_all(&chunk)
            .map_err(|error| unwritable(dir, &error))?;
        received.bytes += chunk.len() as u64;
        on_progress(received);
    }
    file.as_file()
        .sync_all()
        .map_err(|error| unwritable(dir, &error))?;
    Ok(file)
}

/// A client for songs' links: no token, redirects followed (storage links redirect), no proxy
/// for links on this computer.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(15)))
        .read_timeout(timeout)
        .user_agent(concat!("producer-uploader/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("TLS backend initialises")
}

fn unwritable(dir: &Path, error: &std::io::Error) -> ErrorReport {
    ErrorReport::from_code(ErrorCode::FileUnreadable).with_message(tr!(
        "song-not-saved",
        folder = dir.display().to_string(),
        detail = error.to_string()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_safe_file_names() {
        assert_eq!(safe_stem("Verse (take 2)"), "Verse (take 2)");
        assert_eq!(safe_stem("../../etc/passwd"), "-..-etc-passwd");
        assert_eq!(safe_stem("a\u{1b}[2Jb\nc"), "a [2Jb c");
        assert_eq!(safe_stem("AC/DC: Live?"), "AC-DC- Live-");
        assert_eq!(safe_stem("  ...  "), "song");
        assert_eq!(safe_stem(""), "song");
        assert_eq!(safe_stem("CON"), "CON song");
        assert_eq!(safe_stem("nul.txt"), "nul.txt song");
        assert_eq!(safe_stem(&"é".repeat(500)).chars().count(), MAX_STEM_CHARS);
    }
}
