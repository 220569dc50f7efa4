//! A pipe (or standard input) given to `import`: read once, as it streams, and kept as it is read
//! in an owner-only temporary file beside the database, so that a document that must be read
//! twice (its ward or bodies after its meetings, as `jq -S` orders keys) or an error that must
//! be said (a newer format named after the fault) reads the kept copy instead of an exhausted
//! pipe. The copy is an unnamed file: it holds nothing once the import ends, however it ends
//! (even a kill), and it is never in memory — only one buffer of the pipe is.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// The pipe, and what was read of it so far.
struct Shared {
    /// The pipe, until it was read to its end.
    pipe: Option<Box<dyn Read + Send>>,
    /// Every byte read from the pipe, in order.
    file: File,
    len: u64,
    /// Whether the pipe was handed out once already.
    started: bool,
    /// Whether the document's first byte (`{`, after a BOM and blanks) went past.
    begun: bool,
    /// How many bytes of a UTF-8 BOM the input began with.
    bom: usize,
}

impl Shared {
    /// Reads from the pipe into `buf`, keeping what was read.
    fn read_pipe(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(pipe) = self.pipe.as_mut() else {
            return Ok(0);
        };
        let n = pipe.read(buf)?;
        if n == 0 {
            self.pipe = None;
            return Ok(0);
        }
        if let Err(e) = self.looks_like_json(&buf[..n]) {
            self.pipe = None;
            return Err(e);
        }
        self.file.write_all_at(&buf[..n], self.len)?;
        self.len += n as u64;
        Ok(n)
    }

    /// Refuses the input at the first bytes that cannot be a JSON document, so that an endless
    /// one (`renkei import /dev/zero`, `yes | renkei import -`) is not copied to its end into
    /// the database's folder before a byte is parsed (attack14, finding 4: it filled the disk):
    /// a NUL anywhere (JSON text never holds one raw), or a first byte (after a UTF-8 BOM and
    /// blanks) that can begin no JSON value. What passes is parsed as before, and its errors
    /// said as a file's are.
    fn looks_like_json(&mut self, chunk: &[u8]) -> io::Result<()> {
        const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
        let refuse = |key: &str, at: u64| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                crate::i18n::said(key, &[("at", (at + 1).to_string())]),
            )
        };
        if let Some(i) = chunk.iter().position(|&b| b == 0) {
            return Err(refuse("import_pipe_nul", self.len + i as u64));
        }
        if self.begun {
            return Ok(());
        }
        for (i, &b) in chunk.iter().enumerate() {
            let at = self.len + i as u64;
            // A BOM's byte only where every byte before it was one too.
            if at == self.bom as u64 && BOM.get(self.bom) == Some(&b) {
                self.bom += 1;
                continue;
            }
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                continue;
            }
            // What may begin a JSON value: anything else is no JSON at all. (A value that is
            // no document, `[…]`, is said by the parser as it is from a file.)
            if matches!(
                b,
                b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
            ) {
                self.begun = true;
                return Ok(());
            }
            return Err(refuse("import_pipe_not_json", at));
        }
        Ok(())
    }

    /// Reads the rest of the pipe into the file.
    fn drain(&mut self) -> io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        while self.read_pipe(&mut buf)? > 0 {}
        Ok(())
    }
}

/// A pipe kept as it is read; [`Spool::open`] gives the pipe the first time, the kept copy (the
/// pipe read to its end first) every time after. Shared between threads: the import reads a
/// JSON file on a thread of its own (`interchange::ahead`).
#[derive(Clone)]
pub struct Spool(Arc<Mutex<Shared>>);

/// The pipe and its copy, held by one reading at a time.
fn lock(shared: &Mutex<Shared>) -> io::Result<MutexGuard<'_, Shared>> {
    shared
        .lock()
        .map_err(|_| io::Error::other("a reading of the input failed"))
}

impl Spool {
    /// Keeps `pipe` in an unnamed owner-only file in `dir` (the database's directory, so that
    /// the copy stays where the data is allowed to be).
    pub fn new(pipe: Box<dyn Read + Send>, dir: &Path) -> io::Result<Spool> {
        // Owner-only and unnamed (O_TMPFILE where it can): nothing is left, however it ends.
        let file = crate::temp_file::unnamed_in(dir)?;
        Ok(Spool(Arc::new(Mutex::new(Shared {
            pipe: Some(pipe),
            file,
            len: 0,
            started: false,
            begun: false,
            bom: 0,
        }))))
    }

