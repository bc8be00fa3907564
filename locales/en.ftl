# Producer Uploader's words in English: the reference catalogue. Every other locales/*.ftl has
# the same messages with the same placeholders (tests/words.rs checks), and follows
# locales/glossary.md. Brand and technical names stay as they are in every language.

## Names that are never translated

-product = Producer Uploader
-brand = Ace Data Cloud
-command = producer-upload

## The language itself

# This language's name in itself, as Settings lists it.
language-name = English
app-name = { -product }

## Counts used in several places

links-count = { $count ->
    [one] { $count } link
   *[other] { $count } links
}

## Errors: what happened and what to do next (src/error.rs)

## A batch: its counts, bar, title, tray and notifications (src/summary.rs, src-tauri)

## Dates, sizes and the time left

## The window (ui/)

settings-language-title = Language
settings-language-hint = The window and its messages change at once.
settings-language-system = The system's language

list-stopped-sending = { $count ->
    [one] Sending 1 stopped upload again.
   *[other] Sending { $count } stopped uploads again.
}
list-stopped-not-sent = { $count ->
    [one] 1 stopped upload could not be sent again: { $reason } It keeps its own Retry in History.
   *[other] { $count } stopped uploads could not be sent again. The first: { $reason } They keep their own Retry in History.
}

## Songs: extend and cover

