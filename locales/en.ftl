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

# Each code's message, with what to do next, as the window says it; `.command` where the
# command's next step differs (a command to run instead of a button to press).
error-bad-request = The service could not use this link. Check that it is a direct link to an audio file, then press Retry.
    .command = The service could not use this link. Check that it is a direct link to an audio file, then run the command again.
error-no-token = No API token was sent. Save your { -brand } API token: the uploads waiting for it start again by themselves.
    .command = No API token was available. Save your { -brand } API token with `{ -command } token set` (or set ACEDATACLOUD_API_TOKEN), then run the command again.
error-disabled = Your { -brand } token or account is disabled. Check your account at { -brand }.
error-api-not-implemented = { -brand } does not offer this upload service right now. Try again later.
error-token-mismatched = This token is not for the Producer API. Create a token for the Producer service at { -brand } and save it as your token: the uploads waiting for it start again by themselves.
    .command = This token is not for the Producer API. Create a token for the Producer service at { -brand }, save it with `{ -command } token set`, then run the command again.
error-invalid-token = { -brand } did not accept your API token. Copy it again from your { -brand } account and save it as your token: the uploads waiting for it start again by themselves.
    .command = { -brand } did not accept your API token. Copy it again from your { -brand } account, save it with `{ -command } token set`, then run the command again.
error-token-expired = Your API token has expired. Create a new one in your { -brand } account and save it as your token: the uploads waiting for it start again by themselves.
    .command = Your API token has expired. Create a new one in your { -brand } account, save it with `{ -command } token set`, then run the command again.
error-used-up = Your { -brand } balance is used up: top it up at { -brand }, then press Retry.
    .command = Your { -brand } balance is used up: top it up at { -brand }, then run the command again.
error-no-api = The API address in Settings does not lead to the Producer Upload service. Reset it to https://api.acedata.cloud, then press Retry.
    .command = The API address (--base-url or ACEDATACLOUD_API_BASE_URL) does not lead to the Producer Upload service. Leave it out to use https://api.acedata.cloud, then run the command again.
error-too-many-requests = { -brand } is limiting how fast uploads can go. Wait a moment, then press Retry.
    .command = { -brand } is limiting how fast uploads can go. Wait a moment, then run the command again for this link.
error-api-error = { -brand } had a problem on its side. Wait a minute, then press Retry.
    .command = { -brand } had a problem on its side. Wait a minute, then run the command again for this link.
error-bad-response = { -brand } sent an answer this app could not read. Wait a minute, then press Retry.
    .command = { -brand } sent an answer this command could not read. Wait a minute, then run the command again for this link.
error-network = Could not reach { -brand }. Check your internet connection, then press Retry.
    .command = Could not reach { -brand }. Check your internet connection, then run the command again for this link.
error-timeout = { -brand } took too long to answer. Check your connection, then press Retry.
    .command = { -brand } took too long to answer. Check your connection (or give a longer --timeout), then run the command again for this link.
error-outcome-unknown = The connection broke before { -brand } answered, so it may have received this upload. Look for its audio ID in History first; press Retry only if it is not there, so it is not uploaded and paid for twice.
    .command = The connection broke before { -brand } answered, so it may have received this upload. Look for its audio ID with `{ -command } history --search` first; send it again only if it is not there, so it is not uploaded and paid for twice.
error-local-file = This is the name of a file on your computer, typed or pasted as text. Drop the file itself on the window (or use Choose files…) and the app sends it; or paste a link to the file online, such as a Dropbox or Google Drive share link.
    .command = This is the name of a file on your computer, given as a link. To send the file, write it as a path (./take.wav) or give it with --file; or give a link to the file online, such as a Dropbox or Google Drive share link.
error-invalid-url = This is not a web link. Paste a link that starts with https://, for example a Dropbox or Google Drive share link to your audio file.
error-token-missing = No API token is saved yet. Paste your { -brand } API token in Settings to start uploading.
    .command = No API token was available. Save your { -brand } API token with `{ -command } token set` (or set ACEDATACLOUD_API_TOKEN), then run the command again.
