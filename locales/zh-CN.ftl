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
cli-error = 错误：{ $message }
cli-link-warning = 警告：{ $link }：{ $message }
cli-link-checked = 已检查：{ $link }：{ $message }
cli-link-rewritten = 提示：{ $link }：{ $message }将发送 { $audio_url }
cli-link-held = 已暂缓：{ $link }：{ $message } [{ $code }]
cli-link-failed = 错误：{ $link }：{ $message } [{ $details }]
cli-held = 已暂缓，未发送：{ $reason }如要按原样发送，请加上 --send-anyway 再运行一次。
cli-trace-id = 追踪 ID { $trace_id }
cli-stdin-unreadable = 无法从标准输入读取链接：{ $error }
cli-stdin-too-big = 标准输入中的链接超过 { $megabytes } MB。请把列表拆成几个小文件，逐个上传。
cli-stdin-not-text = 标准输入不是文本（UTF-8）。请提供一份纯文本的链接列表。
cli-no-links = 没有给出链接。请把链接作为参数传入，或用 `-` 从标准输入读取。
cli-progress = { $counts }，已用 { $elapsed }，大约还剩 { $left }
cli-progress-time = { $minutes ->
    [0] { $seconds } 秒
   *[other] { $minutes } 分 { $seconds } 秒
}
cli-file-uploading = 正在把 { $file } 上传到 { -brand }
cli-file-reused = 提示：{ $file }：同一文件之前已用这个名称托管过，链接仍然有效；将沿用 { $link }（加上 --no-reuse 可重新托管）
cli-history-unavailable = 警告：{ $message }仍会继续上传：audio_id 会显示在这里，但不会保存到历史记录。
cli-not-recorded = 警告：{ $link }：未记入上传历史记录：{ $message }
cli-history-empty = 历史记录中还没有上传（{ $folder }）。
cli-history-no-match = 没有与“{ $text }”匹配的上传。
cli-history-showing = 显示最新的 { $shown } 条上传，共 { $total } 条；用 --limit 0 查看全部。
cli-history-exported = 已将 { $count } 条上传导出到 { $file }。
cli-state-queued = 等待中
cli-state-pending = 上传中
cli-state-done = 完成
cli-state-failed = 失败
cli-state-interrupted = 已中断
cli-token-unusable = 已设置 { $variable }，但无法使用：{ $error }
cli-token-missing = 尚未保存 API 密钥。请运行 `producer-upload token set` 把你的密钥保存到系统钥匙串，或设置 { $variable }。
cli-token-variable-too = { $message }也可以改为设置 { $variable }。
cli-platform-token-missing = 尚未保存平台密钥，而上传本地文件需要它（以 platform- 开头）。请在 { $page } 创建一个，然后运行 `producer-upload token set --platform`，或设置 { $variable }。
cli-platform-token-unreadable = 无法读取平台密钥（上传本地文件需要它）：{ $message }也可以把 { $variable } 设为在 { $page } 创建的密钥。
cli-platform-token-refused = { -brand } 的文件托管没有接受你的平台密钥。请从 { $page } 重新复制（或新建一个），用 producer-upload token set --platform 保存，然后重新发送该文件。
cli-token-end = （末尾为 …{ $last_four }）
cli-token-saved = API 密钥已保存到系统钥匙串{ $end }。
cli-token-removed = 已从系统钥匙串删除保存的 API 密钥。
cli-platform-token-saved = 平台密钥已保存到系统钥匙串{ $end }。
cli-platform-token-removed = 已从系统钥匙串删除保存的平台密钥。
cli-token-variable-set = 已设置 { $variable }，将用它代替系统钥匙串中的密钥。
cli-platform-token-status-saved = 已保存用于上传本地文件的平台密钥{ $end }。
cli-platform-token-status-none = 尚未保存平台密钥；上传本地文件需要它：请运行 `producer-upload token set --platform`。
cli-token-status-saved = 系统钥匙串中已保存 API 密钥{ $end }。
cli-token-status-none = 尚未保存 API 密钥。请运行 `producer-upload token set` 保存。
cli-token-prompt = 请粘贴你的 { -brand } API 密钥（输入内容不会显示）：
cli-platform-token-prompt = 请粘贴你的 { -brand } 平台密钥（输入内容不会显示）：
cli-token-unreadable = 无法读取密钥：{ $error }
cli-lyrics-unreadable = 无法读取歌词文件 { $file }（{ $error }）。请检查文件名，或用 --lyrics 直接给出歌词。没有发送任何内容。
cli-nothing-sent = { $message }没有发送任何内容。
cli-not-a-task-id = “{ $text }”不是任务 ID。请给出 extend 或 cover 显示的任务 ID。没有发送任何内容。
cli-task-error = 错误：任务 { $task }：{ $message }
cli-task-failed = 错误：任务 { $task } { $state }：{ $message }（{ $code }）
cli-task-trace-id = {" "}[追踪 ID：{ $trace_id }]
cli-task-unknown = 提示：如要重新发送，请再运行一次同样的命令；`producer-upload tasks` 会把它列为“状态未知”。
cli-task-progress = 任务 { $task } { $state }：{ $progress }
cli-no-task-id = （无任务 ID）
cli-song-saved = 已保存 { $file }
cli-song-not-recorded = { $message }没有发送任何内容：歌曲要先记录下来，才会提交生成。
cli-song-poll-failed = 警告：无法向 { -brand } 查询这首歌曲：{ $message }几秒后会再次查询。
cli-tasks-empty = 这台电脑上还没有生成过歌曲。可以用 `producer-upload extend` 或 `producer-upload cover` 生成。
cli-tasks-showing = 显示最新的 { $shown } 个任务，共 { $total } 个；用 --limit 0 查看全部。
cli-task-state-pending = 等待中
cli-task-state-unknown = 状态未知
cli-task-state-running = 生成中
cli-task-state-succeeded = 完成
cli-task-state-failed = 失败
cli-help-main = 把音频文件的链接上传到 { -brand } 的 Producer API，并显示它们的 audio_id；还可以用 audio_id 生成歌曲（extend 续写、cover 翻唱）。
    .after =
        API 密钥取自 ACEDATACLOUD_API_TOKEN（如已设置），否则取自系统钥匙串（见 `producer-upload token set`）。

        每次上传都会记入与桌面应用共用的上传历史记录：用 `producer-upload history` 查看，用 `producer-upload history export` 导出。它保存在应用的数据文件夹中：Linux 上是 ~/.local/share/cloud.acedata.producer-uploader（如设置了 $XDG_DATA_HOME，则为 $XDG_DATA_HOME/cloud.acedata.producer-uploader），macOS 上是 ~/Library/Application Support/cloud.acedata.producer-uploader，Windows 上是 %APPDATA%\cloud.acedata.producer-uploader；如设置了 PRODUCER_UPLOAD_DATA_DIR，则在该文件夹中。API 密钥从不保存在那里。

        提示语言跟随系统（LC_ALL、LC_MESSAGES、LANG），可以是英文或简体中文；用 PRODUCER_UPLOAD_LANGUAGE=en 或 zh-CN 指定。--json 输出的键和代码保持英文。

        退出码：0 表示全部上传成功；1 表示至少有一个链接失败或被暂缓（或无法读取历史记录）；2 表示用法错误；3 表示没有可用的 API 密钥，或密钥被拒绝。
