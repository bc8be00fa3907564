//! One intake for the window and the command: what was given, parsed once ([`links::parse_links`]),
//! becomes the links to send and the rows not to send (held for the musician's OK, or refused
//! with why), in the order given, each link sent once however often it was given. Both front
//! ends hold the same links: a web page (YouTube, Spotify, a shared folder…) and a place the
//! service cannot reach (this computer, the local network, a name that resolves there), unless
//! told to send them anyway.

use crate::error::{ErrorCode, ErrorReport};
use crate::links::{self, Intake, PreparedLink};
use crate::preflight::LinkClient;
use crate::queue::{Note, NoteKind, QueueLink, Unsent};
use std::collections::{HashMap, HashSet};

/// The longest link taken; a longer one is refused (no service takes it).
pub const MAX_LINK_BYTES: usize = 8 * 1024;

/// How to take what is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    /// The API is on this computer (the simulator): links to this computer can reach it.
    pub api_is_local: bool,
    /// Send what would be held (the command's `--send-anyway`).
    pub send_anyway: bool,
}

/// What became of one thing given.
#[derive(Debug, Clone, PartialEq)]
pub enum Taken {
    /// A link to send: the first time it was given.
    Send(QueueLink),
    /// The same link as the one given at `first` (an index into what was taken), given again
    /// as `given`: sent once.
    Again { given: String, first: usize },
    /// Not sent: held for the musician's OK, or refused; the row says why.
    Unsent(Unsent),
}

/// What the core says about a link that will be sent: its rewrite (a share link made direct)
/// and any warning (a page, a folder).
pub fn notes_of(link: &PreparedLink) -> Vec<Note> {
    let rewrite = link.rewrite.iter().map(|rewrite| Note {
        kind: NoteKind::Info,
        text: rewrite.message.clone(),
    });
    let warning = link.warning.iter().map(|warning| Note {
        kind: NoteKind::Warning,
        text: warning.clone(),
    });
    rewrite.chain(warning).collect()
}

/// Takes `given` (as [`links::parse_links`] found it) by `rules`: names such as `printer.lan`
/// are resolved first (each once, with `http`'s resolver) to tell whether they lead to the
/// local network.
pub async fn take(given: Vec<Intake>, http: &LinkClient, rules: Rules) -> Vec<Taken> {
    let local_hosts = if rules.send_anyway {
        HashSet::new()
    } else {
        let ready = given.iter().filter_map(|intake| match intake {
            Intake::Ready(link) => Some(&link.audio_url),
            Intake::Rejected(_) => None,
        });
        http.local_hosts(ready, rules.api_is_local).await
    };
    sort(given, rules, &local_hosts)
}

/// [`take`], once the names that lead to the local network are known.
pub fn sort(given: Vec<Intake>, rules: Rules, local_hosts: &HashSet<String>) -> Vec<Taken> {
    let mut first_of = HashMap::new();
    given
        .into_iter()
        .enumerate()
        .map(|(index, intake)| match intake {
            Intake::Rejected(rejected) => {
                let report = rejected.report();
                Taken::Unsent(refused(rejected.given, report))
            }
            Intake::Ready(link)
                if link.given.len() > MAX_LINK_BYTES
                    || link.audio_url.as_str().len() > MAX_LINK_BYTES =>
            {
                let report = ErrorReport::from_code(ErrorCode::InvalidUrl);
                Taken::Unsent(refused(link.given, report))
            }
            Intake::Ready(link) => {
                let notes = notes_of(&link);
                let held = links::hold_reason_of(&link, rules.api_is_local, local_hosts)
                    .filter(|_| !rules.send_anyway);
                if let Some(code) = held {
                    return Taken::Unsent(Unsent {
                        given: link.given,
                        audio_url: Some(link.audio_url),
                        error: ErrorReport::from_code(code),
                        notes,
                        held: true,
                    });
                }
                if let Some(&first) = first_of.get(&link.audio_url) {
                    let given = link.given;
                    return Taken::Again { given, first };
                }
                first_of.insert(link.audio_url.clone(), index);
                Taken::Send(QueueLink {
                    given: link.given,
                    audio_url: link.audio_url,
                    retry_of: None,
                    notes,
                })
            }
        })
        .collect()
}

