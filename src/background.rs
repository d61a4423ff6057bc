//! Work nobody waits for.

/// Drops `value` on another thread: large trees (the Rego input, the facts of a large
/// organization) take a noticeable time to free, and nothing waits for it.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // When no thread can be started, the closure, and the value with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("drop".to_owned())
        .spawn(move || drop(value));
}
