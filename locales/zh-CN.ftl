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

# 每个错误码的提示和下一步（窗口里的说法）；`.command` 是命令行的说法。
error-bad-request = 服务无法使用这个链接。请确认它是直接指向音频文件的链接，然后点“重试”。
    .command = 服务无法使用这个链接。请确认它是直接指向音频文件的链接，然后重新运行命令。
error-no-token = 没有发送 API 密钥。请保存你的 { -brand } API 密钥：等待它的上传会自动重新开始。
    .command = 没有可用的 API 密钥。请用 `{ -command } token set` 保存你的 { -brand } API 密钥（或设置 ACEDATACLOUD_API_TOKEN），然后重新运行命令。
error-disabled = 你的 { -brand } 密钥或账户已被停用。请到 { -brand } 查看你的账户。
error-api-not-implemented = { -brand } 目前不提供这项上传服务。请稍后再试。
error-token-mismatched = 这个密钥不能用于 Producer API。请在 { -brand } 为 Producer 服务创建一个密钥并保存：等待它的上传会自动重新开始。
    .command = 这个密钥不能用于 Producer API。请在 { -brand } 为 Producer 服务创建一个密钥，用 `{ -command } token set` 保存，然后重新运行命令。
error-invalid-token = { -brand } 没有接受你的 API 密钥。请从你的 { -brand } 账户重新复制并保存：等待它的上传会自动重新开始。
    .command = { -brand } 没有接受你的 API 密钥。请从你的 { -brand } 账户重新复制，用 `{ -command } token set` 保存，然后重新运行命令。
error-token-expired = 你的 API 密钥已过期。请在你的 { -brand } 账户中新建一个并保存：等待它的上传会自动重新开始。
    .command = 你的 API 密钥已过期。请在你的 { -brand } 账户中新建一个，用 `{ -command } token set` 保存，然后重新运行命令。
error-used-up = 你的 { -brand } 余额已用完：请到 { -brand } 充值，然后点“重试”。
    .command = 你的 { -brand } 余额已用完：请到 { -brand } 充值，然后重新运行命令。
error-no-api = 设置中的 API 地址没有指向 Producer 上传服务。请把它恢复为 https://api.acedata.cloud，然后点“重试”。
    .command = API 地址（--base-url 或 ACEDATACLOUD_API_BASE_URL）没有指向 Producer 上传服务。去掉它即可使用 https://api.acedata.cloud，然后重新运行命令。
error-too-many-requests = { -brand } 正在限制上传速度。请稍等片刻，然后点“重试”。
    .command = { -brand } 正在限制上传速度。请稍等片刻，然后为这个链接重新运行命令。
error-api-error = { -brand } 那边出了问题。请等一分钟，然后点“重试”。
    .command = { -brand } 那边出了问题。请等一分钟，然后为这个链接重新运行命令。
error-bad-response = { -brand } 返回了本应用无法读取的应答。请等一分钟，然后点“重试”。
    .command = { -brand } 返回了本命令无法读取的应答。请等一分钟，然后为这个链接重新运行命令。
error-network = 无法连接 { -brand }。请检查网络连接，然后点“重试”。
    .command = 无法连接 { -brand }。请检查网络连接，然后为这个链接重新运行命令。
error-timeout = { -brand } 太久没有应答。请检查网络连接，然后点“重试”。
    .command = { -brand } 太久没有应答。请检查网络连接（或用 --timeout 给更长的时间），然后为这个链接重新运行命令。
error-outcome-unknown = 在 { -brand } 应答之前连接断开了，它可能已经收到了这次上传。请先在“历史记录”中查找它的音频 ID；只有找不到时才点“重试”，以免重复上传、重复付费。
    .command = 在 { -brand } 应答之前连接断开了，它可能已经收到了这次上传。请先用 `{ -command } history --search` 查找它的音频 ID；只有找不到时才重新发送，以免重复上传、重复付费。
error-local-file = 这是你电脑上一个文件的名称，是以文字形式输入或粘贴的。请把文件本身拖到窗口上（或使用“选择文件…”），应用会发送它；也可以粘贴这个文件的网络链接，例如 Dropbox 或 Google Drive 的分享链接。
    .command = 这是你电脑上一个文件的名称，却被当作链接给出。要发送这个文件，请把它写成路径（./take.wav）或用 --file 给出；也可以给出这个文件的网络链接，例如 Dropbox 或 Google Drive 的分享链接。