## The command (producer-upload)
# Lines the command writes on standard error start with a label: error, warning, note...
cli-error = error: { $message }
cli-link-warning = warning: { $link }: { $message }
cli-link-checked = checked: { $link }: { $message }
cli-link-rewritten = note: { $link }: { $message } Sending { $audio_url }
cli-link-held = held: { $link }: { $message } [{ $code }]
cli-link-failed = error: { $link }: { $message } [{ $details }]
cli-held = Held, not sent: { $reason } To send it as it is, run again with --send-anyway.
cli-trace-id = trace id { $trace_id }
cli-stdin-unreadable = could not read links from standard input: { $error }
cli-stdin-too-big = standard input holds more than { $megabytes } MB of links. Split the list into smaller files and upload them one after another.
cli-stdin-not-text = standard input is not text (UTF-8). Give a plain list of links.
cli-no-links = no links given. Pass links as arguments, or `-` to read them from standard input.
cli-progress = { $counts }, { $elapsed } elapsed, about { $left } left
cli-progress-time = { $minutes ->
    [0] { $seconds }s
   *[other] { $minutes }m { $seconds }s
}
cli-file-uploading = Uploading { $file } to { -brand }
cli-file-reused = note: { $file }: the same file was hosted before under this name and still answers; reusing { $link } (--no-reuse hosts it again)
cli-history-unavailable = warning: { $message } Uploading anyway: the audio IDs are printed here but not kept in the history.
cli-not-recorded = warning: { $link }: not recorded in the upload history: { $message }
cli-history-empty = No uploads in the history yet ({ $folder }).
cli-history-no-match = No uploads match "{ $text }".
cli-history-showing = Showing the { $shown } newest of { $total } uploads; use --limit 0 to see all.
cli-history-exported = { $count ->
    [one] Exported { $count } upload to { $file }.
   *[other] Exported { $count } uploads to { $file }.
}
cli-state-queued = queued
cli-state-pending = pending
cli-state-done = done
cli-state-failed = failed
cli-state-interrupted = interrupted
cli-token-unusable = { $variable } is set but unusable: { $error }
cli-token-missing = No API token is saved. Run `producer-upload token set` to save yours in the system keychain, or set { $variable }.
cli-token-variable-too = { $message } You can also set { $variable } instead.
cli-platform-token-missing = No platform token is saved, and files from your computer need one (it starts with platform-). Make one at { $page }, then run `producer-upload token set --platform` or set { $variable }.
cli-platform-token-unreadable = The platform token, which files from your computer need, could not be read: { $message } You can also set { $variable } to a token made at { $page }.
cli-platform-token-refused = { -brand }'s file storage did not accept your platform token. Copy it again from { $page } (or make a new one), save it with: producer-upload token set --platform, then send the file again.
cli-token-end = {" "}(ends in …{ $last_four })
cli-token-saved = Token saved in the system keychain{ $end }.
cli-token-removed = The saved token is removed from the system keychain.
cli-platform-token-saved = Platform token saved in the system keychain{ $end }.
cli-platform-token-removed = The saved platform token is removed from the system keychain.
cli-token-variable-set = { $variable } is set; it is used instead of the keychain.
cli-platform-token-status-saved = A platform token, for files from this computer, is saved{ $end }.
cli-platform-token-status-none = No platform token is saved; files from this computer need one: run `producer-upload token set --platform`.
cli-token-status-saved = A token is saved in the system keychain{ $end }.
cli-token-status-none = No token is saved. Run `producer-upload token set` to save one.
cli-token-prompt = Paste your { -brand } API token (it will not be shown):
cli-platform-token-prompt = Paste your { -brand } platform token (it will not be shown):
cli-token-unreadable = Could not read the token: { $error }
cli-lyrics-unreadable = the lyrics file { $file } could not be read ({ $error }). Check its name, or give the lyrics with --lyrics. Nothing was sent.
cli-nothing-sent = { $message } Nothing was sent.
cli-not-a-task-id = "{ $text }" is not a task ID. Give the task IDs that extend or cover printed. Nothing was sent.
cli-task-error = error: task { $task }: { $message }
cli-task-failed = error: task { $task } { $state }: { $message } ({ $code })
cli-task-trace-id = {" "}[trace id: { $trace_id }]
cli-task-unknown = note: to send it again, run the same command again; `producer-upload tasks` lists it as unknown.
cli-task-progress = task { $task } { $state }: { $progress }
cli-no-task-id = (no task ID)
cli-song-saved = saved { $file }
cli-song-not-recorded = { $message } Nothing was sent: a song is only asked for once it is recorded.
cli-song-poll-failed = warning: could not ask { -brand } about the song: { $message } Asking again in a few seconds.
cli-tasks-empty = No songs made on this computer yet. Make some with `producer-upload extend` or `producer-upload cover`.
cli-tasks-showing = Showing the { $shown } newest of { $total } tasks; use --limit 0 to see all.
cli-task-state-pending = pending
cli-task-state-unknown = unknown
cli-task-state-running = running
cli-task-state-succeeded = succeeded
cli-task-state-failed = failed
# --help: `cli-help-<command>` is a command's about (`.after`: the text after its options),
# `cli-help-<command>-<option>` an option's or argument's help; `cli-help-clap-*` clap's own words.
cli-help-main = Upload links to audio files to { -brand }'s Producer API and print their audio IDs; make songs from an audio ID (extend, cover).
    .after =
        The API token comes from ACEDATACLOUD_API_TOKEN if set, else from the system keychain (see `producer-upload token set`).

        Every upload is recorded in the upload history the desktop app shares: list it with `producer-upload history`, export it with `producer-upload history export`. It lives in the app's data folder: ~/.local/share/cloud.acedata.producer-uploader on Linux ($XDG_DATA_HOME/cloud.acedata.producer-uploader if that is set), ~/Library/Application Support/cloud.acedata.producer-uploader on macOS, %APPDATA%\cloud.acedata.producer-uploader on Windows; or in PRODUCER_UPLOAD_DATA_DIR if set. The token is never stored there.

        Messages are in the system's language (LC_ALL, LC_MESSAGES, LANG), English or Simplified Chinese; PRODUCER_UPLOAD_LANGUAGE=en or zh-CN chooses one. The keys and codes of --json output stay in English.

        Exit codes: 0 all uploaded, 1 at least one link failed or was held (or the history could not be read), 2 usage error, 3 no token available or the token was refused.