cli-help-upload = 上传链接，并显示每个链接的 audio_id。
cli-help-upload-urls = 音频文件的链接，或这台电脑上音频文件的路径（先用平台密钥托管到 { -brand } 的文件托管）；单独一个 `-` 表示从标准输入读取链接（每一行中的每个链接，最多 16 MB）。只有写成路径形式才会当作本地文件：含有 `/` 或 `\`，或以 `~` 或盘符开头（写 `./take.wav`，而不是 `take.wav`）；也可以用 --file 指定。
cli-help-upload-files = 要托管并上传的本地音频文件，路径怎么写都可以（可多次使用）。
cli-help-upload-json = 每个链接输出一个 JSON 对象，而不是文字。
cli-help-upload-base-url = API 的基础地址。
cli-help-upload-platform-base-url = { -brand } 平台的地址，本地文件由它的文件托管接收。
cli-help-upload-concurrency = 同时进行的上传数。
cli-help-upload-timeout = 每次尝试等待回应的秒数，超时则放弃这次尝试。
cli-help-upload-check = 先检查每个链接能否访问、看起来是否是音频（只给出警告）。
cli-help-upload-send-anyway = 照样发送本会被暂缓的链接：网页而不是文件（YouTube、Spotify、共享文件夹等），以及指向这台电脑或局域网、{ -brand } 无法访问的链接。
cli-help-upload-no-history = 不把这些上传记入上传历史记录。
cli-help-upload-no-reuse = 每个文件都重新托管，即使历史记录中已有它的链接（默认情况下，同名且经同一托管地址的同一文件，只要链接仍能按文件大小正常响应，就沿用该链接）。
cli-help-history = 列出以往的上传（最新的在前），或导出它们（`history export`）。
    .after = 每行依次为：时间（UTC）、状态（完成、失败、等待中、上传中或已中断）、audio_id 或错误代码，以及给出的链接。“已中断”的上传因程序崩溃或被强行结束而中断：请重新上传它的链接。
cli-help-history-json = 每条上传输出一个 JSON 对象，而不是文字。
cli-help-history-search = 只显示链接、文件名或 ID 包含 TEXT 中每个词的上传（不分大小写）；像 2026-11-24 这样的词也会匹配当天（UTC）的上传。
cli-help-history-limit = 最多显示 N 条上传；0 表示全部显示。
cli-help-history-export = 把整个历史记录，或与 --search 匹配的上传，导出为 CSV 或 JSON。
    .after = CSV 为带字节顺序标记（BOM）的 UTF-8，Excel 能正确显示中文等非 ASCII 文件名；JSON 是由上传组成的数组，最新的在前。
cli-help-history-export-format = 文件格式。
cli-help-history-export-output = 写入这个文件，而不是标准输出。
cli-help-history-export-search = 只导出链接、文件名或 ID 包含 TEXT 中每个词的上传，或某一天（如 2026-11-24，UTC）的上传。
cli-help-token = 在系统钥匙串中保存、查看或删除 API 密钥。
cli-help-token-set = 保存密钥：从标准输入读取，或在终端中输入（不显示输入内容）。
cli-help-token-set-platform = 保存平台密钥（用于上传本地文件），而不是 API 密钥。
cli-help-token-status = 显示各个密钥是否已保存（只显示最后四个字符）。
cli-help-token-delete = 删除已保存的密钥。
cli-help-token-delete-platform = 删除平台密钥，而不是 API 密钥。
cli-help-extend = 从某个时间点续写 audio_id 对应的歌曲（消耗点数）。
cli-help-extend-at = 从音频的第几秒开始续写（0 或更大）。
cli-help-extend-audio-id = 作为基础的 audio_id：已上传音频的，或已生成歌曲的。
cli-help-extend-lyrics = 要演唱的歌词。
cli-help-extend-lyrics-file = 从这个文件读取歌词（UTF-8 文本）。
cli-help-extend-prompt = 用一段简短的描述代替歌词（最多 200 个字符）。
cli-help-extend-style = 风格，例如“dream pop, female voice”。
cli-help-extend-title = 歌曲标题（也是下载文件的文件名）。
cli-help-extend-instrumental = 纯音乐，不演唱。
cli-help-extend-model = 模型：FUZZ-2.0 Pro、FUZZ-2.0（默认）、FUZZ-2.0 Raw、FUZZ-1.1 Pro、FUZZ-1.0 Pro、FUZZ-1.0、FUZZ-1.1 或 FUZZ-0.8。
cli-help-extend-weirdness = 奇特程度，0 到 1。
cli-help-extend-sound-strength = 保留原音频声音的程度，0.2 到 1。
cli-help-extend-lyrics-strength = 贴合歌词的程度，0 到 1。
cli-help-extend-seed = 随机种子，用来再次生成同样的结果。
cli-help-extend-timeout = 等待每次回应的秒数，超时则放弃。
cli-help-extend-no-wait = 只显示任务 ID，不等待歌曲生成完成。
cli-help-extend-download = 把每首歌曲以 <标题>.mp3 保存到这个文件夹（不会覆盖其他文件）。
cli-help-extend-json = 每个任务输出一个 JSON 对象，而不是文字。
cli-help-extend-base-url = { cli-help-upload-base-url }
cli-help-cover = 用另一种风格翻唱 audio_id 对应的歌曲（消耗点数）。
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
cli-help-task = 按任务 ID 显示歌曲任务，或等待它们完成（--wait）。
cli-help-task-task-ids = 任务 ID，即 `extend` 或 `cover` 显示的那些。
cli-help-task-wait = 等待所有任务结束。
cli-help-task-download = { cli-help-extend-download }
cli-help-task-json = { cli-help-extend-json }
cli-help-task-timeout = { cli-help-extend-timeout }
cli-help-task-base-url = { cli-help-upload-base-url }
cli-help-tasks = 列出在这台电脑上创建的歌曲任务，最新的在前。
cli-help-tasks-json = { cli-help-extend-json }
cli-help-tasks-limit = 最多显示 N 个任务；0 表示全部显示。
cli-help-clap-usage = 用法
cli-help-clap-commands = 命令
cli-help-clap-arguments = 参数
cli-help-clap-options = 选项
cli-help-clap-help = 显示帮助
cli-help-clap-version = 显示版本
cli-help-clap-help-command = 显示本帮助，或指定子命令的帮助
cli-help-clap-env = [环境变量：{ $variable }={ $value }]
cli-help-clap-default = [默认值：{ $value }]
cli-help-clap-possible = [可选值：{ $values }]
cli-usage-value-missing = “{ $argument }”需要一个值，但没有给出
cli-usage-invalid-value = “{ $argument }”的值“{ $value }”无效
cli-usage-unknown-argument = 无法识别的参数“{ $argument }”
cli-usage-unknown-command = 没有“{ $command }”这个子命令
cli-usage-missing = 缺少必需的参数：{ $arguments }
cli-usage-conflict = 参数“{ $argument }”不能与“{ $other }”一起使用
cli-usage-repeated = 参数“{ $argument }”只能使用一次
cli-usage-too-many = “{ $argument }”多出了一个值“{ $value }”，这里不需要更多的值
cli-usage-did-you-mean = 提示：你是不是想用“{ $suggestion }”？
cli-usage-more = 想了解更多，请使用 { $help }。
cli-usage-reason = { $message }：{ $reason }

## The desktop entry (src-tauri/packaging/producer-uploader.desktop, checked by tests/packaging.rs)

desktop-generic-name = 音频上传工具
desktop-comment = 为你的音频文件和链接获取 { -brand } Producer 音频 ID
desktop-keywords = 音频;上传;音乐;制作;producer;ace data cloud;音频 ID;
