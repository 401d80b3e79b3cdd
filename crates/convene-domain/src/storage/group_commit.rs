//! One group-commit writer for every feature that takes many small writes at once
//! (opinion votes, inbound SMS): concurrent callers hand their item to one task,
//! which writes whatever has queued up (up to a maximum) in one transaction, and
//! answers each caller only after that transaction committed. When a batch fails,
//! each of its items is written alone, so that one bad item fails only its caller.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};

/// Writes a batch in one transaction, in order, answering for each item.
pub(crate) type WriteBatch<I, D> =
    Arc<dyn Fn(Vec<I>) -> Pin<Box<dyn Future<Output = Result<Vec<D>>> + Send>> + Send + Sync>;

/// What a caller gets when the writer stopped before answering (its runtime ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhenLost {
    /// Write the item again, alone (for items whose second write changes nothing).
    WriteAgain,
    /// Fail: whether the item was written is unknown.
    Fail,
}

type Queued<I, D> = (I, oneshot::Sender<Result<D>>);

/// The queue of one writer task.
pub(crate) struct GroupCommit<I, D> {
    tx: mpsc::UnboundedSender<Queued<I, D>>,
    write: WriteBatch<I, D>,
    when_lost: WhenLost,
}

impl<I: Clone + Send + 'static, D: Send + 'static> GroupCommit<I, D> {
    /// Starts the writer on the current runtime.
    pub(crate) fn start(max: usize, when_lost: WhenLost, write: WriteBatch<I, D>) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Queued<I, D>>();
        let writer = write.clone();
        tokio::spawn(async move {
            let mut batch: Vec<Queued<I, D>> = Vec::with_capacity(max);
            while let Some(first) = rx.recv().await {
                batch.clear();
                batch.push(first);
                while batch.len() < max {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let items: Vec<I> = batch.iter().map(|(i, _)| i.clone()).collect();
                match writer(items).await {
                    Ok(done) if done.len() == batch.len() => {
                        for ((_, reply), d) in batch.drain(..).zip(done) {
                            let _ = reply.send(Ok(d));
                        }
                    }
                    _ => {
                        for (item, reply) in batch.drain(..) {
                            let _ = reply.send(write_one(&writer, item).await);
                        }
                    }
                }
            }
        });
        GroupCommit {
            tx,
            write,
            when_lost,
        }
    }

    /// Writes `item` with whatever else is queued; answers once it is committed.
    pub(crate) async fn submit(&self, item: I) -> Result<D> {
        let (reply, answer) = oneshot::channel();
        match self.tx.send((item.clone(), reply)) {
            Ok(()) => match answer.await {
                Ok(r) => r,
                Err(_) if self.when_lost == WhenLost::WriteAgain => {
                    write_one(&self.write, item).await
                }
                Err(_) => Err(Error::Internal("the writer stopped".into())),
            },
            // The writer is gone (its runtime ended): write directly.
            Err(_) => write_one(&self.write, item).await,
        }
    }
}

async fn write_one<I, D>(write: &WriteBatch<I, D>, item: I) -> Result<D> {
    write(vec![item])
        .await?
        .pop()
        .ok_or_else(|| Error::Internal("the writer gave no answer".into()))
}
