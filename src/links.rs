//! Link intake: turning pasted or dropped text into links the service can fetch.
//!
//! People paste whatever their apps give them: several links on one line or many, a `text/uri-list`
//! from a drag and drop, links inside a sentence, links wrapped in quotes or brackets, and files on
//! their own computer. [`parse_links`] finds every item in such text and [`prepare_link`] takes a
//! single one. Each item becomes an [`Intake`]: either a [`PreparedLink`] ready to send, with share
//! links of the usual storage services changed to their direct-download form, or a
//! [`RejectedLink`] with the reason.
//!
//! A link ends at whitespace: a link with a space inside is cut there (apps that copy links
//! encode spaces as `%20`). A line that starts with a local path, such as `C:\Users\Me\My Song.wav`,
//! is kept whole, spaces included. When the text holds at least one link or path, other words
//! are ignored; when it holds none, each line is one (rejected) item, so the person sees why.

use crate::tr;
use std::collections::HashSet;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use url::Url;

use crate::error::{ErrorCode, ErrorReport};

/// One piece of pasted or dropped input, after intake.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Intake {
    /// A web link that can be sent to the service.
    Ready(PreparedLink),
    /// Something that cannot be sent, with the reason.
    Rejected(RejectedLink),
}

/// A web link ready to be sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreparedLink {
    /// The item as the person gave it, without surrounding quotes, brackets or punctuation.
    pub given: String,
    /// The link that will be sent.
    #[serde(serialize_with = "serialize_url")]
    pub audio_url: Url,
    /// Set when a share link was changed to its direct-download form.
    pub rewrite: Option<Rewrite>,
    /// A plain-language warning when the link looks like a web page rather than an audio file.
    pub warning: Option<String>,
    /// True when the link cannot work as it is (a video, streaming or download page, or a
    /// folder): the window holds it on its row, with "Upload anyway" and "Remove", and the
    /// command does not send it without `--send-anyway` (see [`hold_reason`]).
    pub hold: bool,
}

/// A share link that was changed to its direct-download form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rewrite {
    /// The storage service, e.g. "Dropbox" or "Google Drive".
    pub service: String,
    /// What was done, in plain words.
    pub message: String,
}

/// An item that cannot be sent.
///
/// Serialised with the plain-language message next to the code:
/// `{"given": …, "code": "local_file", "message": …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedLink {
    /// The item as the person gave it, without surrounding quotes, brackets or punctuation.
    pub given: String,
    /// [`ErrorCode::LocalFile`] or [`ErrorCode::InvalidUrl`].
    pub code: ErrorCode,
}

impl RejectedLink {
    /// The error report to show for this item.
    pub fn report(&self) -> ErrorReport {
        ErrorReport::from_code(self.code.clone())
    }
}

impl Serialize for RejectedLink {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("RejectedLink", 3)?;
        state.serialize_field("given", &self.given)?;
        state.serialize_field("code", &self.code)?;
        state.serialize_field("message", &self.code.user_message())?;
        state.end()
    }
}

fn serialize_url<S: Serializer>(url: &Url, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(url.as_str())
}

/// A link History may hand to the web browser: an `http` or `https` address with a host, never
/// `file:`, `javascript:` or another program's scheme. Anything else is [`ErrorCode::InvalidUrl`].
pub fn browser_link(text: &str) -> Result<Url, ErrorReport> {
    match Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
        _ => Err(ErrorReport::from_code(ErrorCode::InvalidUrl)),
    }
}

/// Why `link` is held for the musician's OK instead of sent, if it is: the address to send
/// points at this computer or the local network, which Ace Data Cloud cannot reach
/// (`local_link`; unless the API itself is on this computer, `api_is_local`), by its address or
/// by a name among `local_hosts` (names that resolve only there, found by
/// [`LinkClient::local_hosts`](crate::preflight::LinkClient::local_hosts)), or the link as given
/// is a page or a folder rather than a file (`not_audio_file`). The one intake
/// ([`crate::intake`]) asks this for the window and the command alike.
pub fn hold_reason_of(
    link: &PreparedLink,
    api_is_local: bool,
    local_hosts: &HashSet<String>,
) -> Option<ErrorCode> {
    let audio_url = &link.audio_url;
    let local_name = audio_url
        .host_str()
        .is_some_and(|host| local_hosts.contains(host));
    if crate::preflight::out_of_service_reach(audio_url, api_is_local) || local_name {
        return Some(ErrorCode::LocalLink);
    }
    link.hold.then_some(ErrorCode::NotAudioFile)
}

/// Finds every link in pasted or dropped text, in input order.
///
/// Items that end up with the same `audio_url` are kept once (the first), and so are repeated
/// rejected items. Lines starting with `#` are comments, as in a `text/uri-list`.
pub fn parse_links(text: &str) -> Vec<Intake> {
    let lines: Vec<&str> = text
        .split(['\n', '\r'])
        .map(|line| line.trim_matches(is_separator))
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let links: Vec<&str> = lines
        .iter()
        .flat_map(|line| split_line(line))
        .map(clean)
        .filter(|item| !matches!(shape(item), Shape::Text))
        .collect();
    let items = if links.is_empty() {
        lines.into_iter().map(clean).collect()
    } else {
        links
    };

    let mut seen_urls = HashSet::new();
    let mut seen_rejected = HashSet::new();
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .map(classify)
        .filter(|intake| match intake {
            Intake::Ready(link) => seen_urls.insert(link.audio_url.clone()),
            Intake::Rejected(rejected) => seen_rejected.insert(rejected.given.clone()),
        })
        .collect()
}

/// Takes text meant to be exactly one link, e.g. from a single-link field or a command argument.
///
/// Follows the same rules as [`parse_links`] and returns its first item; empty text is rejected
/// as [`ErrorCode::InvalidUrl`].
pub fn prepare_link(text: &str) -> Intake {
    parse_links(text).into_iter().next().unwrap_or_else(|| {
        Intake::Rejected(RejectedLink {
            given: text.trim().to_owned(),
            code: ErrorCode::InvalidUrl,
        })
    })
}