error-keychain-unavailable = The system keychain could not be opened, so your token cannot be saved or read. Unlock your keychain (on Linux, start GNOME Keyring or KWallet and sign in to it), then try again.
    .command = The system keychain could not be opened, so your token cannot be saved or read. Unlock your keychain (on Linux, start GNOME Keyring or KWallet and sign in to it), or set ACEDATACLOUD_API_TOKEN, then run the command again.
error-invalid-base-url = The API address in Settings is not usable: it must start with https:// (plain http:// only for this computer). Fix it or reset it to https://api.acedata.cloud.
    .command = The API address is not usable: it must start with https:// (plain http:// only for this computer). Fix --base-url or ACEDATACLOUD_API_BASE_URL, or leave it out.
error-invalid-setting = A setting is out of range. Check Settings and try again.
    .command = A value given is out of range. Check the options ({ -command } upload --help), then run the command again.
error-history-unavailable = The upload history could not be opened or saved. Your uploads still work and their IDs are shown; check that the disk is not full, then restart the app.
    .command = The upload history could not be opened or saved. The audio IDs are printed here; check that the disk is not full, then run the command again.
error-not-audio-file = This link leads to a page or a folder, not to an audio file, so it was kept back: an ID made from it would fail later, in music generation. Paste a direct link to the file instead, or press Upload anyway if you are sure it is audio.
    .command = This link leads to a page or a folder, not to an audio file: an ID made from it would fail later, in music generation. Give a direct link to the file instead.
error-local-link = This link points to this computer or your local network, which { -brand } cannot reach, so it was kept back. Put the file somewhere public (Dropbox, Google Drive or similar) and paste that link, or drop the file itself here.
    .command = This link points to this computer or your local network, which { -brand } cannot reach. Put the file somewhere public (Dropbox, Google Drive or similar) and give that link, or give the file itself as a path.
error-platform-token-missing = To send a file from your computer, { -brand } needs your platform token: a second token, which starts with platform- (your API token is not it). Make one at https://platform.acedata.cloud/console/platform-tokens and enter it with Enter platform token; the file then goes by itself.
    .command = To send a file from your computer, { -brand } needs your platform token: a second token, which starts with platform- (your API token is not it). Make one at https://platform.acedata.cloud/console/platform-tokens, save it with `{ -command } token set --platform` (or set ACEDATACLOUD_PLATFORM_TOKEN), then run the command again.
error-platform-token-invalid = { -brand }'s file storage did not accept your platform token. Copy it again from https://platform.acedata.cloud/console/platform-tokens (or make a new one) and enter it with Enter platform token; the file then goes by itself.
    .command = { -brand }'s file storage did not accept your platform token. Copy it again from https://platform.acedata.cloud/console/platform-tokens (or make a new one), save it with `{ -command } token set --platform`, then send the file again.
error-file-too-big = This file is larger than 100 MB, the most { -brand } takes. Export a shorter or compressed version (for example an MP3), then add that file.
error-not-audio = This file is not audio that { -brand } can use. Choose a WAV, MP3, M4A, FLAC, OGG or AAC file.
error-file-unreadable = This file could not be read: it may have been moved, deleted or be open elsewhere. Check that it is still there, then add it again.
error-file-is-folder = This is a folder, not an audio file. Open the folder and add the audio files inside it.
error-generation-failed = { -brand } could not make this song. Change the lyrics, style or description, or try another model, then generate again; a failed song is generally not charged.
error-bad-file-link = { -brand }'s file storage answered with a link this app cannot trust (too long, not secure, or to a private address), so nothing was kept and the file was not sent on. Press Retry in a few minutes.
    .command = { -brand }'s file storage answered with a link this command cannot trust (too long, not secure, or to a private address), so nothing was kept and the file was not sent on. Run the command again in a few minutes.
error-file-empty = This file is empty (0 bytes): it holds no audio to send. Export or save the song again, then add the new file.
error-disk-full = There is not enough free space on this computer to take this file: the app keeps some room free so that your upload history can always be saved. Make some room, then add the file again.
    .command = There is not enough free space on this computer: some room is kept free so that your upload history can always be saved. Make some room, then run the command again.
