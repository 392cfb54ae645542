import CLinux
import Foundation

/// Copies the file at `source` to a new file at `target`, by the kernel (`copy_file_range`): a
/// spare that a later build writes over, whose pages are then already in memory. Only a
/// speed-up: where the copy cannot be made, nothing is left at `target`, and an existing
/// `target` is never touched.
func keepSpareCopy(of source: String, at target: String) {
    let from = open(source, O_RDONLY | O_CLOEXEC)
    defer { if from >= 0 { close(from) } }
    let copy = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard copy >= 0 else { return }
    if from < 0 || clearwater_copy_rest(from, copy) != 0 { unlink(target) }
    close(copy)
}