/// File extensions of the audio formats people upload, lower case, without the dot.
const AUDIO_EXTENSIONS: [&str; 9] = [
    "wav", "mp3", "flac", "aiff", "aif", "m4a", "ogg", "opus", "aac",
];

/// True when a file name or URL path ends with one of [`AUDIO_EXTENSIONS`].
pub(crate) fn has_audio_extension(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, extension)| {
        AUDIO_EXTENSIONS
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known))
    })
}

// ---------------------------------------------------------------------------------------------
// Splitting text into items

/// Whitespace (including the invisible kinds chat apps insert) and list separators.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '\u{200B}' | '\u{FEFF}')
}

/// Where an unquoted item ends: a link never contains whitespace.
fn is_item_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

/// The closing character of a quote or bracket that may wrap a local path with spaces.
fn closing_quote(open: char) -> Option<char> {
    Some(match open {
        '"' => '"',
        '\'' => '\'',
        '“' => '”',
        '‘' => '’',
        '„' => '“',
        '«' => '»',
        '<' => '>',
        '`' => '`',
        _ => return None,
    })
}

/// Splits one line into raw items (not yet cleaned).
fn split_line(line: &str) -> Vec<&str> {
    if is_local_path(line)
        && !line
            .split_whitespace()
            .skip(1)
            .any(|word| starts_web_link(clean(word)))
    {
        return vec![line];
    }
    let mut items = Vec::new();
    // Closing quotes known to be absent from the rest of the line, so each is searched once.
    let mut unclosed = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(|c| !is_separator(c)) {
        rest = &rest[start..];
        if let Some((path, after)) = quoted_local_path(rest, &mut unclosed) {
            items.push(path);
            rest = after;
            continue;
        }
        let end = rest.find(is_item_end).unwrap_or(rest.len());
        items.extend(split_glued(&rest[..end]));
        rest = &rest[end..];
    }
    items
}

/// A local path wrapped in quotes at the start of `rest`, e.g. `"C:\My Song.wav"`, and the text
/// after it.
fn quoted_local_path<'a>(rest: &'a str, unclosed: &mut Vec<char>) -> Option<(&'a str, &'a str)> {
    let open = rest.chars().next()?;
    let close = closing_quote(open)?;
    let inner = &rest[open.len_utf8()..];
    if !is_local_path(inner) || unclosed.contains(&close) {
        return None;
    }
    match inner.find(close) {
        Some(end) => Some((&inner[..end], &inner[end + close.len_utf8()..])),
        None => {
            unclosed.push(close);
            None
        }
    }
}

/// Characters after which a link may start without a space, as in `a.wav,https://…` or
/// `[text](https://…)`.
fn is_glue(c: char) -> bool {
    ",;:()[]<>{}|*\"'“”‘’«»".contains(c)
}

/// True when `text` starts with `http://`, `https://` or `www.`, in any case.
fn starts_web_link(text: &str) -> bool {
    ["http://", "https://", "www."]
        .iter()
        .any(|prefix| starts_with_ignore_case(text, prefix))
}

/// Splits an item where another link is glued to it.
fn split_glued(item: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous = None;
    for (index, c) in item.char_indices() {
        if index > start && previous.is_some_and(is_glue) && starts_web_link(&item[index..]) {
            pieces.push(&item[start..index]);
            start = index;
        }
        previous = Some(c);
    }
    pieces.push(&item[start..]);
    pieces
}

/// Removes what surrounds an item but is not part of it: quotes, brackets, list bullets, and a
/// sentence's punctuation after it. Closing brackets are kept when the item opens them too, as in
/// `https://en.wikipedia.org/wiki/Song_(band)`.
fn clean(item: &str) -> &str {
    let mut item = item
        .trim_matches(is_separator)
        .trim_start_matches(|c| "\"'“”‘’„«»<([{*`•".contains(c));
    let count = |c: char| item.matches(c).count();
    let mut brackets = [('(', ')', 0, 0), ('[', ']', 0, 0), ('{', '}', 0, 0)];
    for (open, close, opened, closed) in &mut brackets {
        *opened = count(*open);
        *closed = count(*close);
    }
    while let Some(last) = item.chars().next_back() {
        let strip = match brackets.iter_mut().find(|(_, close, ..)| *close == last) {
            Some((_, _, opened, closed)) if *closed > *opened => {
                *closed -= 1;
                true
            }
            Some(_) => false,
            None => ".,;:!?\"'“”‘’»>*`…".contains(last) || is_separator(last),
        };
        if !strip {
            break;
        }
        item = &item[..item.len() - last.len_utf8()];
    }
    item
}

// ---------------------------------------------------------------------------------------------
// Recognising items

/// What an item looks like before it is parsed.
enum Shape {
    /// A file on this computer or a local network share.
    LocalPath,
    /// Something meant as a link; the text to parse.
    Address(String),
    /// Plain words.
    Text,
}