error-waiting-files-full = Too many of your files are already waiting to be sent, so this one was not taken. Add it again once some of them are done.
    .command = Too many files already wait to be sent. Run the command again once some of them are done.
error-unknown = { -brand } answered with an error this app does not know. Press Retry.
    .command = { -brand } answered with an error this command does not know. Run the command again for this link.
# A message ($message) followed by how to reach support, with the trace ID when there is one.
error-support = { $message } If it keeps happening, contact { -brand } support.
error-support-trace = { $message } If it keeps happening, send { -brand } support this trace ID: { $trace_id }.

# A pasted token refused before it is kept.
token-empty = The token is empty. Copy your API token from your { -brand } account and paste it here.
token-malformed = This does not look like an API token: it has spaces or line breaks inside. Copy just the token from your { -brand } account and paste it again.
token-not-platform = This is not a platform token: platform tokens start with platform-. Make one at https://platform.acedata.cloud/console/platform-tokens and paste it here.
token-is-platform = This is a platform token (it starts with platform-): it is only for files from your computer, and is not sent to the Producer API. Paste your API token here instead; the platform token goes in its own screen.

# The upload history's own problems (the message of history_unavailable).
history-no-folder = { -product } could not find a folder for its upload history. Set { $variable } to a folder of yours, then try again.
history-unopened = The upload history could not be opened ({ $detail }). Check that this folder is yours and the disk is not full, then try again.
history-too-new = The upload history was written by a newer version of { -product }. Update this app, then try again.
history-busy-writing = Another { -product } is writing the upload history right now. Try again in a moment.
history-busy-opening = Another { -product } is opening the upload history right now. Try again in a moment.
history-unreadable = The upload history could not be read or written ({ $detail }). Try again; if it keeps happening, make a copy of the history folder and contact support.
history-not-found = This upload is no longer in the history. Refresh the list.
history-not-retryable = Only failed or interrupted uploads can be retried. Refresh the list.
history-export-failed = The export could not be written ({ $detail }). Check the destination and the free space, then try again.
history-export-not-a-file = The export was not written: { $path } is not a regular file (it is a pipe, a device or a folder), so it was left as it is. Choose another file name, then try again.

# The header row of a CSV export, one column each (English keeps the names scripts read).
history-csv-id = id
history-csv-created-at = created_at
history-csv-state = state
history-csv-file-name = file_name
history-csv-audio-id = audio_id
history-csv-given-url = given_url
history-csv-audio-url = audio_url
history-csv-task-id = task_id
history-csv-hosted-audio-url = hosted_audio_url
history-csv-error-code = error_code
history-csv-error-message = error_message
history-csv-trace-id = trace_id
history-csv-http-status = http_status
history-csv-attempts = attempts
history-csv-source = source
history-csv-finished-at = finished_at

# A message ($message) and the reason for it ($reason), such as an address that is not usable.
error-with-reason = { $message } ({ $reason })
address-not-web = not a web address
address-no-host = no host name
address-plain-http = plain http would send your token unencrypted
address-not-https = it must start with https://
address-has-user = it must not contain a user name or password
filehost-invalid-address = The file host address is not usable: it must start with https:// (plain http:// only for this computer). Fix it or reset it to https://platform.acedata.cloud.
# Notes on a link as it is taken: $service is a brand (Dropbox, YouTube …).
link-made-direct = { $service } { $kind ->
    [page] file page
   *[share] share link
} changed to its direct-download form.
link-player-page = This looks like a { $service } page, not an audio file, so the audio cannot be fetched from it. Paste a direct link to the file instead, for example a Dropbox or Google Drive share link to your .wav or .mp3 file.
link-wetransfer-page = This is a WeTransfer download page, not an audio file, and WeTransfer links cannot be turned into direct links. Download the file, put it on Dropbox or Google Drive, and paste its share link here.
link-folder = This is a link to a { $service } folder, not to one audio file. Open the folder, share the audio file itself, and paste that link here.
# Files from this computer.
file-gone = This file is not there any more: it may have been moved or deleted. Find it and add it again.
file-too-big-size = This file is { $size }, over the 100 MB { -brand } takes. Export a shorter or compressed version (for example an MP3), then add that file.