error-invalid-url = 这不是网页链接。请粘贴以 https:// 开头的链接，例如指向你音频文件的 Dropbox 或 Google Drive 分享链接。
error-token-missing = 还没有保存 API 密钥。请在“设置”中粘贴你的 { -brand } API 密钥，即可开始上传。
    .command = 没有可用的 API 密钥。请用 `{ -command } token set` 保存你的 { -brand } API 密钥（或设置 ACEDATACLOUD_API_TOKEN），然后重新运行命令。
error-keychain-unavailable = 无法打开系统钥匙串，因此无法保存或读取你的密钥。请解锁钥匙串（在 Linux 上，请启动 GNOME Keyring 或 KWallet 并登录），然后再试一次。
    .command = 无法打开系统钥匙串，因此无法保存或读取你的密钥。请解锁钥匙串（在 Linux 上，请启动 GNOME Keyring 或 KWallet 并登录），或设置 ACEDATACLOUD_API_TOKEN，然后重新运行命令。
error-invalid-base-url = 设置中的 API 地址不可用：它必须以 https:// 开头（只有本机地址可以用 http://）。请修改它，或恢复为 https://api.acedata.cloud。
    .command = API 地址不可用：它必须以 https:// 开头（只有本机地址可以用 http://）。请修改 --base-url 或 ACEDATACLOUD_API_BASE_URL，或者去掉它。
error-invalid-setting = 有一项设置超出了范围。请检查“设置”后再试一次。
    .command = 给出的某个值超出了范围。请查看选项（`{ -command } upload --help`），然后重新运行命令。
error-history-unavailable = 无法打开或保存上传历史记录。上传仍然正常，音频 ID 也会显示；请检查磁盘是否已满，然后重新启动应用。
    .command = 无法打开或保存上传历史记录。音频 ID 已在这里列出；请检查磁盘是否已满，然后重新运行命令。
error-not-audio-file = 这个链接指向的是网页或文件夹，而不是音频文件，所以先暂缓上传：用它生成的 ID 之后在音乐生成时会出错。请改为粘贴文件的直接链接；如果你确定它是音频，请点“仍要上传”。
    .command = 这个链接指向的是网页或文件夹，而不是音频文件：用它生成的 ID 之后在音乐生成时会出错。请改为给出文件的直接链接。
error-local-link = 这个链接指向本机或你的局域网，{ -brand } 无法访问，所以先暂缓上传。请把文件放到公开的地方（Dropbox、Google Drive 等）再粘贴那个链接，或者直接把文件拖到这里。
    .command = 这个链接指向本机或你的局域网，{ -brand } 无法访问。请把文件放到公开的地方（Dropbox、Google Drive 等）再给出那个链接，或者把文件本身作为路径给出。
error-platform-token-missing = 要发送你电脑上的文件，{ -brand } 需要你的平台密钥：这是另一个以 platform- 开头的密钥（不是你的 API 密钥）。请到 https://platform.acedata.cloud/console/platform-tokens 创建一个，然后用“输入平台密钥”填入；文件随后会自动发送。
    .command = 要发送你电脑上的文件，{ -brand } 需要你的平台密钥：这是另一个以 platform- 开头的密钥（不是你的 API 密钥）。请到 https://platform.acedata.cloud/console/platform-tokens 创建一个，用 `{ -command } token set --platform` 保存（或设置 ACEDATACLOUD_PLATFORM_TOKEN），然后重新运行命令。
error-platform-token-invalid = { -brand } 的文件托管没有接受你的平台密钥。请从 https://platform.acedata.cloud/console/platform-tokens 重新复制（或新建一个），然后用“输入平台密钥”填入；文件随后会自动发送。
    .command = { -brand } 的文件托管没有接受你的平台密钥。请从 https://platform.acedata.cloud/console/platform-tokens 重新复制（或新建一个），用 `{ -command } token set --platform` 保存，然后重新发送文件。
