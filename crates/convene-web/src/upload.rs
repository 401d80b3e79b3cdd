//! Uploaded files are parsed off the async threads, within a budget.
//!
//! A parser of outside input runs on the blocking pool, so a slow file never
//! stalls the requests served beside it; at most [`PARALLEL`] files are parsed at
//! once, so the memory that parsing takes is bounded by that number times what one
//! parse of a body within the body limit takes (each parser bounds its own growth,
//! e.g. the XLSForm reader refuses cells far away and workbooks that grow past a
//! size once uncompressed); and an upload not parsed within [`DEADLINE`] is
//! answered with a clear message. The permit is held until the parse ends, even
//! after its request has been answered, so late parses still count.

use std::time::Duration;

use tokio::sync::Semaphore;

/// Files parsed at the same time, over the whole process.
pub const PARALLEL: usize = 2;
/// Longest wait for a parse, queueing included.
pub const DEADLINE: Duration = Duration::from_secs(30);

static PARSERS: Semaphore = Semaphore::const_new(PARALLEL);

/// Why an upload could not be parsed at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    /// Not parsed within [`DEADLINE`].
    #[error("the file took too long to read")]
    TooSlow,
    /// The parser failed without an answer (a fault in it, caught here).
    #[error("the file could not be read")]
    Unreadable,
}

impl UploadError {
    /// The message key of the user's translated message.
    pub fn key(&self) -> &'static str {
        match self {
            UploadError::TooSlow => "upload-too-slow",
            UploadError::Unreadable => "upload-unreadable",
        }
    }
}

/// Run `parse` on the blocking pool within the budget.
pub async fn parse<T, F>(parse: F) -> Result<T, UploadError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    parse_within(DEADLINE, parse).await
}

/// [`parse`] with another deadline.
pub async fn parse_within<T, F>(deadline: Duration, parse: F) -> Result<T, UploadError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let run = async move {
        let permit = PARSERS
            .acquire()
            .await
            .map_err(|_| UploadError::Unreadable)?;
        let job = tokio::task::spawn_blocking(move || {
            let _held = permit;
            parse()
        });
        job.await.map_err(|e| {
            tracing::warn!(error = %e, "an upload parser failed");
            UploadError::Unreadable
        })
    };
    tokio::time::timeout(deadline, run).await.map_err(|_| {
        tracing::warn!("an upload was not parsed in time");
        UploadError::TooSlow
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_parse_past_its_deadline_is_answered_and_a_failing_one_is_caught() {
        let slow = parse_within(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_millis(400));
            1
        })
        .await;
        assert_eq!(slow, Err(UploadError::TooSlow));
        let failing: Result<(), _> = parse(|| panic!("a parser fault")).await;
        assert_eq!(failing, Err(UploadError::Unreadable));
        assert_eq!(parse(|| 7).await, Ok(7));
        // (One test, as the budget is the process's.) Once the slow parse above
        // has ended, both places are taken by parses that outlive their requests; a third
        // waits for one of them to end.
        while PARSERS.available_permits() < PARALLEL {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for _ in 0..PARALLEL {
            let r = parse_within(Duration::from_millis(10), || {
                std::thread::sleep(Duration::from_millis(500))
            })
            .await;
            assert_eq!(r, Err(UploadError::TooSlow));
        }
        let started = std::time::Instant::now();
        assert_eq!(parse(|| 1).await, Ok(1));
        assert!(started.elapsed() >= Duration::from_millis(300));
    }
}