/// A row that can never be sent, and why; what was given is kept to a link's length.
fn refused(mut given: String, error: ErrorReport) -> Unsent {
    if given.len() > MAX_LINK_BYTES {
        let mut end = MAX_LINK_BYTES;
        while !given.is_char_boundary(end) {
            end -= 1;
        }
        given.truncate(end);
    }
    Unsent {
        given,
        audio_url: None,
        error,
        notes: Vec::new(),
        held: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(text: &str, rules: Rules) -> Vec<Taken> {
        sort(links::parse_links(text), rules, &HashSet::new())
    }

    fn held_code(taken: &Taken) -> Option<ErrorCode> {
        match taken {
            Taken::Unsent(unsent) if unsent.held => Some(unsent.error.code.clone()),
            _ => None,
        }
    }

    #[test]
    fn links_to_send_are_taken_in_order_with_their_notes() {
        let taken = taken(
            "https://x.example/a.wav\nhttps://www.dropbox.com/s/abc/take.wav?dl=0",
            Rules::default(),
        );
        let [Taken::Send(first), Taken::Send(second)] = &taken[..] else {
            panic!("two links to send: {taken:?}");
        };
        assert_eq!(first.audio_url.as_str(), "https://x.example/a.wav");
        assert!(first.notes.is_empty());
        assert!(second.audio_url.as_str().contains("dl=1"), "{second:?}");
        assert_eq!(second.notes[0].kind, NoteKind::Info, "the rewrite is said");
    }

    #[test]
    fn web_pages_and_the_local_network_are_held_unless_sent_anyway() {
        let text = "https://www.youtube.com/watch?v=abc123\nhttp://192.168.1.20/vox.wav";
        let held: Vec<Option<ErrorCode>> = taken(text, Rules::default())
            .iter()
            .map(held_code)
            .collect();
        assert_eq!(
            held,
            [Some(ErrorCode::NotAudioFile), Some(ErrorCode::LocalLink)]
        );
        let anyway = Rules {
            send_anyway: true,
            ..Rules::default()
        };
        assert!(taken(text, anyway)
            .iter()
            .all(|taken| matches!(taken, Taken::Send(_))));
        // A name that resolves to the local network is held like its address.
        let named = sort(
            links::parse_links("http://printer.lan/take.wav"),
            Rules::default(),
            &HashSet::from(["printer.lan".to_owned()]),
        );
        assert_eq!(held_code(&named[0]), Some(ErrorCode::LocalLink));
        // With the API on this computer, links to it can be fetched.
        let local_api = Rules {
            api_is_local: true,
            ..Rules::default()
        };
        assert!(matches!(
            taken("http://127.0.0.1:9/take.wav", local_api)[0],
            Taken::Send(_)
        ));
    }

    #[test]
    fn what_cannot_be_sent_is_refused_with_why() {
        let taken = taken("/home/me/song.wav", Rules::default());
        let [Taken::Unsent(unsent)] = &taken[..] else {
            panic!("one refused row: {taken:?}");
        };
        assert!(!unsent.held);
        assert_eq!(unsent.audio_url, None);
        assert_eq!(unsent.error.code, ErrorCode::LocalFile);
    }

    #[test]
    fn a_link_longer_than_any_service_takes_is_refused() {
        let long = format!("https://x.example/{}.wav", "a".repeat(MAX_LINK_BYTES));
        let taken = taken(&long, Rules::default());
        let [Taken::Unsent(unsent)] = &taken[..] else {
            panic!("refused: {taken:?}");
        };
        assert_eq!(unsent.error.code, ErrorCode::InvalidUrl);
        assert!(!unsent.held);
        assert!(unsent.given.len() <= MAX_LINK_BYTES);
    }

    #[test]
    fn a_link_given_twice_is_sent_once() {
        let given: Vec<Intake> = ["https://x.example/a.wav", "https://x.example/b.wav"]
            .iter()
            .chain(&["https://x.example/a.wav"])
            .flat_map(|piece| links::parse_links(piece))
            .collect();
        let taken = sort(given, Rules::default(), &HashSet::new());
        assert!(matches!(taken[0], Taken::Send(_)));
        assert!(matches!(taken[1], Taken::Send(_)));
        let again = Taken::Again {
            given: "https://x.example/a.wav".into(),
            first: 0,
        };
        assert_eq!(taken[2], again);
    }
}