error-file-too-big = 这个文件超过了 100 MB，这是 { -brand } 能接收的上限。请导出一个更短或压缩过的版本（例如 MP3），再添加那个文件。
error-not-audio = 这个文件不是 { -brand } 能使用的音频。请选择 WAV、MP3、M4A、FLAC、OGG 或 AAC 文件。
error-file-unreadable = 无法读取这个文件：它可能已被移动、删除，或正在别处打开。请确认它还在，然后重新添加。
error-file-is-folder = 这是一个文件夹，不是音频文件。请打开文件夹，添加里面的音频文件。
error-generation-failed = { -brand } 没能生成这首歌曲。请修改歌词、风格或描述，或换一个模型，然后重新生成；失败的歌曲一般不扣费。
error-bad-file-link = { -brand } 的文件托管返回了一个本应用无法信任的链接（太长、不安全或指向私有地址），所以什么都没有保留，文件也没有继续发送。请过几分钟再点“重试”。
    .command = { -brand } 的文件托管返回了一个本命令无法信任的链接（太长、不安全或指向私有地址），所以什么都没有保留，文件也没有继续发送。请过几分钟重新运行命令。
error-file-empty = 这个文件是空的（0 字节），里面没有可发送的音频。请重新导出或保存这首歌曲，再添加新文件。
error-disk-full = 这台电脑的可用空间不足，无法接收这个文件：应用会预留一些空间，确保上传历史记录始终能保存。请腾出一些空间，然后重新添加文件。
    .command = 这台电脑的可用空间不足：会预留一些空间，确保上传历史记录始终能保存。请腾出一些空间，然后重新运行命令。
error-waiting-files-full = 等待发送的文件已经太多，所以没有接收这个文件。等其中一些完成后再添加它。
    .command = 等待发送的文件已经太多。等其中一些完成后再重新运行命令。
error-unknown = { -brand } 返回了一个本应用不认识的错误。请点“重试”。
    .command = { -brand } 返回了一个本命令不认识的错误。请为这个链接重新运行命令。
error-support = { $message }如果问题一直出现，请联系 { -brand } 客服。
error-support-trace = { $message }如果问题一直出现，请把这个追踪 ID 发给 { -brand } 客服：{ $trace_id }。

token-empty = 密钥是空的。请从你的 { -brand } 账户复制 API 密钥，粘贴到这里。
token-malformed = 这看起来不像 API 密钥：里面有空格或换行。请从你的 { -brand } 账户只复制密钥本身，再粘贴一次。
token-not-platform = 这不是平台密钥：平台密钥以 platform- 开头。请到 https://platform.acedata.cloud/console/platform-tokens 创建一个，粘贴到这里。
token-is-platform = 这是平台密钥（以 platform- 开头）：它只用于你电脑上的文件，不会发送给 Producer API。请在这里粘贴你的 API 密钥；平台密钥在它自己的界面中填写。

history-no-folder = { -product } 找不到存放上传历史记录的文件夹。请把 { $variable } 设为你自己的一个文件夹，然后再试一次。
history-unopened = 无法打开上传历史记录（{ $detail }）。请确认这个文件夹属于你、磁盘没有满，然后再试一次。
history-too-new = 上传历史记录是由更新版本的 { -product } 写入的。请更新本应用，然后再试一次。
history-busy-writing = 另一个 { -product } 正在写入上传历史记录。请稍后再试。
history-busy-opening = 另一个 { -product } 正在打开上传历史记录。请稍后再试。
history-unreadable = 无法读取或写入上传历史记录（{ $detail }）。请再试一次；如果问题一直出现，请复制一份历史记录文件夹并联系客服。
history-not-found = 这条上传已不在历史记录中。请刷新列表。
history-not-retryable = 只有失败或中断的上传才能重试。请刷新列表。
history-export-failed = 无法写入导出文件（{ $detail }）。请检查保存位置和可用空间，然后再试一次。
history-export-not-a-file = 没有导出：{ $path } 不是普通文件（而是管道、设备或文件夹），所以没有改动它。请换一个文件名，然后再试一次。

history-csv-id = 编号
history-csv-created-at = 创建时间
history-csv-state = 状态
history-csv-file-name = 文件名
history-csv-audio-id = 音频 ID
history-csv-given-url = 给出的链接
history-csv-audio-url = 上传的链接
history-csv-task-id = 任务 ID
history-csv-hosted-audio-url = 托管链接
history-csv-error-code = 错误码
history-csv-error-message = 错误信息
history-csv-trace-id = 追踪 ID
history-csv-http-status = HTTP 状态
history-csv-attempts = 尝试次数
history-csv-source = 来源
history-csv-finished-at = 完成时间