fn shape(item: &str) -> Shape {
    if is_local_path(item) {
        Shape::LocalPath
    } else if is_bare_web_address(item) {
        Shape::Address(format!("https://{item}"))
    } else if has_link_scheme(item) {
        Shape::Address(item.to_owned())
    } else {
        Shape::Text
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Absolute POSIX paths, `~/…`, relative `./…`, Windows drive and UNC paths, `file:` URLs and
/// network shares (`smb:`, `afp:`). Only the start of `text` is looked at.
fn is_local_path(text: &str) -> bool {
    let bytes = text.as_bytes();
    let windows_drive = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    windows_drive
        || text == "~"
        || ["/", "\\\\", "~/", "~\\", "./", "../", ".\\", "..\\"]
            .iter()
            .any(|prefix| text.starts_with(prefix))
        || ["file:", "smb:", "afp:"]
            .iter()
            .any(|scheme| starts_with_ignore_case(text, scheme))
}

/// A web address typed without `https://`: `www.…`, or a domain name followed by a path, such as
/// `dropbox.com/s/…`. A bare domain without a path is not taken as a link to a file.
fn is_bare_web_address(text: &str) -> bool {
    let (host, rest) = text.split_at(text.find(['/', '?', '#']).unwrap_or(text.len()));
    is_domain_name(host) && (starts_with_ignore_case(host, "www.") || rest.starts_with('/'))
}

/// `example.com`, `www.example.co.uk:8080`, `müsik.de`: labels of letters, digits and hyphens,
/// ending with an alphabetic top-level domain.
fn is_domain_name(host: &str) -> bool {
    let host = match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let labels: Vec<&str> = host.split('.').collect();
    let valid_label =
        |label: &&str| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-');
    labels.len() >= 2
        && labels.iter().all(valid_label)
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// `scheme://…`, or one of the schemes people paste without slashes (`mailto:`, `data:`, …).
fn has_link_scheme(text: &str) -> bool {
    const WITHOUT_SLASHES: [&str; 8] = [
        "http",
        "https",
        "javascript",
        "data",
        "mailto",
        "blob",
        "about",
        "spotify",
    ];
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let is_scheme = scheme.len() >= 2
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme
        && (rest.starts_with("//")
            || WITHOUT_SLASHES
                .iter()
                .any(|known| scheme.eq_ignore_ascii_case(known)))
}

/// Turns one cleaned, non-empty item into an [`Intake`].
fn classify(item: &str) -> Intake {
    let rejected = |code| {
        Intake::Rejected(RejectedLink {
            given: item.to_owned(),
            code,
        })
    };
    match shape(item) {
        Shape::LocalPath => rejected(ErrorCode::LocalFile),
        Shape::Text if has_audio_extension(item) => rejected(ErrorCode::LocalFile),
        Shape::Text => rejected(ErrorCode::InvalidUrl),
        Shape::Address(address) => match Url::parse(&address) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.host_str().is_some_and(|host| !host.is_empty()) =>
            {
                Intake::Ready(prepare(item, url))
            }
            Ok(url) if url.scheme() == "file" => rejected(ErrorCode::LocalFile),
            _ => rejected(ErrorCode::InvalidUrl),
        },
    }
}

fn prepare(given: &str, url: Url) -> PreparedLink {
    let warning = page_warning(&url);
    // Every page warning says the audio cannot be fetched from the link as it is.
    let hold = warning.is_some();
    let (audio_url, rewrite) = match direct_download(&url) {
        Some((direct, rewrite)) => (direct, Some(rewrite)),
        None => (url, None),
    };
    PreparedLink {
        given: given.to_owned(),
        audio_url,
        rewrite,
        warning,
        hold,
    }
}

// ---------------------------------------------------------------------------------------------
// Share links and their direct-download form

/// The non-empty path segments of a URL, still percent-encoded.
fn path_segments(url: &Url) -> Vec<&str> {
    url.path_segments()
        .map(|segments| segments.filter(|segment| !segment.is_empty()).collect())
        .unwrap_or_default()
}

/// The decoded value of the first `key` parameter of the query.
fn query_value(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.into_owned())
}

/// The URL with its `key` parameter set to `value`: the first one is replaced where it stands and
/// later ones dropped, or one is added at the end. Every other parameter is kept byte for byte.
fn with_query_param(url: &Url, key: &str, value: &str) -> Url {
    let param = format!("{key}={value}");
    let mut params = Vec::new();
    let mut replaced = false;
    for pair in url.query().unwrap_or_default().split('&') {
        if pair.split('=').next() == Some(key) {
            if !replaced {
                params.push(param.as_str());
                replaced = true;
            }
        } else if !pair.is_empty() {
            params.push(pair);
        }
    }
    if !replaced {
        params.push(&param);
    }
    let mut direct = url.clone();
    direct.set_query(Some(&params.join("&")));
    direct
}

/// True when `host` is `domain` or one of its subdomains.
fn is_under(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with('.'))
}

/// The direct-download form of a share link, when it differs from the link.
fn direct_download(url: &Url) -> Option<(Url, Rewrite)> {
    let host = url.host_str()?;
    let (service, kind, direct) = match host {
        "dropbox.com" | "www.dropbox.com" => ("Dropbox", "share", dropbox(url)?),
        "drive.google.com" | "docs.google.com" => ("Google Drive", "share", google_drive(url)?),
        "1drv.ms" => ("OneDrive", "share", onedrive_short(url)?),
        "onedrive.live.com" => ("OneDrive", "share", onedrive_live(url)?),
        "github.com" => ("GitHub", "page", github(url)?),
        _ if host.ends_with(".sharepoint.com") => ("SharePoint", "share", sharepoint(url)?),
        _ if is_under(host, "box.com") => ("Box", "share", box_shared(url)?),
        _ => return None,
    };
    (direct != *url).then(|| {
        let rewrite = Rewrite {
            service: service.to_owned(),
            message: tr!("link-made-direct", service = service, kind = kind),
        };
        (direct, rewrite)
    })
}

/// Dropbox file links (`/s/…`, `/scl/fi/…`, and `/sh/…/<file>` inside a shared folder) download
/// the file itself with `dl=1`; every other parameter (`rlkey`, `st`, …) is kept. Links with
/// `raw=1` are already direct.
fn dropbox(url: &Url) -> Option<Url> {
    let is_file = matches!(
        path_segments(url).as_slice(),
        ["s", _, ..] | ["scl", "fi", _, ..] | ["sh", _, _, _, ..]
    );
    (is_file && query_value(url, "raw").as_deref() != Some("1"))
        .then(|| with_query_param(url, "dl", "1"))
}

fn is_dropbox_folder(segments: &[&str]) -> bool {
    matches!(segments, ["scl", "fo", ..] | ["sh", _] | ["sh", _, _])
}

