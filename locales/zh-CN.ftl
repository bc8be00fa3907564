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

# The top bar
main-history = 历史记录
    .aria-label = 历史记录
main-settings = 设置
    .aria-label = 设置
main-token-none = 还没有 API 密钥
main-token-ending = 密钥 …{ $last_four }
main-token-ending-session = 密钥 …{ $last_four }（仅本次使用）
main-token-session = 密钥仅本次使用
main-token-saved = 密钥已保存
main-version = { -product } { $version }。

# Dropping and pasting
drop-title = 把音频文件或它们的链接拖到这里
drop-help = 本地文件会先上传到 { -brand }。在窗口任意位置按 Ctrl+V 粘贴链接：Dropbox、Google Drive、OneDrive 的分享链接都可以，任何音频文件的网址也可以。
paste-label = 音频链接
paste-input =
    .placeholder = https://www.dropbox.com/s/…/my-song.wav
paste-upload = 上传
paste-choose-files = 选择文件…
paste-hint = 粘贴一个或多个链接，然后按回车或“上传”。
paste-empty = 请先粘贴音频文件的链接。
paste-no-link = 这里没有找到链接。请粘贴以 https:// 开头的链接。
paste-added = { $rejected ->
    [0] 已添加 { $links } 个链接。
   *[other] { $links ->
        [0] { $rejected } 个无法上传。
       *[other] 已添加 { $links } 个链接，{ $rejected } 个无法上传。
    }
}
paste-files-added = 已添加 { $count } 个文件。
notice-got-it = 知道了

# The upload list and its batch bar
list-title = 上传
list-copy-all = 复制全部 ID
list-copy-table = 复制名称和 ID
list-copy-csv = 复制为 CSV
list-clear = 清空列表
list-batch =
    .aria-label = 批量上传进度
list-pause = 暂停
list-resume = 继续
list-cancel = 取消
list-retry-failed = 重试全部失败项
list-undo = 撤销
list-open-history = 打开历史记录
list-retry-stopped = 全部重试
list-empty = 还没有上传。添加的每个文件或链接都会在这里占一行并显示它的音频 ID，直到你清空列表。
list-earlier = 每次启动时列表都是空的。之前的 { $count } 次上传及其音频 ID 都在历史记录中。
list-cleared = { $count ->
    [0] 列表已清空。
    [1] 你的上传在历史记录中。
   *[other] 你的 { $count } 次上传都在历史记录中。
}
list-cleared-said = { $running ->
    [yes] 已清除完成的行，正在进行的上传保留。{ $cleared }按“撤销”可恢复。
   *[no] { $cleared }按“撤销”可恢复。
}
list-stopped = 有 { $count } 次上传在完成前被停止。
list-retrying-stopped = 正在重新发送 { $count } 次已停止的上传。
list-rows-back = 这些行已恢复。
list-nothing-back = 没有可恢复的内容。
list-paused = 已暂停。正在进行的上传会完成。
list-resumed = 已继续。
list-cancelled = 已取消。尚未发送的链接已停止，可以稍后重试。
list-retrying = 正在重试未上传成功的链接。
list-all-through = 所有链接都已处理：{ $counts }。
list-removed = 已从列表中移除，它仍保留在历史记录中。
list-copied-ids = 已复制 { $count } 个 ID，{ $how ->
    [tsv] 带名称，可直接粘贴到电子表格中。
    [csv] 带名称，CSV 格式。
   *[lines] 每行一个。
}
list-table-name = 名称
list-table-audio-id = 音频 ID
list-table-link = 链接
list-group = { $count } 个链接：{ $reason }
list-retry-these = 重试这些

# A row of the list
row-reading = 正在读取文件… { $percent }%
row-checking = 正在检查文件…
row-hosted = 已上传到 { -brand }（{ $size }），正在等待链接…
row-hosting = 正在上传到 { -brand }… { $percent }% · { $sent } / { $size }
row-queued = 等待上传
row-uploading = 正在上传…
row-uploading-try = 正在上传（第 { $attempt } 次）…
row-rate-limited = 受频率限制，等待 { $seconds } 秒
row-retry-in = { $seconds } 秒后重试
row-done = 完成
row-failed = 失败
row-rejected = 无法上传
row-interrupted = 发送前已停止
row-held = 已暂缓：需要你确认
row-play = 试听
row-pause = 暂停试听
row-cancel = 取消
row-audio-id = 音频 ID
row-copy-id = 复制 ID
    .aria-label = 复制 ID
row-host-again = 重新上传文件
row-remove = 移除
    .aria-label = 从列表移除
