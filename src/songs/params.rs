//! What a musician asks for: extend or cover an audio ID, with lyrics, style, title, model and
//! the advanced values; checked here before anything is sent, and turned into the service's body.

use crate::error::{ErrorCode, ErrorReport};
use crate::text::id_shaped;
use crate::tr;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The longest description (`prompt`) the service takes.
pub const MAX_PROMPT_CHARS: usize = 200;
/// The longest lyrics accepted (far more than any song).
pub const MAX_LYRIC_CHARS: usize = 20_000;
/// The longest style or title accepted.
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
/// The model used when none is chosen.
pub const DEFAULT_MODEL: &str = "FUZZ-2.0";

/// Every model the service offers, with the message id of what each is for, in the order to
/// offer them.
pub const MODELS: [(&str, &str); 8] = [
    ("FUZZ-2.0 Pro", "song-model-best"),
    ("FUZZ-2.0", "song-model-usual"),
    ("FUZZ-2.0 Raw", "song-model-raw"),
    ("FUZZ-1.1 Pro", "song-model-earlier-polished"),
    ("FUZZ-1.0 Pro", "song-model-first-polished"),
    ("FUZZ-1.0", "song-model-first"),
    ("FUZZ-1.1", "song-model-earlier"),
    ("FUZZ-0.8", "song-model-oldest"),
];

/// The advanced values (field, label, lowest; each goes up to 1), in the order to offer them.
pub const ADVANCED: [(&str, &str, f64); 3] = [
    ("weirdness", "weirdness", 0.0),
    ("sound_strength", "sound", 0.2),
    ("lyrics_strength", "lyrics", 0.0),
];

/// Extend (continue the song from a moment) or cover (the same song in another style).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Continue the song from `continue_at`.
    Extend,
    /// The same song in another style.
    Cover,
}

impl Action {
    /// `extend` or `cover`, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Extend => "extend",
            Action::Cover => "cover",
        }
    }

    /// Reads `extend`, `cover` and the service's `upload_` forms.
    pub fn parse(text: &str) -> Option<Self> {
        match text.strip_prefix("upload_").unwrap_or(text) {
            "extend" => Some(Action::Extend),
            "cover" => Some(Action::Cover),
            _ => None,
        }
    }

    /// The action as the service wants it for an audio ID of this kind.
    pub fn wire(self, kind: AudioKind) -> &'static str {
        match (self, kind) {
            (Action::Extend, AudioKind::Uploaded) => "upload_extend",
            (Action::Cover, AudioKind::Uploaded) => "upload_cover",
            (Action::Extend, AudioKind::Generated) => "extend",
            (Action::Cover, AudioKind::Generated) => "cover",
        }
    }
}

/// Where an audio ID comes from, which decides the action's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AudioKind {
    /// Uploaded audio (`upload_extend`, `upload_cover`).
    Uploaded,
    /// A generated song (`extend`, `cover`).
    Generated,
}

impl AudioKind {
    /// `uploaded` or `generated`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AudioKind::Uploaded => "uploaded",
            AudioKind::Generated => "generated",
        }
    }

    /// Reads what [`AudioKind::as_str`] wrote.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "uploaded" => Some(AudioKind::Uploaded),
            "generated" => Some(AudioKind::Generated),
            _ => None,
        }
    }

    /// The other kind, for the one fallback.
    pub fn other(self) -> Self {
        match self {
            AudioKind::Uploaded => AudioKind::Generated,
            AudioKind::Generated => AudioKind::Uploaded,
        }
    }
}