/// Google Drive file links (`/file/d/<id>/view`, `/open?id=<id>`, `/uc?id=<id>`) become
/// `https://drive.google.com/uc?export=download&id=<id>`, keeping `resourcekey`. Links already in
/// the `uc?export=download` form are left as they are.
fn google_drive(url: &Url) -> Option<Url> {
    let id = match path_segments(url).as_slice() {
        ["file", "d", id, ..] | ["file", "u", _, "d", id, ..] => (*id).to_owned(),
        ["open"] => query_value(url, "id")?,
        ["uc"] if query_value(url, "export").as_deref() != Some("download") => {
            query_value(url, "id")?
        }
        _ => return None,
    };
    let is_drive_id = |id: &str| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
    };
    if !is_drive_id(&id) {
        return None;
    }
    let mut params = vec![("export", "download".to_owned()), ("id", id)];
    params.extend(query_value(url, "resourcekey").map(|key| ("resourcekey", key)));
    Url::parse_with_params("https://drive.google.com/uc", params).ok()
}

fn is_drive_folder(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["drive", .., "folders", _] | ["folderview" | "embeddedfolderview"]
    )
}

/// A `1drv.ms` file link goes through OneDrive's documented shares API,
/// `https://api.onedrive.com/v1.0/shares/u!<link as unpadded base64url>/root/content`, which
/// answers with the file for links shared with "anyone with the link". (The short link itself
/// opens a viewer page, and appending `download=1` to it is not reliable.)
fn onedrive_short(url: &Url) -> Option<Url> {
    if path_segments(url).first() == Some(&"f") {
        return None;
    }
    let share = base64url(url.as_str().as_bytes());
    Url::parse(&format!(
        "https://api.onedrive.com/v1.0/shares/u!{share}/root/content"
    ))
    .ok()
}

/// Classic OneDrive links, `onedrive.live.com/redir?resid=…&authkey=…` (and `/embed?…` or
/// `/?resid=…`), download the file when the path is `/download` with the same parameters.
fn onedrive_live(url: &Url) -> Option<Url> {
    let shares_file = match path_segments(url).as_slice() {
        ["redir" | "embed"] => true,
        [] => query_value(url, "resid").is_some(),
        _ => false,
    };
    shares_file.then(|| {
        let mut direct = url.clone();
        direct.set_path("/download");
        direct
    })
}

/// SharePoint and OneDrive for work share links (`…sharepoint.com/:u:/g/…`) download the file
/// with `download=1`. Folder links (`/:f:/`) are left alone.
fn sharepoint(url: &Url) -> Option<Url> {
    let first = *path_segments(url).first()?;
    let is_file_share =
        first.len() == 3 && first.starts_with(':') && first.ends_with(':') && first != ":f:";
    is_file_share.then(|| with_query_param(url, "download", "1"))
}

/// Box shared links `app.box.com/s/<id>` have the direct form `/shared/static/<id>`.
fn box_shared(url: &Url) -> Option<Url> {
    let segments = path_segments(url);
    let ["s", id] = segments.as_slice() else {
        return None;
    };
    let mut direct = url.clone();
    direct.set_path(&format!("/shared/static/{id}"));
    Some(direct)
}

/// GitHub file pages `github.com/<owner>/<repo>/blob/<ref>/<path>` become
/// `github.com/<owner>/<repo>/raw/<ref>/<path>`, which GitHub redirects to the file itself, also
/// for files stored with Git LFS (where `raw.githubusercontent.com` would give a pointer file).
fn github(url: &Url) -> Option<Url> {
    let segments = path_segments(url);
    let [owner, repo, "blob", reference, path @ ..] = segments.as_slice() else {
        return None;
    };
    if path.is_empty() {
        return None;
    }
    let mut direct = url.clone();
    direct.set_path(&format!(
        "/{owner}/{repo}/raw/{reference}/{}",
        path.join("/")
    ));
    direct.set_query(None);
    direct.set_fragment(None);
    Some(direct)
}

/// Unpadded base64url (RFC 4648 §5), as OneDrive's shares API expects.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (i, &byte)| {
            group | u32::from(byte) << (16 - 8 * i)
        });
        for i in 0..=chunk.len() {
            encoded.push(char::from(
                ALPHABET[(group >> (18 - 6 * i) & 0x3f) as usize],
            ));
        }
    }
    encoded
}

// ---------------------------------------------------------------------------------------------
// Pages that are not audio files

/// Streaming and store pages: a player, not the file.
fn page_service(host: &str) -> Option<&'static str> {
    Some(match host {
        _ if is_under(host, "youtube.com") || host == "youtu.be" => "YouTube",
        _ if is_under(host, "soundcloud.com") => "SoundCloud",
        _ if is_under(host, "spotify.com") || host == "spotify.link" => "Spotify",
        "music.apple.com" | "itunes.apple.com" => "Apple Music",
        _ if is_under(host, "bandcamp.com") => "Bandcamp",
        _ if is_under(host, "tidal.com") => "Tidal",
        _ if is_under(host, "deezer.com") || host == "deezer.page.link" => "Deezer",
        _ => return None,
    })
}

/// Folder share links: a list of files, not one audio file.
fn folder_service(host: &str, segments: &[&str]) -> Option<&'static str> {
    match host {
        "dropbox.com" | "www.dropbox.com" if is_dropbox_folder(segments) => Some("Dropbox"),
        "drive.google.com" if is_drive_folder(segments) => Some("Google Drive"),
        "1drv.ms" if segments.first() == Some(&"f") => Some("OneDrive"),
        _ if host.ends_with(".sharepoint.com") && segments.first() == Some(&":f:") => {
            Some("SharePoint")
        }
        _ => None,
    }
}

