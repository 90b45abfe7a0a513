//! Streaming plumbing: a blocking writer whose chunks become the response body.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use axum::body::Body;
use bytes::Bytes;
use tokio::sync::mpsc;

use crate::ApiError;

const CHUNK: usize = 64 * 1024;

type Chunk = Result<Bytes, io::Error>;

/// An [`io::Write`] that sends its bytes to the response in 64 KiB chunks. Writing
/// fails with `BrokenPipe` once the client has gone, which stops the export.
pub struct ChannelWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<Chunk>) -> ChannelWriter {
        ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK * 2),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK * 2),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "client parti"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The receiver as a body. `poll_recv` keeps answering `None` once the channel is
/// done, so wrappers that poll again at the end (compression) are safe.
fn body_of(mut rx: mpsc::Receiver<Chunk>) -> Body {
    Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
}

/// A body written by `write` on a blocking thread, streamed as it is produced.
pub fn stream_body<F>(write: F) -> Body
where
    F: FnOnce(&mut ChannelWriter) -> io::Result<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel::<Chunk>(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter::new(tx.clone());
        let result = write(&mut w).and_then(|()| w.flush());
        if let Err(e) = result
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            tracing::error!("export interrompu : {e}");
            let _ = tx.blocking_send(Err(e));
        }
    });
    body_of(rx)
}

/// Runs `write` (which creates a file in the given temporary folder and returns its
/// path) on a blocking thread, then streams that file; the folder is removed at the end.
pub async fn stream_file<F>(write: F) -> Result<Body, ApiError>
where
    F: FnOnce(&Path) -> io::Result<PathBuf> + Send + 'static,
{
    let made = tokio::task::spawn_blocking(move || {
        let dir = tempfile::Builder::new()
            .prefix("maillage-export-")
            .tempdir()?;
        let path = write(dir.path())?;
        let file = File::open(&path)?;
        Ok::<_, io::Error>((dir, file))
    })
    .await
    .map_err(ApiError::internal)?;
    let (dir, mut file) = made.map_err(ApiError::internal)?;
    let (tx, rx) = mpsc::channel::<Chunk>(4);
    tokio::task::spawn_blocking(move || {
        let _keep = dir;
        let mut buf = vec![0u8; CHUNK];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if tx
                        .blocking_send(Ok(Bytes::copy_from_slice(&buf[..n])))
                        .is_err()
                    {
                        break;
                    }
                }
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    break;
                }
            }
        }
    });
    Ok(body_of(rx))
}