/// One extend or cover request, as the musician filled it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SongRequest {
    /// Extend or cover.
    pub action: Action,
    /// The audio to build on: an uploaded audio ID or a generated song's ID.
    pub audio_id: String,
    /// For extend: where to continue from, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_at: Option<f64>,
    /// Lyrics; when given, the request is a custom one.
    #[serde(default)]
    pub lyric: String,
    /// A short description instead of lyrics.
    #[serde(default)]
    pub prompt: String,
    /// The style, such as "dream pop".
    #[serde(default)]
    pub style: String,
    /// The song's title.
    #[serde(default)]
    pub title: String,
    /// No singing.
    #[serde(default)]
    pub instrumental: bool,
    /// One of [`MODELS`]; `None` is [`DEFAULT_MODEL`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// How unusual, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weirdness: Option<f64>,
    /// How much of the audio's sound to keep, 0.2 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound_strength: Option<f64>,
    /// How closely to follow the lyrics, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics_strength: Option<f64>,
    /// A seed, to make a result again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
}

impl SongRequest {
    /// A request with nothing but the action and the audio ID.
    pub fn new(action: Action, audio_id: impl Into<String>) -> Self {
        Self {
            action,
            audio_id: audio_id.into(),
            continue_at: None,
            lyric: String::new(),
            prompt: String::new(),
            style: String::new(),
            title: String::new(),
            instrumental: false,
            model: None,
            weirdness: None,
            sound_strength: None,
            lyrics_strength: None,
            seed: None,
        }
    }

    /// Checks every value against what the service takes; the error names the value and the
    /// allowed range, and nothing is sent.
    pub fn validate(&self) -> Result<(), ErrorReport> {
        let audio_id = self.audio_id.trim();
        if audio_id.is_empty() {
            return Err(invalid(tr!("song-no-audio-id")));
        }
        if !id_shaped(audio_id) {
            return Err(invalid(tr!("song-not-an-audio-id")));
        }
        match (self.action, self.continue_at) {
            (Action::Extend, None) => return Err(invalid(tr!("song-continue-missing"))),
            (_, Some(at)) if !(at.is_finite() && at >= 0.0) => {
                return Err(invalid(tr!("song-continue-invalid")))
            }
            _ => {}
        }
        if self.prompt.chars().count() > MAX_PROMPT_CHARS {
            return Err(invalid(tr!(
                "song-description-too-long",
                count = self.prompt.chars().count(),
                max = MAX_PROMPT_CHARS
            )));
        }
        if self.lyric.chars().count() > MAX_LYRIC_CHARS {
            return Err(invalid(tr!("song-lyrics-too-long", max = MAX_LYRIC_CHARS)));
        }
        for (name, text) in [("style", &self.style), ("title", &self.title)] {
            if text.chars().count() > MAX_SHORT_TEXT_CHARS {
                return Err(invalid(tr!(
                    "song-text-too-long",
                    name = name,
                    max = MAX_SHORT_TEXT_CHARS
                )));
            }
        }
        if let Some(model) = &self.model {
            if !MODELS.iter().any(|(name, _)| name == model) {
                let names: Vec<&str> = MODELS.iter().map(|(name, _)| *name).collect();
                return Err(invalid(tr!(
                    "song-no-such-model",
                    model = model.as_str(),
                    models = names.join(&tr!("batch-comma"))
                )));
            }
        }
        let values = [self.weirdness, self.sound_strength, self.lyrics_strength];
        for ((_, name, low), value) in ADVANCED.into_iter().zip(values) {
            if let Some(value) = value {
                if !(value.is_finite() && (low..=1.0).contains(&value)) {
                    return Err(invalid(tr!(
                        "song-out-of-range",
                        name = name,
                        low = low.to_string(),
                        value = value.to_string()
                    )));
                }
            }
        }
        if let Some(seed) = &self.seed {
            if seed.chars().count() > MAX_SHORT_TEXT_CHARS || seed.chars().any(char::is_control) {
                return Err(invalid(tr!("song-seed-too-long")));
            }
        }
        Ok(())
    }