error-with-reason = { $message }（{ $reason }）
address-not-web = 不是网址
address-no-host = 没有主机名
address-plain-http = 普通 http 会以明文发送你的密钥
address-not-https = 必须以 https:// 开头
address-has-user = 不能包含用户名或密码
filehost-invalid-address = 文件托管地址不可用：它必须以 https:// 开头（只有本机地址可以用 http://）。请修改它，或恢复为 https://platform.acedata.cloud。
link-made-direct = 已把 { $service } { $kind ->
    [page] 文件页面
   *[share] 分享链接
}转换为直接下载链接。
link-player-page = 这看起来是 { $service } 的页面，而不是音频文件，无法从中获取音频。请改为粘贴文件的直接链接，例如指向你的 .wav 或 .mp3 文件的 Dropbox 或 Google Drive 分享链接。
link-wetransfer-page = 这是 WeTransfer 的下载页面，不是音频文件，而且 WeTransfer 链接无法转换为直接链接。请先下载文件，放到 Dropbox 或 Google Drive 上，再把分享链接粘贴到这里。
link-folder = 这是一个 { $service } 文件夹的链接，而不是单个音频文件。请打开文件夹，分享音频文件本身，再把那个链接粘贴到这里。
file-gone = 这个文件已经不在了：它可能已被移动或删除。请找到它并重新添加。
file-too-big-size = 这个文件有 { $size }，超过了 { -brand } 能接收的 100 MB 上限。请导出一个更短或压缩过的版本（例如 MP3），再添加那个文件。

check-local-link = 这个链接指向本机或你的局域网，{ -brand } 无法访问。请把文件放到网上（Dropbox、Google Drive 等），再粘贴那个链接。
check-unexpected = 这个链接的应答不正常（{ $status }），所以无法检查。你仍然可以尝试上传。
check-audio = 看起来是音频文件（{ $details }）。
check-unclear-unnamed = 链接可以打开，但不确定它是否指向音频文件（托管方没有说明文件类型）。如果这是你的音频文件，直接上传即可。
check-unclear = 链接可以打开，但不确定它是否指向音频文件（托管方称它为 { $media_type }）。如果这是你的音频文件，直接上传即可。
check-not-audio = 这个链接指向{ $kind ->
    [zip] 一个 .zip 压缩包
    [pdf] 一个 PDF 文档
    [text] 一个文本文件
    [json] JSON 数据
    [image] 一张图片
    [video] 一段视频
   *[other] 一个非音频文件
}（{ $media_type }），而不是音频文件。请分享音频文件本身（例如 .wav 或 .mp3），再粘贴那个链接。
check-virus-scan-page = 这个链接打开的是 Google Drive 的“无法扫描此文件是否含有病毒”页面，而不是文件本身：大文件会显示这个页面。请把文件放到 Dropbox 或其他能提供直接链接的地方，再粘贴那个链接。
check-sign-in-page = 这个链接打开的是登录页面，而不是文件：这个文件没有公开分享。请设置为任何拿到链接的人都能打开，再粘贴新的链接。
check-web-page = 这个链接打开的是网页，而不是音频文件。分享页面、登录页面，以及 Google Drive 对大文件显示的“无法扫描病毒”页面都会这样。请改为分享文件的直接链接，例如 Dropbox 或 Google Drive 的文件链接。
check-not-shared = 这个文件没有对所有人开放：链接需要登录，或者已经过期（服务器应答 { $status }）。请把文件设置为任何拿到链接的人都能打开，或创建一个新链接，再粘贴到这里。
check-no-file = 这个链接上没有文件（服务器应答 { $status }）：它可能已被移动或删除，或者链接已过期。请从存放文件的地方重新复制链接。
check-host-limiting = 文件托管方正在限制请求（服务器应答 { $status }）。请等几分钟再检查。
check-host-problem = 文件托管方出了问题（服务器应答 { $status }）。请过几分钟再试；如果问题一直出现，请换一个托管方重新分享文件。
check-host-refused = 文件托管方拒绝了这个链接（服务器应答 { $status }）。请检查链接是否完整，或创建一个新的分享链接。
check-timed-out = 文件托管方在 { $seconds } 秒内没有应答。请检查链接和网络连接，然后再试一次。
check-leads-local = 这个链接会转到本机或你的局域网，{ -brand } 无法访问。请把文件放到网上（Dropbox、Google Drive 等），再粘贴那个链接。
check-redirects = 这个链接在多个地址之间不断跳转，始终到不了文件。请从存放文件的地方重新复制链接。
check-no-connection = 无法连接文件托管方：地址可能有误，或者服务器已关闭。请检查链接和网络连接，然后再试一次。
check-no-answer = 没有收到文件托管方的应答。请检查链接和网络连接，然后再试一次。

