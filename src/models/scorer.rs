//! The scorer that commands hand down: it matches by meaning with the sentence embedder from the
//! models dir, loaded the first time an answer is scored (listing questions never pays for it),
//! and remembers the bank's embeddings in the data dir. When the embedder is not installed it
//! says so once and scores by words alone.

use crate::config::Config;
use crate::embed::{self, Availability, Cached, Embed};
use crate::score::Scorer;

/// The scorer of this run, made once by a command from its config (the delivery norms too).
pub fn scorer(config: &Config) -> Scorer {
    let norms = config.norms;
    let config = config.clone();
    Scorer::with_embedder(Box::new(move || match embed::load(&config.models_dir)? {
        Availability::Ready(model) => {
            let cache = embed::cache_path(&config.data_dir, embed::MODEL_NAME);
            Ok(Some(Box::new(Cached::new(model, cache)) as Box<dyn Embed>))
        }
        Availability::Missing { reason } => {
            crate::ui::warn(&config, &reason);
            Ok(None)
        }
    }))
    .with_norms(norms)
}
