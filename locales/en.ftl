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

# The top bar
main-history = History
    .aria-label = History
main-settings = Settings
    .aria-label = Settings
main-token-none = No API token yet
main-token-ending = Token …{ $last_four }
main-token-ending-session = Token …{ $last_four } (this session only)
main-token-session = Token kept for this session
main-token-saved = Token saved
main-version = { -product } { $version }.

# Dropping and pasting
drop-title = Drop audio files, or links to them, here
drop-help = Files from your computer are uploaded to { -brand } first. Paste links anywhere in this window with Ctrl+V: share links from Dropbox, Google Drive or OneDrive work, and so does any web address of an audio file.
paste-label = Audio link
paste-input =
    .placeholder = https://www.dropbox.com/s/…/my-song.wav
paste-upload = Upload
paste-choose-files = Choose files…
paste-hint = Paste one or more links, then press Enter or Upload.
paste-empty = Paste a link to your audio file first.
paste-no-link = No link found there. Paste a link that starts with https://.
paste-added = { $rejected ->
    [0] { $links ->
        [one] { $links } link added.
       *[other] { $links } links added.
    }
   *[other] { $links ->
        [0] { $rejected } cannot be uploaded.
        [one] { $links } link added, { $rejected } cannot be uploaded.
       *[other] { $links } links added, { $rejected } cannot be uploaded.
    }
}
paste-files-added = { $count ->
    [one] { $count } file added.
   *[other] { $count } files added.
}
notice-got-it = Got it

# The upload list and its batch bar
list-title = Uploads
list-copy-all = Copy all IDs
list-copy-table = Copy names and IDs
list-copy-csv = Copy as CSV
list-clear = Clear list
list-batch =
    .aria-label = Batch progress
list-pause = Pause
list-resume = Resume
list-cancel = Cancel
list-retry-failed = Retry all failed
list-undo = Undo
list-open-history = Open History
list-retry-stopped = Retry them
list-empty = Nothing uploaded yet. Each file or link you add gets a row here with its audio ID, and stays until you clear the list.
list-earlier = { $count ->
    [one] This list starts empty each time the app starts. Your { $count } earlier upload is in History, with its audio ID.
   *[other] This list starts empty each time the app starts. Your { $count } earlier uploads are in History, with their audio IDs.
}
list-cleared = { $count ->
    [0] List cleared.
    [one] Your upload is in History.
   *[other] Your { $count } uploads are in History.
}
list-cleared-said = { $running ->
    [yes] Finished rows cleared; uploads in progress stay. { $cleared } Press Undo to put them back.
   *[no] { $cleared } Press Undo to put them back.
}
list-stopped = { $count ->
    [one] { $count } upload was stopped before it finished.
   *[other] { $count } uploads were stopped before they finished.
}
list-retrying-stopped = { $count ->
    [one] Sending { $count } stopped upload again.
   *[other] Sending { $count } stopped uploads again.
}
list-rows-back = The rows are back.
list-nothing-back = Nothing to put back.
list-paused = Paused. Uploads already running will finish.
list-resumed = Resumed.
list-cancelled = Cancelled. Links not yet sent were stopped; you can retry them.
list-retrying = Retrying the links that were not uploaded.
list-all-through = All links are through: { $counts }.
list-removed = Removed from the list. It stays in History.
list-copied-ids = { $count ->
    [one] Copied { $count } ID, { $how ->
        [tsv] with its name, as a table that pastes into a spreadsheet.
        [csv] with its name, as CSV.
       *[lines] one per line.
    }
   *[other] Copied { $count } IDs, { $how ->
        [tsv] with their names, as a table that pastes into a spreadsheet.
        [csv] with their names, as CSV.
       *[lines] one per line.
    }
}
list-table-name = Name
list-table-audio-id = Audio ID
list-table-link = Link
list-group = { $count ->
    [one] { $count } link: { $reason }
   *[other] { $count } links: { $reason }
}
list-retry-these = Retry these

# A row of the list
row-reading = Reading the file… { $percent }%
row-checking = Checking the file…
row-hosted = Uploaded to { -brand } ({ $size }), waiting for its link…
row-hosting = Uploading to { -brand }… { $percent }% · { $sent } of { $size }
row-queued = Waiting to upload
row-uploading = Uploading…
row-uploading-try = Uploading (try { $attempt })…
row-rate-limited = Waiting { $seconds } s for the rate limit
row-retry-in = Trying again in { $seconds } s
row-done = Done
row-failed = Failed
row-rejected = Refused: it cannot be uploaded
row-interrupted = Stopped before it was sent
row-held = Not sent: needs your OK
row-play = Play preview
row-pause = Pause preview
row-cancel = Cancel
row-audio-id = Audio ID
row-copy-id = Copy ID
    .aria-label = Copy ID
