//! Test files for the app's pre-flight check and audio preview: a short tone under `/files/` that
//! behaves like presigned storage (ranges yes, `HEAD` no), and a virus-scan interstitial page
//! under `/pages/`. Neither counts as an upload.

use super::http::Response;
use std::ops::Range;
use std::sync::LazyLock;

/// One second of a 440 Hz sine, 8 kHz mono 16-bit PCM, as a WAV file.
static TONE_WAV: LazyLock<Vec<u8>> = LazyLock::new(|| super::samples::tone_wav(1000, 0));

/// `GET /files/<name>`: the tone as `.wav` or `.mp3` (only the content type differs), honouring a
/// single `Range`; `missing.*` and other extensions are 404.
pub(super) fn get(name: &str, range: Option<&str>) -> Response {
    let file_name = name.rsplit('/').next().unwrap_or(name);
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let content_type = match extension.as_deref() {
        _ if file_name.starts_with("missing.") => return not_found(),
        Some("wav") => "audio/wav",
        Some("mp3") => "audio/mpeg",
        _ => return not_found(),
    };
    ranged(content_type, TONE_WAV.as_slice(), range)
}

/// `file` whole, or the single range asked for (206 with `Content-Range`, or 416).
pub(super) fn ranged(content_type: &str, file: &[u8], range: Option<&str>) -> Response {
    let total = file.len();
    match byte_range(range, total) {
        ByteRange::Full => {
            Response::new(200, content_type, file).with_header("accept-ranges", "bytes")
        }
        ByteRange::Part(part) => {
            let content_range = format!("bytes {}-{}/{total}", part.start, part.end - 1);
            Response::new(206, content_type, &file[part])
                .with_header("accept-ranges", "bytes")
                .with_header("content-range", content_range)
        }
        ByteRange::Unsatisfiable => Response::text(416, "Range not satisfiable.\n")
            .with_header("content-range", format!("bytes */{total}")),
    }
}

/// `HEAD /files/...`: refused, as presigned storage links often do.
pub(super) fn head_refused() -> Response {
    Response::text(403, "HEAD is not allowed for this link.\n")
}

/// `GET /pages/...`: the page a file host shows instead of a large file, always whole.
pub(super) fn virus_scan_page() -> Response {
    Response::html(
        200,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <title>Google Drive - Virus scan warning</title></head><body>\
         <h1>Google Drive can't scan this file for viruses.</h1>\
         <p>This file is too large for Google to scan. Would you still like to download it?</p>\
         <form action=\"/files/download.mp3\" method=\"get\">\
         <input type=\"submit\" value=\"Download anyway\"></form></body></html>\n",
    )
}

fn not_found() -> Response {
    Response::text(404, "Not found.\n")
}

/// What a `Range` header asks of a file of a given size.
#[derive(Debug, PartialEq)]
enum ByteRange {
    /// No usable single range: send the whole file.
    Full,
    /// These bytes.
    Part(Range<usize>),
    /// A well-formed range that starts past the end.
    Unsatisfiable,
}

/// Reads `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (including several ranges) is
/// ignored, as servers may.
fn byte_range(header: Option<&str>, total: usize) -> ByteRange {
    let Some(spec) = header.and_then(|value| value.trim().strip_prefix("bytes=")) else {
        return ByteRange::Full;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return ByteRange::Full;
    };
    let number = |text: &str| text.trim().parse::<usize>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        (true, _, Some(0)) => ByteRange::Unsatisfiable,
        (true, _, Some(suffix)) => ByteRange::Part(total.saturating_sub(suffix)..total),
        (false, Some(start), _) if start >= total => ByteRange::Unsatisfiable,
        (false, Some(start), None) if last.trim().is_empty() => ByteRange::Part(start..total),
        (false, Some(start), Some(end)) if end >= start => {
            ByteRange::Part(start..end.saturating_add(1).min(total))
        }
        _ => ByteRange::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tone_is_a_one_second_pcm_wav() {
        let wav = TONE_WAV.clone();
        assert_eq!(wav.len(), 44 + 16_000);
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        assert_eq!(&wav[24..28], &8_000u32.to_le_bytes());
        assert_eq!(&wav[36..40], b"data");
        let peak = wav[44..]
            .chunks_exact(2)
            .map(|s| i16::from_le_bytes([s[0], s[1]]).unsigned_abs())
            .max();
        assert!(peak.is_some_and(|peak| peak > 9_000), "the tone is audible");
    }

    #[test]
    fn reads_single_byte_ranges() {
        assert_eq!(byte_range(None, 100), ByteRange::Full);
        assert_eq!(byte_range(Some("bytes=0-9"), 100), ByteRange::Part(0..10));
        assert_eq!(byte_range(Some("bytes=90-"), 100), ByteRange::Part(90..100));
        assert_eq!(
            byte_range(Some("bytes=90-500"), 100),
            ByteRange::Part(90..100)
        );
        assert_eq!(byte_range(Some("bytes=-10"), 100), ByteRange::Part(90..100));
        assert_eq!(byte_range(Some("bytes=-500"), 100), ByteRange::Part(0..100));
        assert_eq!(
            byte_range(Some("bytes=100-"), 100),
            ByteRange::Unsatisfiable
        );
        assert_eq!(byte_range(Some("bytes=-0"), 100), ByteRange::Unsatisfiable);
    }

    #[test]
    fn ignores_ranges_it_does_not_serve() {
        for header in [
            "items=0-1",
            "bytes=5-2",
            "bytes=0-1,5-6",
            "bytes=x-y",
            "bytes=",
            "bytes=-",
        ] {
            assert_eq!(byte_range(Some(header), 100), ByteRange::Full, "{header}");
        }
    }

    #[test]
    fn serves_by_extension_and_hides_missing_files() {
        assert_eq!(get("song.wav", None).status, 200);
        assert_eq!(get("dir/song.MP3", None).headers[0].1, "audio/mpeg");
        assert_eq!(get("missing.wav", None).status, 404);
        assert_eq!(get("notes.txt", None).status, 404);
        assert_eq!(get("", None).status, 404);
    }
}
