import Dispatch

/// Two independent pieces of synchronous work at once, for the loading phase, which is plain
/// synchronous code: structured concurrency would make every loader `async` for one fork.
enum Parallel {
    static func both<First: Sendable, Second: Sendable>(_ first: @escaping @Sendable () -> First, _ second: () -> Second) -> (First, Second) {
        let result = Box<First>()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            result.value = first()
            done.signal()
        }
        let other = second()
        done.wait()
        return (result.value!, other)
    }

    /// Written by one thread before the semaphore is signalled, read by the other after it waits.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}