row-host-again = Upload the file again
row-remove = Remove
    .aria-label = Remove from list
row-retry = Retry
row-upload-anyway = Upload anyway
row-change-token = Change token
row-enter-platform-token = Enter platform token
row-top-up = Top up balance
row-open-settings = Open settings
row-trace = Trace ID:
row-copy-trace = Copy trace ID
    .aria-label = Copy trace ID
row-reused = Reused your earlier upload of this file: it was not sent again.
row-uploaded-said = Uploaded { $name }. Audio ID { $audio_id }.
row-failed-said = Upload failed: { $name }. { $reason }
row-host-again-said = The file is being uploaded again, on a new row.
row-host-again-gone = This file can no longer be uploaded again: add it again.
row-stopped-said = Stopped. Retry sends it again.
copy-done = Copied
copy-failed = Could not copy: { $reason }
copy-audio-id-said = Audio ID copied.
copy-trace-said = Trace ID copied.
size-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
size-kb = { $size } KB
size-mb = { $size } MB
size-gb = { $size } GB

# The preview player
player-bar =
    .aria-label = Preview player
player-close =
    .aria-label = Close preview
player-play =
    .aria-label = Play
player-pause =
    .aria-label = Pause
player-position =
    .aria-label = Position
player-of = { $position } of { $length }
player-cannot = This link could not be played here. It may not be a direct link to an audio file.

# The token screens
tokenview-welcome = Welcome to { -product }
tokenview-attention = Your API token needs attention
tokenview-label = API token
tokenview-intro = To upload, the app needs your { -brand } API token. You only paste it once: it is kept in your system's keychain, and the app only ever shows its last four characters.
tokenview-step-open = Open your <a data-l10n-name="console">{ -brand } console</a> and sign in.
tokenview-step-copy = Open the Producer service, then its <strong>Credentials</strong> page, and copy your API token.
tokenview-step-paste = Paste it below and press <strong>Save token</strong>.
tokenview-keychain-title = Your keychain could not be used.
tokenview-keychain-help = If you cannot fix it now, you can still upload: press <strong>Use for this session only</strong>. The token then stays in the app's memory until you close it, and is never written to a file.
tokenview-save = Save token
tokenview-session-only = Use for this session only
tokenview-remove = Remove token
tokenview-back = Back to uploads
tokenview-fineprint = The token is only ever sent to the API address in Settings.
tokenview-none = No token is saved.
tokenview-kept-session = A token is kept for this session only; it is forgotten when you close the app.
tokenview-kept-session-ending = A token ending in …{ $last_four } is kept for this session only; it is forgotten when you close the app.
tokenview-kept-keychain = A token is saved in your system keychain.
tokenview-kept-keychain-ending = A token ending in …{ $last_four } is saved in your system keychain.
tokenview-saved-said = Token saved in your keychain.
tokenview-session-said = Token kept for this session only.
tokenview-removed-said = Token removed.
tokenview-platform-title-new = Platform token for files from your computer
tokenview-platform-title = Platform token
tokenview-platform-attention = Your platform token needs attention
tokenview-platform-intro = Files from your computer are first put on { -brand }'s file host, which gives them a link for the upload. The file host needs a second token, a <strong>platform token</strong>: it starts with <code>platform-</code>. Your API token is not it. It is kept in your system's keychain like the API token, and the app only ever shows its last four characters.
tokenview-platform-step-open = Open <a data-l10n-name="console">Platform tokens at { -brand }</a> and sign in.
tokenview-platform-step-copy = Make a token and copy it (it starts with <code>platform-</code>).
tokenview-platform-step-paste = Paste it below and press <strong>Save platform token</strong>.
tokenview-platform-keychain-help = If you cannot fix it now, you can still send files: press <strong>Use for this session only</strong>. The token then stays in the app's memory until you close it, and is never written to a file.
tokenview-platform-label = Platform token
tokenview-platform-save = Save platform token
tokenview-platform-remove = Remove platform token
tokenview-platform-fineprint = The platform token is only ever sent to { -brand }'s file host, and the API token never is. Files already on their way keep going while you get it.
tokenview-platform-none = No platform token is saved. Files from your computer need one; links do not.
tokenview-platform-kept-session = A platform token is kept for this session only; it is forgotten when you close the app.
tokenview-platform-kept-session-ending = A platform token ending in …{ $last_four } is kept for this session only; it is forgotten when you close the app.
tokenview-platform-kept-keychain = A platform token is saved in your system keychain.
tokenview-platform-kept-keychain-ending = A platform token ending in …{ $last_four } is saved in your system keychain.
tokenview-platform-saved-said = Platform token saved in your keychain.
tokenview-platform-session-said = Platform token kept for this session only.
tokenview-platform-removed-said = Platform token removed.