    /// Reads the pipe to its end into the kept copy, and says how many bytes it gave: an import
    /// that must know its size before it begins (to index for search in one pass at its end, as
    /// a file of that size is) reads every later reading from the copy. Only one buffer of the
    /// pipe is in memory at a time.
    pub fn read_whole(&self) -> io::Result<u64> {
        let mut shared = lock(&self.0)?;
        shared.started = true;
        shared.drain()?;
        Ok(shared.len)
    }

    /// A reading of the whole input from its start.
    pub fn open(&self) -> io::Result<Box<dyn Read>> {
        let mut shared = lock(&self.0)?;
        if !shared.started {
            shared.started = true;
            return Ok(Box::new(Tee(Arc::clone(&self.0))));
        }
        shared.drain()?;
        Ok(Box::new(Kept {
            shared: Arc::clone(&self.0),
            at: 0,
        }))
    }
}

/// The first reading: from the pipe, each byte kept.
struct Tee(Arc<Mutex<Shared>>);

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        lock(&self.0)?.read_pipe(buf)
    }
}

/// A later reading: from the kept copy.
struct Kept {
    shared: Arc<Mutex<Shared>>,
    at: u64,
}

impl Read for Kept {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let shared = lock(&self.shared)?;
        let left = shared.len.saturating_sub(self.at);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = shared.file.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives its bytes once, a few at a time, as a pipe does.
    struct Pipe(Vec<u8>, usize);

    impl Read for Pipe {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn a_second_reading_gives_the_whole_input_however_far_the_first_went() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"{\"meetings\": [], \"format\": \"renkei/1\"}".to_vec();
        let spool = Spool::new(Box::new(Pipe(text.clone(), 0)), dir.path()).unwrap();
        let mut first = spool.open().unwrap();
        let mut head = [0u8; 7];
        first.read_exact(&mut head).unwrap();
        assert_eq!(&head, b"{\"meeti");
        drop(first);
        for _ in 0..2 {
            let mut all = Vec::new();
            spool.open().unwrap().read_to_end(&mut all).unwrap();
            assert_eq!(all, text);
        }
        // Nothing is left in the directory: the copy has no name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_pipe_read_whole_first_says_its_size_and_every_reading_gives_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"{\"format\": \"renkei/1\", \"meetings\": []}".to_vec();
        let spool = Spool::new(Box::new(Pipe(text.clone(), 0)), dir.path()).unwrap();
        assert_eq!(spool.read_whole().unwrap(), text.len() as u64);
        assert_eq!(spool.read_whole().unwrap(), text.len() as u64);
        for _ in 0..2 {
            let mut all = Vec::new();
            spool.open().unwrap().read_to_end(&mut all).unwrap();
            assert_eq!(all, text);
        }
    }

    /// Attack14 finding 4: an input that cannot be JSON is refused at its first chunk, not
    /// copied to its end — a NUL anywhere, a first byte other than `{` after a BOM and blanks.
    #[test]
    fn an_input_that_cannot_be_json_is_refused_at_its_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let refused = |text: &[u8]| {
            let spool = Spool::new(Box::new(Pipe(text.to_vec(), 0)), dir.path()).unwrap();
            spool.read_whole().is_err()
        };
        assert!(refused(b"y\ny\ny\n"));
        assert!(refused(b"\0\0\0\0"));
        assert!(refused(b"{\"format\": \"renkei/1\"\0}"));
        assert!(
            refused(b"\xE4\xBC\x9A\xE8\xAD\xB0\xE5\x90\x8D,\xE4\xB8\xBB"),
            "a CSV piped"
        );
        assert!(refused(b" \xEF\xBB\xBF{}"), "a BOM only at the start");
        assert!(!refused(b"\xEF\xBB\xBF \r\n\t{\"format\": \"renkei/1\"}"));
        assert!(!refused(b"{}"));
        assert!(
            !refused(b"[1]"),
            "no document, said by the parser as from a file"
        );
        assert!(
            !refused(b""),
            "an empty input is said by the parser, as before"
        );
    }
}
