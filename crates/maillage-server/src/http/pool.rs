//! The one pool of heavy work (gap analyses, site and tour solves, OGC variants and
//! polygon pages): blocking threads, at most one computation per core at a time.

use tokio::sync::Semaphore;

use crate::{ApiError, ApiResult};

/// At most one heavy computation per core at a time; the others wait their turn.
pub struct HeavyPool {
    slots: Semaphore,
}

impl HeavyPool {
    /// A pool of `slots` concurrent computations (at least one).
    pub fn new(slots: usize) -> HeavyPool {
        HeavyPool {
            slots: Semaphore::new(slots.max(1)),
        }
    }

    /// One slot per core of the machine.
    pub fn per_core() -> HeavyPool {
        HeavyPool::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        )
    }

    /// Runs blocking work on the blocking pool, holding one of the slots.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        let _permit = self.slots.acquire().await.map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ApiError::internal)
    }
}
