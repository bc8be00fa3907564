// The question on closing the window while work runs (Rust sends the counts: waiting and
// uploading links, songs being made), as message ids and their values: about the uploads, with
// the songs being made beside them, or about the songs alone. Pure: tested with `node --test`.

export function closeWords({ waiting = 0, uploading = 0, songs = 0 }) {
  const links = waiting + uploading;
  if (links === 0) {
    return {
      title: ['close-songs-title'],
      text: ['close-songs-text', { count: songs }],
      also: null,
      backgroundHelp: ['close-songs-background-help'],
      stopHelp: ['close-quit-help'],
      stop: ['close-quit'],
    };
  }
  return {
    title: ['close-title'],
    text: ['close-text', { count: links }],
    also: songs > 0 ? ['close-also-songs', { count: songs }] : null,
    backgroundHelp: ['close-background-help'],
    stopHelp: ['close-stop-help'],
    stop: ['close-stop'],
  };
}