row-retry = 重试
row-upload-anyway = 仍然上传
row-change-token = 更换密钥
row-enter-platform-token = 填写平台密钥
row-top-up = 充值余额
row-open-settings = 打开设置
row-trace = 追踪 ID：
row-copy-trace = 复制追踪 ID
    .aria-label = 复制追踪 ID
row-reused = 沿用了这个文件之前的上传，没有再次发送。
row-uploaded-said = 已上传 { $name }。音频 ID { $audio_id }。
row-failed-said = 上传失败：{ $name }。{ $reason }
row-host-again-said = 正在重新上传这个文件，显示在新的一行。
row-host-again-gone = 这个文件无法再重新上传了，请重新添加。
row-stopped-said = 已停止。按“重试”可重新发送。
copy-done = 已复制
copy-failed = 无法复制：{ $reason }
copy-audio-id-said = 音频 ID 已复制。
copy-trace-said = 追踪 ID 已复制。
size-bytes = { $count } 字节
size-kb = { $size } KB
size-mb = { $size } MB
size-gb = { $size } GB

# The preview player
player-bar =
    .aria-label = 试听播放器
player-close =
    .aria-label = 关闭试听
player-play =
    .aria-label = 播放
player-pause =
    .aria-label = 暂停
player-position =
    .aria-label = 播放位置
player-of = { $position } / { $length }
player-cannot = 无法在这里播放这个链接，它可能不是音频文件的直接链接。

# The token screens
tokenview-welcome = 欢迎使用 { -product }
tokenview-attention = 你的 API 密钥需要处理
tokenview-label = API 密钥
tokenview-intro = 上传需要你的 { -brand } API 密钥。只需粘贴一次：它保存在系统钥匙串中，应用只会显示最后四个字符。
tokenview-step-open = 打开你的 <a data-l10n-name="console">{ -brand } 控制台</a>并登录。
tokenview-step-copy = 打开 Producer 服务的<strong>凭证</strong>页面，复制你的 API 密钥。
tokenview-step-paste = 粘贴到下方，然后按<strong>保存密钥</strong>。
tokenview-keychain-title = 无法使用系统钥匙串。
tokenview-keychain-help = 如果现在无法修复，仍然可以上传：按<strong>仅本次使用</strong>。密钥只保存在应用内存中，关闭应用即清除，不会写入任何文件。
tokenview-save = 保存密钥
tokenview-session-only = 仅本次使用
tokenview-remove = 删除密钥
tokenview-back = 返回上传
tokenview-fineprint = 密钥只会发送到设置中的 API 地址。
tokenview-none = 尚未保存密钥。
tokenview-kept-session = 密钥仅在本次使用，关闭应用后即清除。
tokenview-kept-session-ending = 尾号 …{ $last_four } 的密钥仅在本次使用，关闭应用后即清除。
tokenview-kept-keychain = 密钥已保存在系统钥匙串中。
tokenview-kept-keychain-ending = 尾号 …{ $last_four } 的密钥已保存在系统钥匙串中。
tokenview-saved-said = 密钥已保存到钥匙串。
tokenview-session-said = 密钥仅本次使用。
tokenview-removed-said = 密钥已删除。
tokenview-platform-title-new = 本地文件所需的平台密钥
tokenview-platform-title = 平台密钥
tokenview-platform-attention = 你的平台密钥需要处理
tokenview-platform-intro = 本地文件会先放到 { -brand } 的文件托管，由它给出用于上传的链接。文件托管需要第二个密钥，即<strong>平台密钥</strong>：以 <code>platform-</code> 开头，不是你的 API 密钥。它和 API 密钥一样保存在系统钥匙串中，应用只会显示最后四个字符。
tokenview-platform-step-open = 打开 <a data-l10n-name="console">{ -brand } 的平台密钥页面</a>并登录。
tokenview-platform-step-copy = 创建一个密钥并复制（以 <code>platform-</code> 开头）。
tokenview-platform-step-paste = 粘贴到下方，然后按<strong>保存平台密钥</strong>。
tokenview-platform-keychain-help = 如果现在无法修复，仍然可以发送文件：按<strong>仅本次使用</strong>。密钥只保存在应用内存中，关闭应用即清除，不会写入任何文件。
tokenview-platform-label = 平台密钥
tokenview-platform-save = 保存平台密钥
tokenview-platform-remove = 删除平台密钥
tokenview-platform-fineprint = 平台密钥只会发送到 { -brand } 的文件托管，API 密钥从不会发送到那里。在你获取密钥期间，已在途中的文件会继续处理。
tokenview-platform-none = 尚未保存平台密钥。本地文件需要它，链接不需要。
tokenview-platform-kept-session = 平台密钥仅在本次使用，关闭应用后即清除。
tokenview-platform-kept-session-ending = 尾号 …{ $last_four } 的平台密钥仅在本次使用，关闭应用后即清除。
tokenview-platform-kept-keychain = 平台密钥已保存在系统钥匙串中。
tokenview-platform-kept-keychain-ending = 尾号 …{ $last_four } 的平台密钥已保存在系统钥匙串中。
tokenview-platform-saved-said = 平台密钥已保存到钥匙串。
tokenview-platform-session-said = 平台密钥仅本次使用。
tokenview-platform-removed-said = 平台密钥已删除。