# History
hist-title = Upload history
hist-export-csv = Export CSV
    .aria-label = Export CSV
hist-export-json = Export JSON
    .aria-label = Export JSON
hist-search = Search history
hist-search-hint = A link, a file name, an audio ID or a date as the list shows it, such as { $example }. Esc clears the search.
hist-failed-only = Failed only
hist-hosted-only = Hosted files only
hist-empty = Nothing here yet. Every upload, from this app or the { -command } command, is listed here with its audio ID.
hist-count = { $count ->
    [one] { $count } upload, newest first.
   *[other] { $count } uploads, newest first.
}
hist-matches = { $count ->
    [one] { $count } upload matches your search.
   *[other] { $count } uploads match your search.
}
hist-loading = Loading…
hist-done = Done
hist-failed = Failed
hist-stopped = Stopped
hist-uploading = Uploading
hist-waiting = Waiting
hist-worth-a-look = Worth a look: see Details
hist-hosted-at = Hosted at
hist-audio-id = Audio ID
hist-copy-id = Copy ID
    .aria-label = Copy ID
hist-retry = Retry
    .aria-label = Retry
hist-details = Details
    .aria-label = Details
hist-delete = Delete
    .aria-label = Delete
hist-deleted = Deleted { $name }.
hist-deleted-upload = Deleted the upload.
hist-deleted-said = Deleted. Press Undo to put it back.
hist-put-back = Put back.
hist-retrying = Uploading { $name } again. Its progress is on the uploads screen.
hist-search-cleared = Search cleared. Press Esc again to go back to your uploads.
hist-exported = { $count ->
    [one] Exported { $count } upload as { $format } to { $path }.
   *[other] Exported { $count } uploads as { $format } to { $path }.
}

# A history record's details
record-state = State
record-when = When
record-link = Link
record-hosted-link = Hosted link (anyone who has it can open it)
record-audio-id = Audio ID
record-warning = Warning
record-reason = Reason
record-trace-id = Trace ID (for support)
record-open = Open link
record-close = Close
record-opening = The link is opening in your browser.

# Settings
settings-title = Settings
settings-change-token = Replace or remove the token
settings-platform-title = Platform token (files from your computer)
settings-platform-hint = Links need only the API token. A file from your computer is first uploaded to { -brand } to get a link, and that upload asks for this second token.
settings-change-platform-token = Replace or remove the platform token
settings-add-platform-token = Add a platform token
settings-base-url = API address
settings-base-url-env = Set for this launch by ACEDATACLOUD_API_BASE_URL. Saved address: { $address }
settings-base-url-hint = Where uploads go. Normally { $address }.
settings-concurrency = Uploads at once
settings-concurrency-hint = From { $min } to { $max }.
settings-timeout = Time-out (seconds)
settings-timeout-hint = From { $min } to { $max } seconds for each try.
settings-preflight = Check each link before uploading it (is it there, does it look like audio?)
settings-save = Save settings
settings-reset = Reset to defaults
settings-saved = Settings saved.
settings-top-up = Need more balance? <a data-l10n-name="top-up">Top up at { -brand }</a>.
settings-concurrency-range = Out of range: enter a whole number from { $min } to { $max }.
settings-timeout-range = Out of range: enter a whole number of seconds from { $min } to { $max }.
settings-text-size = Text size { $percent }%

# Closing while uploads run
close-title = Uploads are still running
close-text = { $count ->
    [one] { $count } link is still being uploaded or waiting.
   *[other] { $count } links are still being uploaded or waiting.
}
close-background-help = <strong>Finish in background</strong>: the window closes and the uploads go on. An icon in the status area brings the window back. When they are done, the app tells you and quits.
close-stop-help = <strong>Stop uploads</strong>: links not yet sent are kept in History as stopped, to retry later. Uploads already sent still finish and keep their audio IDs.
close-background = Finish in background
close-stop = Stop uploads
close-stay = Keep window open

# When the app itself fails (not an answer from Rust)
main-app-error = Something went wrong inside the app: { $reason }. Press Retry; if it keeps happening, restart the app.

## Songs: extend and cover

## The command (producer-upload)