error-and-more = { $message }{ $more }
file-copy-removed = 应用保留的这个文件副本已删除；要发送它，请重新添加文件。
file-window-reloaded = 这个文件没有完整传过来：读取时窗口被重新加载了。请重新添加这个文件。
file-no-host-yet = 这个窗口暂时还不能上传本地文件。请重新启动应用，然后重新添加文件。
file-not-copied = 无法把这个文件复制到应用中：磁盘可能已满。请腾出一些空间，然后重新添加文件。
keychain-details = { $message }（详情：{ $detail }）
keychain-unreadable = 无法读取保存在系统钥匙串中的密钥（{ $detail }）。请删除它，再重新粘贴你的密钥。
keychain-not-text = 它不是文本
keychain-unknown-format = 它的格式无法识别
keychain-ambiguous = 有 { $count } 个条目匹配，请在钥匙串应用中删除它们
keychain-locked = 系统钥匙串已锁定或拒绝访问（{ $detail }）
keychain-none = 这个系统上打不开任何钥匙串服务
keychain-not-a-token = 它是空的，或不是一个完整的密钥
keychain-not-platform = 它不是平台密钥
keychain-call-stopped = 系统钥匙串的调用意外中止了

song-no-audio-id = 音频 ID 是空的。请粘贴要在其基础上创作的音频 ID。
song-not-an-audio-id = 这不是音频 ID（由字母、数字和短横线组成）。请从列表或“历史记录”中重新复制。
song-continue-missing = 请说明从哪里开始续写：音频中的秒数，0 或更大。
song-continue-invalid = “续写起点”必须是音频中的秒数，0 或更大。
song-description-too-long = 描述有 { $count } 个字符，服务最多接受 { $max } 个。请缩短，或把这些文字放进歌词。
song-lyrics-too-long = 歌词超过了 { $max } 个字符。请缩短。
song-text-too-long = { $name ->
    [title] 标题
   *[style] 风格
}超过了 { $max } 个字符。请缩短。
song-no-such-model = 没有名为“{ $model }”的模型。请从这些模型中选择：{ $models }。
song-advanced-label = { $name ->
    [sound] 声音强度
    [lyrics] 歌词强度
   *[weirdness] 怪异度
}
song-out-of-range = { $name ->
    [sound] 声音强度
    [lyrics] 歌词强度
   *[weirdness] 怪异度
}必须在 { $low } 到 1 之间（现在是 { $value }）。
song-seed-too-long = 随机种子必须是一小段文字。请缩短。
song-sending = 正在发送请求…
song-pending = 正在等待 { -brand } 开始…
song-making-percent = 正在生成你的歌曲… { $percent }%
song-making = 正在生成你的歌曲…
song-ready = 你的歌曲已生成。
song-failed = 这首歌曲没能生成。
song-no-answer = 一直没有收到应答。
song-not-downloaded = 无法下载歌曲“{ $title }”（{ $detail }）。请检查网络连接，然后重新下载。
song-link-answered = 链接应答了 HTTP { $status }
song-names-taken = 同名文件已有 999 个
song-not-saved = 无法把歌曲保存到 { $folder }（{ $detail }）。请确认文件夹存在、属于你，并且磁盘没有满，然后重新下载。
song-not-resendable = 只有结果未知或失败的歌曲才能重新发送。请刷新列表。
song-no-task-id = { -brand } 带有这首歌曲任务 ID 的应答一直没有到达，所以这台电脑无法查询这首歌曲。请在你的 { -brand } 账户中查找那个时间开始的任务；只有找不到时才点“重新发送”。
song-started-anyway = { $message }不过 { -brand } 已经开始生成这首歌曲：它的任务 ID 是 { $task_id }（用 `{ -command } task { $task_id }` 可以跟进）。
song-no-such-task = { -brand } 没有 ID 为 { $task_id } 的任务。请检查这个 ID：续写和翻唱会显示它，歌曲列表中也有。
song-may-have-started = 请求已经发出，但一直没有收到应答，所以 { -brand } 可能已经开始生成这首歌曲（也可能已经扣费）。它不会被自动重新发送：请先在你的 { -brand } 账户中查找，只有找不到时才重新发送，以免重复付费。
song-not-in-history = 这首歌曲已不在历史记录中。请刷新列表。
song-ready-but-empty = { -brand } 说这首歌曲已生成，但没有发来可用的歌曲。请重新生成；如果问题一直出现，请联系 { -brand } 客服。
song-service-said = { $message }{ -brand } 的说明：{ $reason }

