# Producer Uploader 的简体中文文字。与 locales/en.ftl 的消息和占位符一一对应（tests/words.rs
# 会检查），用词遵循 locales/glossary.md。品牌和技术名称在各语言中保持原样。

## Names that are never translated

-product = Producer Uploader
-brand = Ace Data Cloud
-command = producer-upload

## The language itself

language-name = 简体中文
app-name = { -product }

## Counts used in several places

links-count = { $count } 个链接

## Errors: what happened and what to do next (src/error.rs)

## A batch: its counts, bar, title, tray and notifications (src/summary.rs, src-tauri)

## Dates, sizes and the time left

## The window (ui/)

settings-language-title = 语言
settings-language-hint = 窗口和提示会立即切换。
settings-language-system = 跟随系统

list-stopped-sending = 正在重新发送 { $count } 个已停止的上传。
list-stopped-not-sent = 有 { $count } 个已停止的上传无法重新发送。原因：{ $reason } 它们在历史记录中保留各自的“重试”按钮。

## Songs: extend and cover

## The command (producer-upload)

## The desktop entry (src-tauri/packaging/producer-uploader.desktop, checked by tests/packaging.rs)

desktop-generic-name = 音频上传工具
desktop-comment = 为你的音频文件和链接获取 { -brand } Producer 音频 ID
desktop-keywords = 音频;上传;音乐;制作;producer;ace data cloud;音频 ID;
