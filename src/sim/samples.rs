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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_recognised_as_audio() {
        let wav = tone_wav(1000, 0);
        assert_eq!(wav.len(), 44 + 16_000);
        assert_eq!(&wav[..4], b"RIFF");
        assert_ne!(tone_wav(100, 1), tone_wav(100, 2));
        let mp3 = silent_mp3(3);
        assert_eq!(mp3.len(), 10 + 3 * 417);
        assert_eq!(crate::preflight::audio_format(&mp3), Some("MP3"));
        assert_eq!(
            crate::preflight::audio_format(&mp3[10..]),
            Some("MP3 or AAC")
        );
    }
}