song-model-best = 音质最好，歌曲更长
song-model-usual = 常用选择：音质好，速度快
song-model-raw = 更贴近你的音频，修饰较少
song-model-earlier-polished = 上一代模型，修饰精良
song-model-first-polished = 第一代模型，修饰精良
song-model-first = 第一代模型
song-model-earlier = 上一代模型
song-model-oldest = 最早的模型，歌曲较短

## A batch: its counts, bar, title, tray and notifications (src/summary.rs, src-tauri)

batch-done-of = 已完成 { $done }/{ $count }
batch-failed = 失败 { $count } 个
batch-stopped = 已停止 { $count } 个
batch-held = 已暂缓 { $count } 个
batch-refused = 无法上传 { $count } 个
batch-uploading = 上传中 { $count } 个
batch-waiting = 等待中 { $count } 个
batch-paused-part = 已暂停
batch-comma = ，
batch-title = { $counts } – { -product }
batch-songs = 正在生成 { $count } 首歌曲
batch-songs-only = 正在生成 { $count } 首歌曲…
batch-all-done = 全部完成。
batch-finished-held = 已结束。暂缓的链接在等你确认：点“仍要上传”即可发送。
batch-finished-some-not = 已结束。有些链接没有上传。
batch-paused-running = 已暂停：正在进行的上传会继续完成。
batch-paused = 已暂停。
batch-estimating = 正在估算剩余时间…
batch-end-title = 上传已完成
batch-end-title-some-not = 上传已结束，部分未上传
batch-end-body = { $counts }。所有音频 ID 都在“历史记录”中。

## Dates, sizes and the time left

time-left-under-a-minute = 剩余不到 1 分钟
time-left-minutes = 剩余约 { $minutes } 分钟
time-left-hours = 剩余约 { $hours } 小时 { $minutes } 分钟

size-bytes = { $count } 字节

## The app around the window (tray, notifications, dialogs)

tray-show-window = 显示窗口
dialog-choose-files-title = 选择要上传的音频文件
dialog-audio-files = 音频文件
dialog-csv-files = CSV（电子表格）
dialog-export-title = 导出上传历史记录
app-hosting-notice = { -brand } 会把你从这台电脑发送的每个文件存放在一个网页链接上，任何拿到链接的人都能打开，所以请只把这个链接和它的音频 ID 分享给你信任的人。
app-one-link-at-a-time = 一次只发送一个音频文件链接。
app-dropped-file-unreadable = 无法读取这个文件：拖入之后它可能已被移动、重命名或删除。请找到它并重新添加。
app-text-too-long = 一次粘贴的文字太多了（超过 { $kilobytes } KB）。请每次少粘贴一些链接。
app-too-many-links = 一次有 { $count } 个链接；应用每次最多接收 { $max } 个。请分成几批粘贴。
app-setting-out-of-range = “{ $setting }”设置超出范围：{ $detail }。请修改后重新保存。
app-not-a-platform-token = 这看起来不是平台密钥。请从 { $page } 复制完整的密钥（以 { $prefix } 开头），然后粘贴到这里。
app-keychain-timeout = { $message }（详情：系统钥匙串在 { $seconds } 秒内没有响应，可能已锁定。）
app-settings-unsaved = 无法把设置保存到 { $path }（{ $detail }）。请确认这个文件夹可以写入，然后重新保存。
app-file-not-whole = 这个文件没有完整地从窗口传过来。请重新添加这个文件。
app-file-pieces-too-big = 这个文件从窗口传来的分块超过了应用能接收的大小（每块最多 { $megabytes } MB），所以没有保留任何内容。请重新添加这个文件。
app-file-copy-gone = 应用保留的 { $file_name } 副本已经不在了（应用在发送它之前停止了）。请重新把文件拖到窗口上，或使用“选择文件…”来发送。
app-link-not-shown = 这里只能打开上传列表或历史记录中显示的链接。请复制链接，粘贴到浏览器中打开。
app-browser-failed = 无法在浏览器中打开这个链接（{ $detail }）。请从“详情”中复制它，粘贴到浏览器中。
setting-concurrency = 同时上传数
setting-timeout = 超时时间
setting-zoom = 文字大小
setting-all = 设置
setting-between = 必须在 { $min } 到 { $max } 之间，不能是 { $value }
setting-between-seconds = 必须在 { $min } 到 { $max } 秒之间，不能是 { $value }
setting-one-of-percent = 必须是 { $sizes }（百分比）中的一个，不能是 { $value }
setting-unreadable = 无法读取（{ $detail }）

