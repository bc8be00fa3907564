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

## The desktop entry (src-tauri/packaging/producer-uploader.desktop, checked by tests/packaging.rs)

desktop-generic-name = Audio Uploader
desktop-comment = Get { -brand } Producer audio IDs for your audio files and links
desktop-keywords = audio;upload;music;producer;ace data cloud;audio id;