    /// The body of `POST /producer/audios` for an audio ID of `kind`, asking for the task ID at
    /// once (`async`).
    pub fn body(&self, kind: AudioKind) -> Value {
        let mut body = json!({
            "action": self.action.wire(kind),
            "audio_id": self.audio_id.trim(),
            "model": self.model.as_deref().unwrap_or(DEFAULT_MODEL),
            "instrumental": self.instrumental,
            "custom": !self.lyric.trim().is_empty(),
            "async": true,
        });
        let optional = [
            ("lyric", non_empty(&self.lyric)),
            ("prompt", non_empty(&self.prompt)),
            ("style", non_empty(&self.style)),
            ("title", non_empty(&self.title)),
            ("seed", self.seed.as_deref().and_then(non_empty)),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                body[name] = json!(value);
            }
        }
        if self.action == Action::Extend {
            if let Some(at) = self.continue_at {
                body["continue_at"] = json!(at);
            }
        }
        for (name, value) in [
            ("weirdness", self.weirdness),
            ("sound_strength", self.sound_strength),
            ("lyrics_strength", self.lyrics_strength),
        ] {
            if let Some(value) = value {
                body[name] = json!(value);
            }
        }
        body
    }
}

fn non_empty(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

fn invalid(message: String) -> ErrorReport {
    ErrorReport::from_code(ErrorCode::InvalidSetting).with_message(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{FluentArgs, Words};

    #[test]
    fn each_model_and_each_refusal_is_told_in_chinese_too() {
        let chinese = Words::of(&"zh-CN".parse().unwrap());
        for (name, id) in MODELS {
            let description = chinese.message(id, None);
            assert!(!description.starts_with("song-"), "{name}");
            assert!(!description.is_ascii(), "{name}: {description}");
        }
        let mut args = FluentArgs::new();
        args.set("name", "sound");
        args.set("low", "0.2");
        args.set("value", "1.5");
        assert_eq!(
            chinese.message("song-out-of-range", Some(&args)),
            "声音强度必须在 0.2 到 1 之间（现在是 1.5）。"
        );
    }

    fn extend() -> SongRequest {
        SongRequest {
            continue_at: Some(12.5),
            ..SongRequest::new(Action::Extend, "a1-b2")
        }
    }

    #[test]
    fn the_action_form_follows_the_kind_of_audio() {
        let body = extend().body(AudioKind::Uploaded);
        assert_eq!(body["action"], "upload_extend");
        assert_eq!(body["continue_at"], 12.5);
        assert_eq!(body["async"], true);
        assert_eq!(body["model"], DEFAULT_MODEL);
        assert_eq!(body["custom"], false);
        let cover = SongRequest {
            lyric: "la la".into(),
            continue_at: Some(3.0),
            ..SongRequest::new(Action::Cover, "a1")
        };
        let body = cover.body(AudioKind::Generated);
        assert_eq!(body["action"], "cover");
        assert_eq!(body["custom"], true);
        assert!(body.get("continue_at").is_none(), "a cover has no moment");
        assert_eq!(Action::parse("upload_cover"), Some(Action::Cover));
    }

    #[test]
    fn every_value_is_checked_before_sending() {
        assert!(extend().validate().is_ok());
        let bad = [
            SongRequest::new(Action::Extend, "a1"),
            SongRequest {
                continue_at: Some(-1.0),
                ..extend()
            },
            SongRequest {
                audio_id: " ".into(),
                ..extend()
            },
            SongRequest {
                prompt: "x".repeat(201),
                ..extend()
            },
            SongRequest {
                model: Some("FUZZ-9".into()),
                ..extend()
            },
            SongRequest {
                weirdness: Some(1.5),
                ..extend()
            },
            SongRequest {
                sound_strength: Some(0.1),
                ..extend()
            },
            SongRequest {
                lyrics_strength: Some(-0.1),
                ..extend()
            },
        ];
        for request in bad {
            let report = request.validate().unwrap_err();
            assert_eq!(report.code, ErrorCode::InvalidSetting, "{request:?}");
        }
        let fine = SongRequest {
            prompt: "é".repeat(200),
            model: Some("FUZZ-2.0 Pro".into()),
            sound_strength: Some(0.2),
            weirdness: Some(1.0),
            ..extend()
        };
        assert!(fine.validate().is_ok());
    }
}