cli-help-upload = Upload links and print each one's audio ID.
cli-help-upload-urls = Links to audio files, or paths of audio files on this computer (hosted on { -brand }'s file host first, with the platform token); a single `-` reads links from standard input (every link on every line, up to 16 MB). A file is taken as a file only when it is written as a path: with a `/` or `\`, or starting with `~` or a drive letter (`./take.wav`, not `take.wav`); or give it with --file.
cli-help-upload-files = An audio file on this computer to host and upload, however its path is written (repeatable).
cli-help-upload-json = Print one JSON object per link instead of text.
cli-help-upload-base-url = API base address.
cli-help-upload-platform-base-url = Address of { -brand }'s platform, whose file host takes files from this computer.
cli-help-upload-concurrency = How many uploads run at once.
cli-help-upload-timeout = Seconds to wait for each answer before giving up on that attempt.
cli-help-upload-check = Check first that each link is reachable and looks like audio (warnings only).
cli-help-upload-send-anyway = Send links that are held otherwise: a web page rather than a file (YouTube, Spotify, a shared folder...) and a link to this computer or the local network, which { -brand } cannot reach.
cli-help-upload-no-history = Do not record these uploads in the upload history.
cli-help-upload-no-reuse = Host every file again, even one whose link the history holds (by default the same file, under the same name and through the same host address, reuses its link while the link still answers with the file's size).
cli-help-history = List past uploads, newest first, or export them (`history export`).
    .after = Each line: time (UTC), state (done, failed, queued, pending or interrupted), the audio ID or error code, and the link as given. An interrupted upload was cut off by a crash or a kill: upload its link again.
cli-help-history-json = Print one JSON object per upload instead of text.
cli-help-history-search = Only uploads whose link, file name or ID contains every word of TEXT (any case); a word such as 2026-11-24 also matches the uploads of that day (UTC).
cli-help-history-limit = Show at most N uploads; 0 shows all.
cli-help-history-export = Write the whole history, or the uploads matching --search, as CSV or JSON.
    .after = CSV is UTF-8 with a byte-order mark, so Excel shows non-ASCII file names correctly; JSON is an array of uploads, newest first.
cli-help-history-export-format = File format.
cli-help-history-export-output = Write to this file instead of standard output.
cli-help-history-export-search = Only uploads whose link, file name or ID contains every word of TEXT, or of a day such as 2026-11-24 (UTC).
cli-help-token = Save, check or remove the API token in the system keychain.
cli-help-token-set = Save the token: read from standard input, or asked for without echo on a terminal.
cli-help-token-set-platform = Save the platform token (for files from this computer) instead of the API token.
cli-help-token-status = Tell whether each token is saved (only its last four characters are shown).
cli-help-token-delete = Remove the saved token.
cli-help-token-delete-platform = Remove the platform token instead of the API token.
cli-help-extend = Make songs that continue an audio ID's song from a moment (uses credits).
cli-help-extend-at = Where to continue the song from, in seconds into the audio (0 or more).
cli-help-extend-audio-id = The audio ID to build on: an uploaded audio's, or a generated song's.
cli-help-extend-lyrics = The lyrics to sing.
cli-help-extend-lyrics-file = Read the lyrics from this file (UTF-8 text).
cli-help-extend-prompt = A short description of the song instead of lyrics (at most 200 characters).
cli-help-extend-style = The style, such as "dream pop, female voice".
cli-help-extend-title = The song's title (also the downloaded file's name).
cli-help-extend-instrumental = No singing.
cli-help-extend-model = The model: FUZZ-2.0 Pro, FUZZ-2.0 (default), FUZZ-2.0 Raw, FUZZ-1.1 Pro, FUZZ-1.0 Pro, FUZZ-1.0, FUZZ-1.1 or FUZZ-0.8.
cli-help-extend-weirdness = How unusual, from 0 to 1.
cli-help-extend-sound-strength = How much of the audio's sound to keep, from 0.2 to 1.
cli-help-extend-lyrics-strength = How closely to follow the lyrics, from 0 to 1.
cli-help-extend-seed = A seed, to make a result again.
cli-help-extend-timeout = Seconds to wait for each answer before giving up on it.
cli-help-extend-no-wait = Print the task ID and return without waiting for the songs.
cli-help-extend-download = Save each song in this folder as <title>.mp3 (never over another file).
cli-help-extend-json = Print one JSON object per task instead of text.
cli-help-extend-base-url = { cli-help-upload-base-url }
cli-help-cover = Make songs of an audio ID's song in another style (uses credits).
cli-help-cover-audio-id = { cli-help-extend-audio-id }
cli-help-cover-lyrics = { cli-help-extend-lyrics }
cli-help-cover-lyrics-file = { cli-help-extend-lyrics-file }
cli-help-cover-prompt = { cli-help-extend-prompt }
cli-help-cover-style = { cli-help-extend-style }
cli-help-cover-title = { cli-help-extend-title }
cli-help-cover-instrumental = { cli-help-extend-instrumental }
cli-help-cover-model = { cli-help-extend-model }
cli-help-cover-weirdness = { cli-help-extend-weirdness }
cli-help-cover-sound-strength = { cli-help-extend-sound-strength }
cli-help-cover-lyrics-strength = { cli-help-extend-lyrics-strength }
cli-help-cover-seed = { cli-help-extend-seed }
cli-help-cover-timeout = { cli-help-extend-timeout }
cli-help-cover-no-wait = { cli-help-extend-no-wait }
cli-help-cover-download = { cli-help-extend-download }
cli-help-cover-json = { cli-help-extend-json }
cli-help-cover-base-url = { cli-help-upload-base-url }
cli-help-task = Show song tasks by their task IDs, or wait for them (--wait).
cli-help-task-task-ids = Task IDs, as `extend` or `cover` printed them.
cli-help-task-wait = Wait until every task has ended.
cli-help-task-download = { cli-help-extend-download }
cli-help-task-json = { cli-help-extend-json }
cli-help-task-timeout = { cli-help-extend-timeout }
cli-help-task-base-url = { cli-help-upload-base-url }
cli-help-tasks = List the song tasks made on this computer, newest first.
cli-help-tasks-json = { cli-help-extend-json }
cli-help-tasks-limit = Show at most N tasks; 0 shows all.
cli-help-clap-usage = Usage
cli-help-clap-commands = Commands
cli-help-clap-arguments = Arguments
cli-help-clap-options = Options
cli-help-clap-help = Print help
cli-help-clap-version = Print version
cli-help-clap-help-command = Print this message or the help of the given subcommand(s)
cli-help-clap-env = [env: { $variable }={ $value }]
cli-help-clap-default = [default: { $value }]
cli-help-clap-possible = [possible values: { $values }]
# clap's usage errors.
cli-usage-value-missing = a value is required for '{ $argument }' but none was supplied
cli-usage-invalid-value = invalid value '{ $value }' for '{ $argument }'
cli-usage-unknown-argument = unexpected argument '{ $argument }' found
cli-usage-unknown-command = unrecognized subcommand '{ $command }'
cli-usage-missing = the following required arguments were not provided: { $arguments }
cli-usage-conflict = the argument '{ $argument }' cannot be used with '{ $other }'
cli-usage-repeated = the argument '{ $argument }' cannot be used multiple times
cli-usage-too-many = unexpected value '{ $value }' for '{ $argument }' found; no more were expected
cli-usage-did-you-mean = tip: a similar one exists: '{ $suggestion }'
cli-usage-more = For more information, try '{ $help }'.
cli-usage-reason = { $message }: { $reason }

## The desktop entry (src-tauri/packaging/producer-uploader.desktop, checked by tests/packaging.rs)

desktop-generic-name = Audio Uploader
desktop-comment = Get { -brand } Producer audio IDs for your audio files and links
desktop-keywords = audio;upload;music;producer;ace data cloud;audio id;