# What the optional link check found ($status: the server's answer, such as 404 Not Found).
check-local-link = This link points to this computer or your local network, which { -brand } cannot reach. Put the file online (Dropbox, Google Drive or similar) and paste that link.
check-unexpected = The link answered in an unexpected way ({ $status }), so it could not be checked. You can still try the upload.
# $details: the format, and the size when known (WAV, 12.3 MB).
check-audio = Looks like an audio file ({ $details }).
check-unclear-unnamed = The link works, but it is not clear whether it leads to an audio file (the host does not say what kind of file it is). If it is your audio file, go ahead and upload it.
check-unclear = The link works, but it is not clear whether it leads to an audio file (the host calls it { $media_type }). If it is your audio file, go ahead and upload it.
check-not-audio = This link leads to { $kind ->
    [zip] a .zip archive
    [pdf] a PDF document
    [text] a text file
    [json] JSON data
    [image] an image
    [video] a video
   *[other] a file that is not audio
} ({ $media_type }), not an audio file. Share the audio file itself, for example a .wav or .mp3, and paste that link.
check-virus-scan-page = This link opens Google Drive's "can't scan this file for viruses" page, not the file: Google shows it instead of large files. Put the file on Dropbox or another host that gives direct links, and paste that link instead.
check-sign-in-page = This link opens a sign-in page, not the file: the file is not shared publicly. Share it so that anyone with the link can open it, then paste the new link.
check-web-page = This link opens a web page, not the audio file. That happens with share pages, sign-in pages, and Google Drive's "can't scan for viruses" page for large files. Share a direct link to the file instead, for example a Dropbox or Google Drive file link.
check-not-shared = The file is not open to everyone: the link needs a sign-in, or it has expired (the server answered { $status }). Share the file so that anyone with the link can open it, or create a new link, and paste it here.
check-no-file = There is no file at this link (the server answered { $status }): it was moved or deleted, or the link has expired. Copy the link again from where the file is stored.
check-host-limiting = The file's host is limiting requests right now (the server answered { $status }). Wait a few minutes, then check again.
check-host-problem = The file's host had a problem (the server answered { $status }). Try again in a few minutes; if it keeps happening, share the file again from another host.
check-host-refused = The file's host refused the link (the server answered { $status }). Check that the link is complete, or create a new share link.
check-timed-out = The file's host did not answer within { $seconds } { $seconds ->
    [one] second
   *[other] seconds
}. Check the link and your internet connection, then try again.
check-leads-local = The link leads on to this computer or your local network, which { -brand } cannot reach. Put the file online (Dropbox, Google Drive or similar) and paste that link.
check-redirects = The link sends this app from address to address without reaching the file. Copy the link again from where the file is stored.
check-no-connection = Could not connect to the file's host: the address may be wrong, or the server is down. Check the link and your internet connection, then try again.
check-no-answer = Could not get an answer from the file's host. Check the link and your internet connection, then try again.

# A message ($message) followed by one more sentence ($more).
error-and-more = { $message } { $more }
file-copy-removed = The copy the app kept of this file was removed; add the file again to send it.
file-window-reloaded = This file did not arrive whole: the window was reloaded while it was being read. Add the file again.
file-no-host-yet = Files from this computer cannot be uploaded in this window yet. Restart the app, then add the file again.
file-not-copied = This file could not be copied into the app: the disk may be full. Make some room, then add the file again.
# The keychain's own message ($message) with what the system said ($detail).
keychain-details = { $message } (Details: { $detail })
keychain-unreadable = The token saved in your keychain cannot be read ({ $detail }). Remove it and paste your token again.
keychain-not-text = it is not text
keychain-unknown-format = it is in an unknown format
keychain-ambiguous = { $count } entries match, remove them in your keychain app
keychain-locked = the keychain is locked or refused access ({ $detail })
keychain-none = no keychain service could be opened on this system
keychain-not-a-token = it is empty or not a single token
keychain-not-platform = it is not a platform token
keychain-call-stopped = the keychain call stopped unexpectedly