notify-songs-ready-title = 你的 { $count } 首歌曲已生成
notify-songs-ready-body = { $count ->
    [one] “{ $title }”已生成，可在“歌曲”中播放。
   *[other] “{ $title }”和另外 { $others } 首歌曲已生成，可在“歌曲”中播放。
}
notify-song-failed-title = 歌曲未能生成

## The window (ui/)

settings-language-title = 语言
settings-language-hint = 窗口和提示会立即切换。
settings-language-system = 跟随系统

list-stopped-not-sent = 有 { $count } 次已停止的上传无法重新发送。原因：{ $reason } 它们在历史记录中保留各自的“重试”按钮。
# The top bar
main-history = 历史记录
    .aria-label = 历史记录
main-songs = 歌曲
    .aria-label = 歌曲
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
close-songs-title = 歌曲仍在生成
close-songs-text = 还有 { $count } 首歌曲正在生成。
close-also-songs = 另有 { $count } 首歌曲正在生成：“在后台完成”也会等它们完成。如果选择“停止上传”，下次打开应用时它们会出现在“歌曲”中。
close-songs-background-help = <strong>在后台完成</strong>：窗口关闭，应用会继续查看歌曲的进度。状态栏中的图标可以重新打开窗口。歌曲生成后，应用会通知你并退出。
close-quit-help = <strong>立即退出</strong>：{ -brand } 仍会继续生成你的歌曲。下次打开应用时，它们会出现在“歌曲”中。
close-quit = 立即退出

# When the app itself fails (not an answer from Rust)
main-app-error = 应用内部出了问题：{ $reason }。请按“重试”；如果一再发生，请重启应用。

## Songs: extend and cover

# The app's save dialog for a song; what the window sent that could not be read ($detail says why).
song-save-title = 保存歌曲
song-save-filter = MP3 音频
song-settings-unreadable = 无法读取这首歌曲的设置（{ $detail }）。请检查各项数值，然后再按“生成”。

# The Songs view (ui/index.html, ui/songs.js).
songs-title = 歌曲
songs-intro = 用“续写”和“翻唱”从你的音频生成的歌曲，最新的在前。每一首都消耗了点数。
songs-empty = 还没有歌曲。上传完成的音频可以“续写”（从某个时间点接着写下去）或“翻唱”（用另一种风格演绎同一首歌）。
songs-player =
    .aria-label = 歌曲播放器
songs-extend = 续写
songs-cover = 翻唱
songs-untitled = 未命名
# $action: extend or cover; $audio_id: the audio it was made from; $when: when it was asked for.
songs-made-from = { $action ->
    [extend] 续写自
   *[cover] 翻唱自
} <code>{ $audio_id }</code> · { $when }
# The settings line: its parts, joined by " · ".
songs-from-seconds = 从第 { $seconds } 秒开始
songs-with-style = 风格：{ $style }
songs-with-model = 模型：{ $model }
songs-instrumental = 纯音乐
songs-with-lyrics = 有歌词
songs-quoted = “{ $prompt }”
songs-check-again = 再次查询
songs-send-again = 重新发送
songs-play = 播放
songs-pause = 暂停
songs-download = 下载
songs-downloading = 正在下载…
songs-downloading-percent = 正在下载… { $percent }%
songs-copy-id = 复制歌曲 ID
songs-copy-link = 复制链接
songs-cover-image = “{ $title }”的封面
# A song's title and its length ("2:05").
songs-song-name = { $title }（{ $length }）
songs-id-copied = 歌曲 ID 已复制。
songs-link-copied = 链接已复制。
songs-saved = 已保存到 { $path }
songs-cannot-play = 这首歌曲无法在这里播放。请下载后收听。
songs-not-ready = 歌曲功能暂时还不能使用。请稍后再试。

