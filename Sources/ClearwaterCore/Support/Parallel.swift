import Foundation

/// Two independent pieces of synchronous work at once, for the loading phase, which is plain
/// synchronous code: structured concurrency would make every loader `async` for one fork.
///
/// The first piece runs on a thread of its own. Not on a Dispatch queue: the build's caller is
/// a Swift task, and blocking a cooperative thread on work queued to Dispatch's shared pool
/// made libdispatch wait about a second before starting another thread.
enum Parallel {
    static func both<First: Sendable, Second>(_ first: @escaping @Sendable () -> First, _ second: () -> Second) -> (First, Second) {
        let started = start(first)
        let other = second()
        return (started.take(), other)
    }

    /// Starts `work` on a thread of its own now, for the caller to take its result when it
    /// needs it (`Started.take`), with other work done in between.
    static func start<Value: Sendable>(_ work: @escaping @Sendable () -> Value) -> Started<Value> {
        let started = Started<Value>()
        Thread {
            started.value = work()
            started.done.signal()
        }.start()
        return started
    }

    /// Work started on a thread of its own (`start`), whose result is taken once.
    final class Started<Value>: @unchecked Sendable {
        fileprivate var value: Value?
        fileprivate let done = DispatchSemaphore(value: 0)

        /// Waits for the result, and moves it out: the caller holds the only reference to it,
        /// so a large array in it is changed where it lies, not copied first.
        func take() -> Value {
            done.wait()
            return value.take()!
        }
    }

    /// Starts `work` on a thread of its own, and returns a task to await its result. For work
    /// that blocks on files beside the build's tasks: on one of the two threads Swift's tasks
    /// share on this machine it kept the next task waiting for the thread, with a core idle.
    static func onThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) -> Task<Value, Never> {
        Task {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: work()) }.start()
            }
        }
    }

    /// `work` for each of `0..<count`, each on a thread of its own, for work that waits on the
    /// disk more than it computes: many waiting at once take little longer than one.
    static func onThreads<Value: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) -> Value) -> [Value] {
        (0..<count).map { index in start { work(index) } }.map { $0.take() }
    }
}