fn page_warning(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    if let Some(service) = page_service(host) {
        return Some(tr!("link-player-page", service = service));
    }
    if host == "we.tl" || is_under(host, "wetransfer.com") {
        return Some(tr!("link-wetransfer-page"));
    }
    folder_service(host, &path_segments(url)).map(|service| tr!("link-folder", service = service))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_folders_and_local_links_are_held_and_audio_is_not() {
        let reason = |given: &str, api_is_local| {
            let link = match prepare_link(given) {
                Intake::Ready(link) => link,
                Intake::Rejected(_) => panic!("{given} is a link"),
            };
            let resolved_locally = HashSet::from(["printer.lan".to_owned()]);
            hold_reason_of(&link, api_is_local, &resolved_locally)
        };
        for page in [
            "https://www.youtube.com/watch?v=abc",
            "https://open.spotify.com/track/abc",
            "https://www.dropbox.com/scl/fo/abc/def?rlkey=x&dl=0",
        ] {
            assert_eq!(reason(page, false), Some(ErrorCode::NotAudioFile), "{page}");
        }
        assert_eq!(
            reason("http://192.168.1.20/take.wav", false),
            Some(ErrorCode::LocalLink)
        );
        assert_eq!(reason("http://192.168.1.20/take.wav", true), None);
        // A name found to resolve only to the local network is held as its address would be.
        assert_eq!(
            reason("https://printer.lan/take.wav", false),
            Some(ErrorCode::LocalLink)
        );
        assert_eq!(reason("https://example.com/take.wav", false), None);
    }

    #[test]
    fn only_web_addresses_go_to_the_browser() {
        for good in [
            "https://www.dropbox.com/s/abc/take.wav?dl=0",
            "  http://files.example/a b.mp3 ",
        ] {
            let url = browser_link(good).unwrap();
            assert!(matches!(url.scheme(), "http" | "https"), "{good}");
        }
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "smb://nas/music/take.wav",
            "mailto:me@example.com",
            "C:\\Users\\Me\\take.wav",
            "http://",
            "",
        ] {
            let report = browser_link(bad).unwrap_err();
            assert_eq!(report.code, ErrorCode::InvalidUrl, "{bad}");
        }
    }

    /// The one item `text` gives, which must be ready.
    fn ready(text: &str) -> PreparedLink {
        match prepare_link(text) {
            Intake::Ready(link) => link,
            Intake::Rejected(rejected) => panic!("{text:?} was rejected: {rejected:?}"),
        }
    }

    /// The one item `text` gives, which must be rejected.
    fn rejected(text: &str) -> RejectedLink {
        match prepare_link(text) {
            Intake::Rejected(rejected) => rejected,
            Intake::Ready(link) => panic!("{text:?} was accepted: {link:?}"),
        }
    }

    /// Every item `text` gives: the URL to send, or `code: given` when rejected.
    fn items(text: &str) -> Vec<String> {
        parse_links(text)
            .into_iter()
            .map(|intake| match intake {
                Intake::Ready(link) => link.audio_url.to_string(),
                Intake::Rejected(rejected) => format!("{}: {}", rejected.code, rejected.given),
            })
            .collect()
    }

    /// The URL sent for `text`, and whether a rewrite was reported.
    fn sent(text: &str) -> (String, bool) {
        let link = ready(text);
        (link.audio_url.to_string(), link.rewrite.is_some())
    }

    #[test]
    fn plain_links_are_sent_as_given() {
        let link = ready("https://cdn.example.com/stems/Kick%20Drum.wav");
        assert_eq!(link.given, "https://cdn.example.com/stems/Kick%20Drum.wav");
        assert_eq!(link.audio_url.as_str(), link.given);
        assert_eq!((link.rewrite, link.warning), (None, None));
        assert_eq!(
            sent("HTTP://Example.COM/Beat.mp3").0,
            "http://example.com/Beat.mp3"
        );
        let presigned =
            "https://bucket.s3.amazonaws.com/mix.wav?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=3600";
        assert_eq!(sent(presigned), (presigned.to_owned(), false));
    }

    #[test]
    fn dropbox_file_links_download_the_file_and_keep_their_keys() {
        let link = ready(
            "https://www.dropbox.com/scl/fi/x1y2z3abc/Vocals-Final.wav?rlkey=k9f8e7d6c5b4a3&st=q1w2e3r4&dl=0",
        );
        assert_eq!(
            link.audio_url.as_str(),
            "https://www.dropbox.com/scl/fi/x1y2z3abc/Vocals-Final.wav?rlkey=k9f8e7d6c5b4a3&st=q1w2e3r4&dl=1"
        );
        let rewrite = link.rewrite.unwrap();
        assert_eq!(rewrite.service, "Dropbox");
        assert_eq!(
            rewrite.message,
            "Dropbox share link changed to its direct-download form."
        );
        assert_eq!(link.warning, None);

        assert_eq!(
            sent("https://www.dropbox.com/s/a1b2c3d4e5/Bass.flac"),
            (
                "https://www.dropbox.com/s/a1b2c3d4e5/Bass.flac?dl=1".into(),
                true
            )
        );
        assert_eq!(
            sent("https://dropbox.com/s/a1b2c3d4e5/Bass.flac?dl=0&dl=0"),
            (
                "https://dropbox.com/s/a1b2c3d4e5/Bass.flac?dl=1".into(),
                true
            )
        );
        assert_eq!(
            sent("https://www.dropbox.com/sh/abc123/AAD4xyz/Drums/Snare.wav?dl=0"),
            (
                "https://www.dropbox.com/sh/abc123/AAD4xyz/Drums/Snare.wav?dl=1".into(),
                true
            )
        );
    }

    #[test]
    fn direct_dropbox_links_are_left_alone() {
        for direct in [
            "https://www.dropbox.com/scl/fi/x1y2z3abc/Vocals.wav?rlkey=k9f8&dl=1",
            "https://www.dropbox.com/s/a1b2c3d4e5/Bass.flac?raw=1",
            "https://dl.dropboxusercontent.com/s/a1b2c3d4e5/Bass.flac",
            "https://www.dropbox.com/home/Music",
        ] {
            assert_eq!(sent(direct), (direct.to_owned(), false), "{direct}");
        }
    }

    #[test]
    fn google_drive_file_links_become_download_links() {
        let id = "1AbCdEfGhIjKlMnOpQrStUvWxYz_0123-";
        let direct = format!("https://drive.google.com/uc?export=download&id={id}");
        for share in [
            format!("https://drive.google.com/file/d/{id}/view?usp=sharing"),
            format!("https://drive.google.com/file/d/{id}/view?usp=drive_link"),
            format!("https://drive.google.com/file/d/{id}/edit"),
            format!("https://drive.google.com/file/d/{id}/preview"),
            format!("https://drive.google.com/file/d/{id}"),
            format!("https://drive.google.com/file/u/1/d/{id}/view"),
            format!("https://drive.google.com/open?id={id}"),
            format!("https://drive.google.com/uc?id={id}"),
            format!("https://drive.google.com/uc?export=view&id={id}"),
        ] {
            let link = ready(&share);
            assert_eq!(link.audio_url.as_str(), direct, "{share}");
            assert_eq!(link.rewrite.unwrap().service, "Google Drive");
            assert_eq!(link.warning, None);
        }
        assert_eq!(
            sent(&format!(
                "https://drive.google.com/file/d/{id}/view?usp=sharing&resourcekey=0-AbC_dEf"
            ))
            .0,
            format!("{direct}&resourcekey=0-AbC_dEf")
        );
        // Already direct: left exactly as given.
        let confirmed = format!("https://drive.google.com/uc?export=download&id={id}&confirm=t");
        assert_eq!(sent(&confirmed), (confirmed, false));
    }

    #[test]
    fn onedrive_and_sharepoint_links_become_download_links() {
        let link = ready("https://1drv.ms/u/s!AkTr5pYx2mHYgQ8hT3dTa0Y2b3Fd?e=a1B2c3");
        assert_eq!(
            link.audio_url.as_str(),
            "https://api.onedrive.com/v1.0/shares/u!aHR0cHM6Ly8xZHJ2Lm1zL3UvcyFBa1RyNXBZeDJtSFlnUThoVDNkVGEwWTJiM0ZkP2U9YTFCMmMz/root/content"
        );
        assert_eq!(link.rewrite.unwrap().service, "OneDrive");

        assert_eq!(
            sent("https://onedrive.live.com/redir?resid=ABC123!456&authkey=!XyZ&ithint=file%2cwav"),
            (
                "https://onedrive.live.com/download?resid=ABC123!456&authkey=!XyZ&ithint=file%2cwav"
                    .into(),
                true
            )
        );
        assert_eq!(
            sent("https://onedrive.live.com/?cid=ABC123&resid=ABC123!456&authkey=!XyZ").0,
            "https://onedrive.live.com/download?cid=ABC123&resid=ABC123!456&authkey=!XyZ"
        );
        let link = ready(
            "https://contoso-my.sharepoint.com/:u:/g/personal/me_contoso_com/EaBcD1234?e=Xy9Z",
        );
        assert_eq!(
            link.audio_url.as_str(),
            "https://contoso-my.sharepoint.com/:u:/g/personal/me_contoso_com/EaBcD1234?e=Xy9Z&download=1"
        );
        assert_eq!(link.rewrite.unwrap().service, "SharePoint");
    }

    #[test]
    fn shares_api_encoding_matches_microsofts_example() {
        let url = "https://onedrive.live.com/redir?resid=1231244193912!12&authKey=1201919!12921!1";
        assert_eq!(
            base64url(url.as_bytes()),
            "aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjMxMjQ0MTkzOTEyITEyJmF1dGhLZXk9MTIwMTkxOSExMjkyMSEx"
        );
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn box_and_github_links_become_direct() {
        assert_eq!(
            sent("https://app.box.com/s/q8w7e6r5t4y3u2i1"),
            (
                "https://app.box.com/shared/static/q8w7e6r5t4y3u2i1".into(),
                true
            )
        );
        assert_eq!(
            sent("https://acme.app.box.com/s/q8w7e6r5t4y3u2i1").0,
            "https://acme.app.box.com/shared/static/q8w7e6r5t4y3u2i1"
        );
        let static_link = "https://app.box.com/shared/static/q8w7e6r5t4y3u2i1.wav";
        assert_eq!(sent(static_link), (static_link.into(), false));

        let link = ready("https://github.com/band/album/blob/main/stems/Lead%20Vox.wav#L1");
        assert_eq!(
            link.audio_url.as_str(),
            "https://github.com/band/album/raw/main/stems/Lead%20Vox.wav"
        );
        assert_eq!(
            link.rewrite.unwrap().message,
            "GitHub file page changed to its direct-download form."
        );
        let repo_page = "https://github.com/band/album";
        assert_eq!(sent(repo_page), (repo_page.into(), false));
    }

    #[test]
    fn pages_that_are_not_audio_files_are_accepted_with_a_warning() {
        for (page, service) in [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube"),
            ("https://youtu.be/dQw4w9WgXcQ?si=abc", "YouTube"),
            ("https://music.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube"),
            (
                "https://soundcloud.com/some-artist/night-drive",
                "SoundCloud",
            ),
            ("https://on.soundcloud.com/AbCdE", "SoundCloud"),
            (
                "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
                "Spotify",
            ),
            (
                "https://music.apple.com/us/album/x/123?i=456",
                "Apple Music",
            ),
            (
                "https://someband.bandcamp.com/track/night-drive",
                "Bandcamp",
            ),
        ] {
            let link = ready(page);
            assert_eq!(link.audio_url.as_str(), page);
            assert_eq!(link.rewrite, None);
            let warning = link
                .warning
                .unwrap_or_else(|| panic!("no warning for {page}"));
            assert!(
                warning.starts_with(&format!(
                    "This looks like a {service} page, not an audio file"
                )),
                "{warning}"
            );
            assert!(warning.contains("direct link"), "{warning}");
            assert!(ready(page).hold, "{page} is held, not sent");
        }
        for transfer in [
            "https://we.tl/t-AbCdEf123",
            "https://wetransfer.com/downloads/abc/def",
        ] {
            let warning = ready(transfer).warning.unwrap();
            assert!(warning.contains("WeTransfer"), "{warning}");
            assert!(warning.contains("Dropbox or Google Drive"), "{warning}");
            assert!(ready(transfer).hold, "{transfer} is held, not sent");
        }
        for audio in [
            "https://example.com/verse.wav",
            "https://www.dropbox.com/scl/fi/abc/verse.wav?rlkey=x&dl=0",
            "https://drive.google.com/file/d/1AbCdEfGhIjK/view?usp=sharing",
        ] {
            assert!(!ready(audio).hold, "{audio} is sent");
        }
    }

    #[test]
    fn folder_links_are_accepted_with_a_warning() {
        for (folder, service) in [
            (
                "https://drive.google.com/drive/folders/1AbCdEfGhIjK?usp=sharing",
                "Google Drive",
            ),
            (
                "https://drive.google.com/drive/u/0/folders/1AbCdEfGhIjK",
                "Google Drive",
            ),
            (
                "https://www.dropbox.com/scl/fo/abc123def/h?rlkey=k9f8&dl=0",
                "Dropbox",
            ),
            ("https://www.dropbox.com/sh/abc123/AAD4xyz?dl=0", "Dropbox"),
            ("https://1drv.ms/f/s!AkTr5pYx2mHY", "OneDrive"),
            (
                "https://contoso-my.sharepoint.com/:f:/g/personal/me/EaBc",
                "SharePoint",
            ),
        ] {
            let link = ready(folder);
            assert_eq!(link.audio_url.as_str(), folder, "folders are not rewritten");
            assert_eq!(link.rewrite, None);
            let warning = link
                .warning
                .unwrap_or_else(|| panic!("no warning for {folder}"));
            assert!(
                warning.starts_with(&format!("This is a link to a {service} folder")),
                "{warning}"
            );
            assert!(ready(folder).hold, "{folder} is held, not sent");
        }
    }

    #[test]
    fn local_files_are_rejected_as_local() {
        for path in [
            r"C:\Users\Me\Music\My Song (Final Mix).wav",
            "C:/Users/Me/Music/My Song.wav",
            r"\\studio-nas\projects\Album\Take 3.wav",
            "/home/me/Music/My Song.wav",
            "/Users/me/Music/Logic/Bounce 1.aif",
            "~/Music/x.wav",
            "./bounce.wav",
            "file:///home/me/Music/My%20Song.wav",
            "FILE:///C:/Users/Me/song.mp3",
            "smb://nas.local/music/song.wav",
            "My Song.wav",
        ] {
            let rejected = rejected(path);
            assert_eq!(rejected.code, ErrorCode::LocalFile, "{path}");
            assert_eq!(rejected.given, path);
        }
    }

    #[test]
    fn a_local_path_with_spaces_stays_one_item() {
        assert_eq!(
            items("C:\\Users\\Me\\My Song.wav\r\n/home/me/My Other Song.wav\n\"D:\\Stems\\Lead Vox.wav\""),
            [
                r"local_file: C:\Users\Me\My Song.wav",
                "local_file: /home/me/My Other Song.wav",
                r"local_file: D:\Stems\Lead Vox.wav",
            ]
        );
        // A terminal drag and drop of two files quotes each one.
        assert_eq!(
            items("'/home/me/My Song.wav' '/home/me/Take 2.wav' "),
            [
                "local_file: /home/me/My Song.wav",
                "local_file: /home/me/Take 2.wav"
            ]
        );
    }

    #[test]
    fn other_text_is_not_a_link() {
        for text in [
            "hello",
            "ftp://files.example.com/song.wav",
            "javascript:alert(1)",
            "data:audio/wav;base64,UklGRiQAAABXQVZF",
            "mailto:me@example.com",
            "example.com",
            "https://",
            "my song is great",
        ] {
            let rejected = rejected(text);
            assert_eq!(rejected.code, ErrorCode::InvalidUrl, "{text}");
            assert_eq!(rejected.given, text);
        }
    }

    #[test]
    fn addresses_typed_without_https_are_completed() {
        assert_eq!(
            sent("www.example.com/beats/x.mp3"),
            ("https://www.example.com/beats/x.mp3".into(), false)
        );
        assert_eq!(sent("www.example.com").0, "https://www.example.com/");
        assert_eq!(
            sent("dropbox.com/s/a1b2c3d4e5/Bass.flac?dl=0"),
            (
                "https://dropbox.com/s/a1b2c3d4e5/Bass.flac?dl=1".into(),
                true
            )
        );
        assert_eq!(
            ready("cdn.example.com/x.wav").given,
            "cdn.example.com/x.wav"
        );
    }

    #[test]
    fn many_links_in_any_layout_keep_their_order() {
        let expected = [
            "https://a.example/1.wav",
            "https://b.example/2.wav",
            "https://c.example/3.wav",
        ];
        for text in [
            "https://a.example/1.wav\nhttps://b.example/2.wav\nhttps://c.example/3.wav",
            "https://a.example/1.wav https://b.example/2.wav\thttps://c.example/3.wav",
            "https://a.example/1.wav, https://b.example/2.wav; https://c.example/3.wav",
            "https://a.example/1.wav,https://b.example/2.wav;https://c.example/3.wav",
            "\n\n  https://a.example/1.wav  \n\n\thttps://b.example/2.wav\n \nhttps://c.example/3.wav\n",
            "\u{feff}https://a.example/1.wav\u{200b}https://b.example/2.wav\u{a0}https://c.example/3.wav",
            "\"https://a.example/1.wav\",\"https://b.example/2.wav\",\"https://c.example/3.wav\"",
        ] {
            assert_eq!(items(text), expected, "{text:?}");
        }
    }

    #[test]
    fn uri_lists_skip_comments() {
        let uri_list = "# Dragged from the browser\r\nhttps://a.example/1.wav\r\n#https://ignored.example/x.wav\r\nfile:///home/me/My%20Song.wav\r\nhttps://b.example/2.wav\r\n";
        assert_eq!(
            items(uri_list),
            [
                "https://a.example/1.wav",
                "local_file: file:///home/me/My%20Song.wav",
                "https://b.example/2.wav",
            ]
        );
    }

    #[test]
    fn quotes_brackets_and_punctuation_around_links_are_removed() {
        let url = "https://a.example/mix.wav";
        for wrapped in [
            "\"https://a.example/mix.wav\"",
            "'https://a.example/mix.wav'",
            "“https://a.example/mix.wav”",
            "<https://a.example/mix.wav>",
            "(https://a.example/mix.wav)",
            "[https://a.example/mix.wav]",
            "https://a.example/mix.wav.",
            "https://a.example/mix.wav,",
            "https://a.example/mix.wav).",
            "(see https://a.example/mix.wav).",
            "`https://a.example/mix.wav`",
            "**https://a.example/mix.wav**",
            "  https://a.example/mix.wav\t",
        ] {
            let link = ready(wrapped);
            assert_eq!(link.audio_url.as_str(), url, "{wrapped}");
            assert_eq!(link.given, url, "{wrapped}");
        }
        assert_eq!(
            sent("(https://en.wikipedia.org/wiki/Song_(band)).").0,
            "https://en.wikipedia.org/wiki/Song_(band)"
        );
        assert_eq!(
            items("[my stem](https://a.example/mix.wav)"),
            ["https://a.example/mix.wav"]
        );
    }

    #[test]
    fn links_are_found_inside_sentences() {
        assert_eq!(
            items("Hey! here is my stem: https://a.example/vox.wav and the beat:https://b.example/beat.mp3. Thanks, Sam"),
            ["https://a.example/vox.wav", "https://b.example/beat.mp3"]
        );
        assert_eq!(
            items(
                "Stems:\n- https://a.example/vox.wav\n- the old one is at C:\\Old\\vox.wav\nCheers"
            ),
            ["https://a.example/vox.wav", r"local_file: C:\Old\vox.wav"]
        );
        assert_eq!(
            items("no links here\nreally"),
            ["invalid_url: no links here", "invalid_url: really"]
        );
    }

    #[test]
    fn duplicates_are_kept_once() {
        let share = "https://www.dropbox.com/scl/fi/x1y2z3abc/Vocals.wav?rlkey=k9f8&st=q1w2&dl=";
        let text = format!(
            "{share}0\n{share}1\nhttps://a.example/x.wav https://a.example/x.wav\nC:\\a.wav\nC:\\a.wav\nhttps://drive.google.com/file/d/1AbCdEfGhIj/view https://drive.google.com/open?id=1AbCdEfGhIj"
        );
        assert_eq!(
            items(&text),
            [
                format!("{share}1"),
                "https://a.example/x.wav".into(),
                r"local_file: C:\a.wav".into(),
                "https://drive.google.com/uc?export=download&id=1AbCdEfGhIj".into(),
            ]
        );
        assert_eq!(
            ready(&format!("{share}1")).given,
            format!("{share}1"),
            "the first of the duplicates is kept"
        );
    }

    #[test]
    fn empty_input_gives_nothing() {
        for text in ["", "   ", "\r\n\r\n", "\t,;", "# only a comment"] {
            assert_eq!(parse_links(text), [], "{text:?}");
        }
        assert_eq!(rejected("").code, ErrorCode::InvalidUrl);
        assert_eq!(rejected("  ").given, "");
    }

    #[test]
    fn prepare_link_takes_the_first_link() {
        assert_eq!(
            ready("  https://a.example/1.wav https://b.example/2.wav ").given,
            "https://a.example/1.wav"
        );
        assert_eq!(
            rejected(r"C:\Users\Me\My Song.wav").given,
            r"C:\Users\Me\My Song.wav"
        );
    }

    #[test]
    fn rejected_items_report_their_code_and_message() {
        let report = rejected("/home/me/x.wav").report();
        assert_eq!(report.code, ErrorCode::LocalFile);
        assert_eq!(report.message, ErrorCode::LocalFile.user_message());
        assert!(!report.retryable);
    }

    #[test]
    fn intake_serialises_as_the_ui_expects() {
        let json = serde_json::to_value(parse_links(
            "https://www.dropbox.com/s/a1b2c3/Bass.flac?dl=0 https://youtu.be/x C:\\x.wav nope",
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {
                    "kind": "ready",
                    "given": "https://www.dropbox.com/s/a1b2c3/Bass.flac?dl=0",
                    "audio_url": "https://www.dropbox.com/s/a1b2c3/Bass.flac?dl=1",
                    "rewrite": {
                        "service": "Dropbox",
                        "message": "Dropbox share link changed to its direct-download form."
                    },
                    "warning": null,
                    "hold": false
                },
                {
                    "kind": "ready",
                    "given": "https://youtu.be/x",
                    "audio_url": "https://youtu.be/x",
                    "rewrite": null,
                    "warning": ready("https://youtu.be/x").warning,
                    "hold": true
                },
                {
                    "kind": "rejected",
                    "given": "C:\\x.wav",
                    "code": "local_file",
                    "message": ErrorCode::LocalFile.user_message()
                }
            ])
        );
    }

    #[test]
    fn odd_input_never_panics() {
        let pieces = [
            "https://",
            "http://a",
            "www.",
            "C:\\",
            "\\\\",
            "/",
            "~",
            "file:",
            "\"",
            "'",
            "“",
            "”",
            "‘",
            "„",
            "«",
            "<",
            ">",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            ";",
            ":",
            ".",
            "?",
            "#",
            "&",
            "=",
            "%",
            "%zz",
            "dl=0",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\u{200b}",
            "\u{feff}",
            "é",
            "🎵",
            "\u{0}",
            "ß",
            "İ",
            "dropbox.com/s/",
            "drive.google.com/file/d/",
            "1drv.ms/u/",
            "github.com/a/b/blob/",
            "x.wav",
            "[::1]",
            "xn--",
            "\u{202e}",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            parse_links(&text);
            prepare_link(&text);
        }
        let long = format!("https://a.example/{}.wav", "é".repeat(100_000));
        assert_eq!(parse_links(&long).len(), 1);
        let many_quotes = "“/".repeat(50_000) + &")".repeat(50_000);
        parse_links(&many_quotes);
        assert_eq!(
            parse_links(&"https://a.example/x.wav\n".repeat(10_000)).len(),
            1
        );
    }
}