# The Extend / Cover dialog; $name: the upload's or the song's name.
songs-dialog-title = { $action ->
    [extend] 续写
   *[cover] 翻唱
}“{ $name }”
songs-extend-about = 从你选择的时间点开始，接着你的歌曲生成一首新歌。
songs-cover-about = 用另一种风格重新演绎你的歌曲。
songs-at = 续写起点（秒）
songs-at-hint = 新的部分从你的音频的第几秒开始。
songs-at-length = 你的音频长 { $length }：可以播放来找到起点。
songs-at-use = 用这个时间点
songs-at-used = 将从 { $at } 处续写。
songs-lyrics = 歌词
songs-lyrics-hint = 要唱的词。也可以留空，在下面描述这首歌。
songs-prompt = 简短描述（代替歌词）
songs-prompt-hint = 最多 { $max } 个字符。
songs-style = 风格
songs-style-hint = 例如：梦幻流行，女声。
songs-song-title = 标题
songs-instrumental-label = 纯音乐（不演唱）
songs-model = 模型
songs-model-hint = { $model } 适合大多数歌曲。
# A model in the list: its name and what it is for.
songs-model-option = { $name }：{ $purpose }
songs-advanced = 高级选项
songs-advanced-hint = 从 { $min } 到 { $max }。留空则由服务决定。
songs-seed = 随机种子
songs-seed-hint = 相同的随机种子和设置会生成相似的歌曲。
songs-credits = 生成会消耗你 { -brand } 余额中的点数。
songs-generate = 生成
songs-sending = 正在发送…
songs-cancel = 取消

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
cli-history-unavailable = 警告：{ $message }仍会继续上传：音频 ID 会显示在这里，但不会保存到历史记录。
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
cli-help-main = 把音频文件的链接上传到 { -brand } 的 Producer API，并显示它们的音频 ID；还可以用音频 ID 生成歌曲（extend 续写、cover 翻唱）。
    .after =
        API 密钥取自 ACEDATACLOUD_API_TOKEN（如已设置），否则取自系统钥匙串（见 `producer-upload token set`）。

        每次上传都会记入与桌面应用共用的上传历史记录：用 `producer-upload history` 查看，用 `producer-upload history export` 导出。它保存在应用的数据文件夹中：Linux 上是 ~/.local/share/cloud.acedata.producer-uploader（如设置了 $XDG_DATA_HOME，则为 $XDG_DATA_HOME/cloud.acedata.producer-uploader），macOS 上是 ~/Library/Application Support/cloud.acedata.producer-uploader，Windows 上是 %APPDATA%\cloud.acedata.producer-uploader；如设置了 PRODUCER_UPLOAD_DATA_DIR，则在该文件夹中。API 密钥从不保存在那里。

        提示语言跟随系统（LC_ALL、LC_MESSAGES、LANG），可以是英文或简体中文；用 PRODUCER_UPLOAD_LANGUAGE=en 或 zh-CN 指定。--json 输出的键和代码保持英文。

        退出码：0 表示全部上传成功；1 表示至少有一个链接失败或被暂缓（或无法读取历史记录）；2 表示用法错误；3 表示没有可用的 API 密钥，或密钥被拒绝。
cli-help-upload = 上传链接，并显示每个链接的音频 ID。
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
    .after = 每行依次为：时间（UTC）、状态（完成、失败、等待中、上传中或已中断）、音频 ID 或错误代码，以及给出的链接。“已中断”的上传因程序崩溃或被强行结束而中断：请重新上传它的链接。
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
cli-help-extend = 从某个时间点续写音频 ID 对应的歌曲（消耗点数）。
cli-help-extend-at = 从音频的第几秒开始续写（0 或更大）。
cli-help-extend-audio-id = 作为基础的音频 ID：已上传音频的，或已生成歌曲的。
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
cli-help-cover = 用另一种风格翻唱音频 ID 对应的歌曲（消耗点数）。
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
