//! Reading a snapshot file's bytes: a regular file on every core, anything else in one pass.
//!
//! Copying a large snapshot out of the page cache is one of the few sequential steps of a
//! scan: 60–80 ms on one core for a 10,000-account organization's 133 MB, about 40 ms in
//! pieces on two (docs/benchmarks.md).

use std::fs::File;
use std::io::{self, Read as _};

/// What one positioned read copies: large enough that the pieces are few, small enough that
/// every core gets several.
const PIECE_BYTES: usize = 8 << 20;

/// Why the bytes could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    /// The file is longer than the limit.
    TooLarge,
    /// Reading failed.
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// All of `file`, refused beyond `limit` bytes.
///
/// Devices and pipes report no length (and `/dev/zero` never ends): they are read in one
/// pass up to the limit.
pub(super) fn read_all(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = file.metadata()?;
    if metadata.is_file() {
        if metadata.len() > limit {
            return Err(ReadError::TooLarge);
        }
        #[cfg(unix)]
        if let Ok(len) = usize::try_from(metadata.len()) {
            return Ok(read_in_pieces(&file, len)?);
        }
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// The `len` bytes of a regular file, read in pieces on the pool. A file that is rewritten
/// meanwhile (shorter, or longer than when it was measured) is an error rather than a mix of
/// two versions.
#[cfg(unix)]
fn read_in_pieces(file: &File, len: usize) -> io::Result<Vec<u8>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt as _;

    let changed = || io::Error::other("the file changed while it was read");
    let mut bytes = vec![0; len];
    bytes
        .par_chunks_mut(PIECE_BYTES)
        .enumerate()
        .try_for_each(|(index, piece)| {
            let offset = u64::try_from(index * PIECE_BYTES).map_err(|_| changed())?;
            file.read_exact_at(piece, offset).map_err(|e| {
                if e.kind() == io::ErrorKind::UnexpectedEof {
                    changed()
                } else {
                    e
                }
            })
        })?;
    let end = u64::try_from(len).map_err(|_| changed())?;
    if file.read_at(&mut [0], end)? != 0 {
        return Err(changed());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn file_with(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut file = tempfile::NamedTempFile::new().expect("temporary file");
        file.write_all(bytes).expect("write");
        let reopened = file.reopen().expect("reopen");
        (file, reopened)
    }

    #[test]
    fn a_file_of_many_pieces_reads_back_byte_for_byte() {
        // Three pieces and a short tail, each byte telling its offset apart from the next.
        let bytes: Vec<u8> = (0..PIECE_BYTES * 3 + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        let (_keep, file) = file_with(&bytes);
        let read = read_all(file, u64::MAX).expect("read");
        assert!(read == bytes, "the bytes read differ from the file's");
    }

    #[test]
    fn an_empty_file_reads_as_nothing() {
        let (_keep, file) = file_with(b"");
        assert!(read_all(file, 10).expect("read").is_empty());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let (_keep, file) = file_with(b"0123456789");
        assert!(matches!(read_all(file, 9), Err(ReadError::TooLarge)));
        let (_keep, file) = file_with(b"0123456789");
        assert_eq!(read_all(file, 10).expect("at the limit").len(), 10);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_without_a_length_is_read_up_to_the_limit() {
        let file = File::open("/dev/zero").expect("/dev/zero");
        assert!(matches!(read_all(file, 1 << 20), Err(ReadError::TooLarge)));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_longer_than_measured_is_an_error() {
        // As if the file grew between measuring and reading: the pieces cover the first 10
        // bytes of 20.
        let (_keep, file) = file_with(&[b'x'; 20]);
        let error = read_in_pieces(&file, 10).expect_err("grown");
        assert!(
            error.to_string().contains("changed while it was read"),
            "{error}"
        );
        let error = read_in_pieces(&file, 30).expect_err("shrunk");
        assert!(
            error.to_string().contains("changed while it was read"),
            "{error}"
        );
    }
}