# Songs (extend and cover): what was asked that cannot be sent, and what went wrong.
song-no-audio-id = The audio ID is empty. Paste the audio ID to build on.
song-not-an-audio-id = This is not an audio ID (letters, digits and dashes). Copy it again from the list or History.
song-continue-missing = Say where to continue from: a number of seconds into the audio, 0 or more.
song-continue-invalid = Continue from must be a number of seconds into the audio, 0 or more.
song-description-too-long = The description is { $count } characters long; the service takes at most { $max }. Shorten it, or put the words in the lyrics.
song-lyrics-too-long = The lyrics are longer than { $max } characters. Shorten them.
song-text-too-long = The { $name ->
    [title] title
   *[style] style
} is longer than { $max } characters. Shorten it.
song-no-such-model = There is no model called "{ $model }". Choose one of: { $models }.
song-advanced-label = { $name ->
    [sound] Sound strength
    [lyrics] Lyrics strength
   *[weirdness] Weirdness
}
song-out-of-range = { $name ->
    [sound] Sound strength
    [lyrics] Lyrics strength
   *[weirdness] Weirdness
} must be from { $low } to 1 (it is { $value }).
song-seed-too-long = The seed must be a short piece of text. Shorten it.
song-sending = Sending the request…
song-pending = Waiting for { -brand } to start…
song-making-percent = Making your song… { $percent }%
song-making = Making your song…
song-ready = Your song is ready.
song-failed = The song could not be made.
song-no-answer = The answer never came.
song-not-downloaded = The song "{ $title }" could not be downloaded ({ $detail }). Check your connection, then download it again.
song-link-answered = the link answered HTTP { $status }
song-names-taken = 999 files of that name are there already
song-not-saved = The song could not be saved in { $folder } ({ $detail }). Check that the folder exists, is yours and the disk is not full, then download it again.
song-not-resendable = Only a song whose outcome is unknown, or that failed, can be sent again. Refresh the list.
song-no-task-id = { -brand }'s answer with this song's task ID never arrived, so this computer cannot look the song up. Look in your { -brand } account for a task started at that time; press Send again only if there is none.
# $message: why the song's task ID could not be kept.
song-started-anyway = { $message } { -brand } started the song all the same: its task ID is { $task_id } (`{ -command } task { $task_id }` follows it).
song-no-such-task = { -brand } has no task with the ID { $task_id }. Check the ID: extend and cover print it, and the list of songs shows it.
song-may-have-started = The request was sent but its answer never came, so { -brand } may have started making this song (and charged for it). It was not sent again by itself: look for it in your { -brand } account first, and send it again only if it is not there, so it is not paid for twice.
song-not-in-history = This song is no longer in the history. Refresh the list.
song-ready-but-empty = { -brand } said this song is ready but sent no usable song. Generate it again; if it keeps happening, contact { -brand } support.
# $reason is the service's own words, as it sent them.
song-service-said = { $message } { -brand } said: { $reason }

# What each model is for (its name, FUZZ-2.0 and so on, stays as it is).
song-model-best = the best sound, longer songs
song-model-usual = the usual choice: good sound, quick
song-model-raw = closer to your audio, less polished
song-model-earlier-polished = the earlier model, polished
song-model-first-polished = the first model, polished
song-model-first = the first model
song-model-earlier = the earlier model
song-model-oldest = the oldest model, short songs

## A batch: its counts, bar, title, tray and notifications (src/summary.rs, src-tauri)

# Each count of a batch, for the bar, the list line, the title, the tray and the command's
# progress line; $count is how many (batch-done-of: $done of the $count items of the batch).
batch-done-of = { $done } of { $count } done
batch-failed = { $count } failed
batch-stopped = { $count } stopped
batch-held = { $count } held
batch-refused = { $count } refused
batch-uploading = { $count } uploading
batch-waiting = { $count } waiting
batch-paused-part = paused
# Between the counts in the title and the notification.
batch-comma = {", "}
# The window title and the tray's tooltip: the settled counts ($counts) and the app's name.
batch-title = { $counts } – { -product }
# Songs being made, in the title and the tray's tooltip: after the batch's counts, or alone.
batch-songs = { $count ->
    [one] making { $count } song
   *[other] making { $count } songs
}
batch-songs-only = { $count ->
    [one] Making { $count } song…
   *[other] Making { $count } songs…
}
batch-all-done = All done.
batch-finished-held = Finished. Held links wait for your OK: Upload anyway sends one.
batch-finished-some-not = Finished. Some links were not uploaded.
batch-paused-running = Paused: the uploads already running are finishing.
batch-paused = Paused.
batch-estimating = Estimating time left…
# The desktop notification when a batch ends.
batch-end-title = Uploads finished
batch-end-title-some-not = Uploads finished, some not uploaded
batch-end-body = { $counts }. Every audio ID is in History.

