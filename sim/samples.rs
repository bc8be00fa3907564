//! Real audio files, made on the spot for tests, benchmarks and demos: a PCM WAV tone and an
//! MPEG-1 Layer III (MP3) stream that any player decodes (as silence).

use std::f64::consts::TAU;

const SAMPLE_RATE: u32 = 8_000;
const TONE_HZ: f64 = 440.0;
const BYTES_PER_SAMPLE: u16 = 2;

/// The 44-byte header of a mono 16-bit PCM WAV file at 8 kHz holding `data_len` bytes of samples.
pub fn wav_header(data_len: u32) -> Vec<u8> {
    let mut wav = Vec::with_capacity(44);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // size of the fmt chunk
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    wav.extend_from_slice(&(SAMPLE_RATE * u32::from(BYTES_PER_SAMPLE)).to_le_bytes());
    wav.extend_from_slice(&BYTES_PER_SAMPLE.to_le_bytes()); // block align
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    wav
}

/// `milliseconds` of a 440 Hz sine as a WAV file (8 kHz mono 16-bit PCM); `pitch` shifts the
/// tone by that many hertz, so different calls can make different content.
pub fn tone_wav(milliseconds: u32, pitch: u32) -> Vec<u8> {
    let samples = SAMPLE_RATE * milliseconds / 1000;
    let mut wav = wav_header(samples * u32::from(BYTES_PER_SAMPLE));
    let hz = TONE_HZ + f64::from(pitch);
    for n in 0..samples {
        let t = f64::from(n) / f64::from(SAMPLE_RATE);
        let sample = (TAU * hz * t).sin() * 0.3 * f64::from(i16::MAX);
        // In range by construction: |sample| <= 0.3 * i16::MAX.
        wav.extend_from_slice(&(sample.round() as i16).to_le_bytes());
    }
    wav
}

/// An MP3 file: an empty ID3v2.4 tag, then `frames` MPEG-1 Layer III frames (128 kbit/s,
/// 44.1 kHz, mono, 417 bytes each, about 26 ms each) whose side information is zero, which
/// decoders play as silence.
pub fn silent_mp3(frames: u32) -> Vec<u8> {
    const FRAME_BYTES: usize = 417;
    let mut mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    for _ in 0..frames {
        let start = mp3.len();
        mp3.extend_from_slice(&[0xff, 0xfb, 0x90, 0xc0]);
        mp3.resize(start + FRAME_BYTES, 0);
    }
    mp3
}

/// An MP3 file whose ID3v2.4 tag names `title` (a `TIT2` frame, UTF-8), then `frames` silent
/// MPEG-1 Layer III frames as [`silent_mp3`] makes them.
pub fn titled_mp3(title: &str, frames: u32) -> Vec<u8> {
    let mut text = vec![3u8]; // UTF-8
    text.extend_from_slice(title.as_bytes());
    let mut frame = b"TIT2".to_vec();
    frame.extend_from_slice(&syncsafe(text.len()));
    frame.extend_from_slice(&[0, 0]);
    frame.extend_from_slice(&text);
    let mut mp3 = b"ID3\x04\x00\x00".to_vec();
    mp3.extend_from_slice(&syncsafe(frame.len()));
    mp3.extend_from_slice(&frame);
    mp3.extend_from_slice(&silent_mp3(frames)[10..]);
    mp3
}

/// A size as ID3v2's four 7-bit bytes.
fn syncsafe(size: usize) -> [u8; 4] {
    let size = u32::try_from(size).unwrap_or(u32::MAX) & 0x0fff_ffff;
    [
        (size >> 21) as u8 & 0x7f,
        (size >> 14) as u8 & 0x7f,
        (size >> 7) as u8 & 0x7f,
        size as u8 & 0x7f,
    ]
}

/// A `size` × `size` PNG image in one colour with a lighter diagonal band: a cover picture. The
/// pixels are stored uncompressed (deflate's stored blocks), which every decoder reads.
pub fn cover_png(size: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut pixels = Vec::new();
    for y in 0..size {
        pixels.push(0); // no filter
        for x in 0..size {
            let band = x.abs_diff(y) < size / 6;
            pixels.extend(rgb.map(|c| if band { c.saturating_add(70) } else { c }));
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = pixels.chunks(65_535).collect();
    for (n, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(n + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&pixels).to_be_bytes());
    let mut header = size.to_be_bytes().to_vec();
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", header), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(&data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    png
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_have_the_shape_of_their_format() {
        let wav = tone_wav(1000, 0);
        assert_eq!(wav.len(), 44 + 16_000);
        assert_eq!(&wav[..4], b"RIFF");
        assert_ne!(tone_wav(100, 1), tone_wav(100, 2));
        let mp3 = silent_mp3(3);
        assert_eq!(mp3.len(), 10 + 3 * 417);
        assert_eq!(&mp3[..3], b"ID3");
        assert_eq!(&mp3[10..12], &[0xff, 0xfb], "an MPEG frame after the tag");
        let titled = titled_mp3("Verse", 2);
        assert!(titled.windows(5).any(|w| w == b"Verse"));
        assert_ne!(titled_mp3("A", 2), titled_mp3("B", 2));
    }

    #[test]
    fn the_cover_is_a_png_with_correct_checksums() {
        let png = cover_png(4, [10, 20, 30]);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // The checksum of IEND is a known constant.
        assert_eq!(&png[png.len() - 4..], &[0xae, 0x42, 0x60, 0x82]);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }
}
