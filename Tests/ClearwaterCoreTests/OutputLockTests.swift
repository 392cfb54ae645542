import ClearwaterCore
import Foundation
import Synchronization
import Testing

/// The output folder's lock, taken and let go while other threads start programs.
@Suite struct OutputLockTests {
    /// A program being started holds a copy of every open descriptor until it execs: a lock let
    /// go a moment before must still be free to take again, however many programs start meanwhile.
    @Test func aLockLetGoCanBeTakenAgainWhileOtherThreadsStartPrograms() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearwater-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("public")
        let stop = Atomic<Bool>(false)
        let started = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread.detachNewThread {
                while !stop.load(ordering: .relaxed) {
                    _ = try? ChildProcess.start("true", []).wait()
                    started.add(1, ordering: .relaxed)
                }
                finished.signal()
            }
        }
        var refused = 0
        while started.load(ordering: .relaxed) < 500 {
            do {
                _ = try OutputLock(output: output)
            } catch {
                refused += 1
            }
        }
        stop.store(true, ordering: .relaxed)
        finished.wait()
        finished.wait()
        #expect(refused == 0)
    }
}