## Dates, sizes and the time left

# The time left in a batch.
time-left-under-a-minute = less than a minute left
time-left-minutes = about { $minutes } min left
time-left-hours = about { $hours } h { $minutes } min left

# A size in bytes, below a kilobyte (larger sizes are written 12.3 MB in every language).
size-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}

## The app around the window (tray, notifications, dialogs)

tray-show-window = Show window
dialog-choose-files-title = Choose audio files to upload
dialog-audio-files = Audio files
dialog-csv-files = CSV (spreadsheets)
dialog-export-title = Export upload history
# Said once, the first time files from this computer are hosted.
app-hosting-notice = { -brand } keeps each file you send from this computer at a web link that anyone who has the link can open, so share that link and its audio ID only with people you trust.
app-one-link-at-a-time = Send exactly one link to your audio file at a time.
app-dropped-file-unreadable = This file could not be read: it may have been moved, renamed or deleted since you dropped it. Find it and add it again.
app-text-too-long = That is too much text at once (more than { $kilobytes } KB). Paste fewer links at a time.
app-too-many-links = That is { $count } links at once; the app takes at most { $max } at a time. Paste them in smaller groups.
# $setting is one of the setting names below; $detail says what it must be.
app-setting-out-of-range = The { $setting } setting is out of range: { $detail }. Change it and save again.
app-not-a-platform-token = This does not look like a platform token. Copy the whole token (it starts with { $prefix }) from { $page } and paste it here.
# $message is the keychain's own message.
app-keychain-timeout = { $message } (Details: the keychain did not answer within { $seconds } seconds; it may be locked.)
app-settings-unsaved = Your settings could not be saved to { $path } ({ $detail }). Check that the folder can be written to, then save again.
app-file-not-whole = This file did not arrive whole from the window. Add the file again.
app-file-pieces-too-big = This file came from the window in pieces larger than the app takes ({ $megabytes } MB at most each), so nothing of it was kept. Add the file again.
app-file-copy-gone = The copy of { $file_name } that the app kept is gone (the app stopped before it was sent). Drop the file on the window again, or use Choose files…, to send it.
app-link-not-shown = Only links shown in your upload list or your history can be opened from here. Copy the link and paste it into your web browser.
app-browser-failed = The link could not be opened in your web browser ({ $detail }). Copy it from Details and paste it into your browser.
setting-concurrency = uploads at once
setting-timeout = time-out
setting-zoom = text size
setting-all = settings
setting-between = it must be between { $min } and { $max }, not { $value }
setting-between-seconds = it must be between { $min } and { $max } seconds, not { $value }
setting-one-of-percent = it must be one of { $sizes } percent, not { $value }
setting-unreadable = they could not be read ({ $detail })

notify-songs-ready-title = { $count ->
    [one] Your song is ready
   *[other] Your songs are ready
}
notify-songs-ready-body = { $count ->
    [one] “{ $title }” is ready to play in Songs.
   *[other] “{ $title }” and { $others } more are ready to play in Songs.
}
notify-song-failed-title = A song could not be made

## The window (ui/)

settings-language-title = Language
settings-language-hint = The window and its messages change at once.
settings-language-system = The system's language

list-stopped-not-sent = { $count ->
    [one] 1 stopped upload could not be sent again: { $reason } It keeps its own Retry in History.
   *[other] { $count } stopped uploads could not be sent again. The first: { $reason } They keep their own Retry in History.
}

# The top bar
main-history = History
    .aria-label = History