# History
hist-title = 上传历史记录
hist-export-csv = 导出 CSV
    .aria-label = 导出 CSV
hist-export-json = 导出 JSON
    .aria-label = 导出 JSON
hist-search = 搜索历史记录
hist-search-hint = 可搜索链接、文件名、音频 ID 或列表中显示的日期，例如 { $example }。按 Esc 清除搜索。
hist-failed-only = 只看失败
hist-hosted-only = 只看托管文件
hist-empty = 这里还没有记录。来自本应用或 { -command } 命令的每次上传都会连同音频 ID 列在这里。
hist-count = 共 { $count } 次上传，最新的在前。
hist-matches = 有 { $count } 次上传符合搜索条件。
hist-loading = 正在加载…
hist-done = 完成
hist-failed = 失败
hist-stopped = 已停止
hist-uploading = 正在上传
hist-waiting = 等待中
hist-worth-a-look = 值得一看：请查看详情
hist-hosted-at = 托管于
hist-audio-id = 音频 ID
hist-copy-id = 复制 ID
    .aria-label = 复制 ID
hist-retry = 重试
    .aria-label = 重试
hist-details = 详情
    .aria-label = 详情
hist-delete = 删除
    .aria-label = 删除
hist-deleted = 已删除 { $name }。
hist-deleted-upload = 已删除这次上传。
hist-deleted-said = 已删除。按“撤销”可恢复。
hist-put-back = 已恢复。
hist-retrying = 正在重新上传 { $name }，进度显示在上传页面。
hist-search-cleared = 已清除搜索。再按一次 Esc 返回上传页面。
hist-exported = 已将 { $count } 次上传导出为 { $format }：{ $path }。

# A history record's details
record-state = 状态
record-when = 时间
record-link = 链接
record-hosted-link = 托管链接（任何拿到它的人都能打开）
record-audio-id = 音频 ID
record-warning = 提醒
record-reason = 原因
record-trace-id = 追踪 ID（用于联系客服）
record-open = 打开链接
record-close = 关闭
record-opening = 正在浏览器中打开链接。

# Settings
settings-title = 设置
settings-change-token = 更换或删除密钥
settings-platform-title = 平台密钥（用于本地文件）
settings-platform-hint = 链接只需要 API 密钥。本地文件会先上传到 { -brand } 以获得链接，这一步需要第二个密钥。
settings-change-platform-token = 更换或删除平台密钥
settings-add-platform-token = 添加平台密钥
settings-base-url = API 地址
settings-base-url-env = 本次启动由 ACEDATACLOUD_API_BASE_URL 指定。已保存的地址：{ $address }
settings-base-url-hint = 上传发送到的地址，通常为 { $address }。
settings-concurrency = 同时上传数
settings-concurrency-hint = 从 { $min } 到 { $max }。
settings-timeout = 超时（秒）
settings-timeout-hint = 每次尝试 { $min } 到 { $max } 秒。
settings-preflight = 上传前检查每个链接（文件是否存在，是否像音频？）
settings-save = 保存设置
settings-reset = 恢复默认设置
settings-saved = 设置已保存。
settings-top-up = 余额不足？<a data-l10n-name="top-up">前往 { -brand } 充值</a>。
settings-concurrency-range = 超出范围：请输入 { $min } 到 { $max } 之间的整数。
settings-timeout-range = 超出范围：请输入 { $min } 到 { $max } 之间的整数秒数。
settings-text-size = 文字大小 { $percent }%

# Closing while uploads run
close-title = 上传仍在进行
close-text = 还有 { $count } 个链接正在上传或等待中。
close-background-help = <strong>在后台完成</strong>：窗口关闭，上传继续。状态栏中的图标可以重新打开窗口。全部完成后，应用会通知你并退出。
close-stop-help = <strong>停止上传</strong>：尚未发送的链接会以“已停止”保存在历史记录中，可以稍后重试。已经发送的上传仍会完成并保留音频 ID。
close-background = 在后台完成
close-stop = 停止上传
close-stay = 保持窗口打开

# When the app itself fails (not an answer from Rust)
main-app-error = 应用内部出了问题：{ $reason }。请按“重试”；如果一再发生，请重启应用。

## Songs: extend and cover

## The command (producer-upload)