main-songs = Songs
    .aria-label = Songs
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
# Closing while songs are being made: alone, or beside uploads (close-also-songs).
close-songs-title = Songs are still being made
close-songs-text = { $count ->
    [one] { $count } song is still being made.
   *[other] { $count } songs are still being made.
}
close-also-songs = { $count ->
    [one] { $count } song is also being made: Finish in background waits for it too. With Stop uploads, it appears in Songs the next time you open the app.
   *[other] { $count } songs are also being made: Finish in background waits for them too. With Stop uploads, they appear in Songs the next time you open the app.
}
close-songs-background-help = <strong>Finish in background</strong>: the window closes and the app keeps checking on your songs. An icon in the status area brings the window back. When they are ready, the app tells you and quits.
close-quit-help = <strong>Quit now</strong>: { -brand } still makes your songs. They appear in Songs the next time you open the app.
close-quit = Quit now

# When the app itself fails (not an answer from Rust)
main-app-error = Something went wrong inside the app: { $reason }. Press Retry; if it keeps happening, restart the app.

## Songs: extend and cover

# The app's save dialog for a song; what the window sent that could not be read ($detail says why).
song-save-title = Save the song
song-save-filter = MP3 audio
song-settings-unreadable = The song's settings could not be read ({ $detail }). Check the values and press Generate again.

# The Songs view (ui/index.html, ui/songs.js).
songs-title = Songs
songs-intro = Songs made from your audio with Extend and Cover, newest first. Each one used credits.
songs-empty = No songs yet. A done upload offers Extend (continue it from a moment) and Cover (the same song in another style).
songs-player =
    .aria-label = Song player
songs-extend = Extend
songs-cover = Cover
songs-untitled = Untitled
# $action: extend or cover; $audio_id: the audio it was made from; $when: when it was asked for.
songs-made-from = { $action ->
    [extend] Extend
   *[cover] Cover
} of <code>{ $audio_id }</code> · { $when }
# The settings line: its parts, joined by " · ".
songs-from-seconds = from { $seconds } s
songs-with-style = style: { $style }
songs-with-model = model: { $model }
songs-instrumental = instrumental
songs-with-lyrics = with lyrics
songs-quoted = “{ $prompt }”
songs-check-again = Check again
songs-send-again = Send again
songs-play = Play
songs-pause = Pause
songs-download = Download
songs-downloading = Downloading…
songs-downloading-percent = Downloading… { $percent }%
songs-copy-id = Copy song ID
songs-copy-link = Copy link
songs-cover-image = Cover of { $title }
# A song's title and its length ("2:05").
songs-song-name = { $title } ({ $length })
songs-id-copied = Song ID copied.
songs-link-copied = Link copied.
songs-saved = Saved { $path }
songs-cannot-play = This song could not be played here. Download it instead.
songs-not-ready = Songs are not available yet. Try again in a moment.

# The Extend / Cover dialog; $name: the upload's or the song's name.
songs-dialog-title = { $action ->
    [extend] Extend
   *[cover] Cover
} “{ $name }”
songs-extend-about = A new song that continues yours from a moment you choose.
songs-cover-about = Your song again, in another style.
songs-at = Continue from (seconds)
songs-at-hint = How far into your audio the new part starts, in seconds.
songs-at-length = Your audio is { $length } long: play it to find the moment.
songs-at-use = Use this moment
songs-at-used = Continue from { $at }.
songs-lyrics = Lyrics
songs-lyrics-hint = The words to sing. Or leave them empty and describe the song below.
songs-prompt = Short description (instead of lyrics)
songs-prompt-hint = At most { $max } characters.
songs-style = Style
songs-style-hint = For example: dream pop, female voice.
songs-song-title = Title
songs-instrumental-label = Instrumental (no singing)
songs-model = Model
songs-model-hint = { $model } suits most songs.
# A model in the list: its name and what it is for.
songs-model-option = { $name }: { $purpose }
songs-advanced = Advanced
songs-advanced-hint = From { $min } to { $max }. Leave empty for the service's choice.
songs-seed = Seed
songs-seed-hint = The same seed and settings make a similar song again.
songs-credits = Generate uses credits from your { -brand } balance.
songs-generate = Generate
songs-sending = Sending…
songs-cancel = Cancel

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
