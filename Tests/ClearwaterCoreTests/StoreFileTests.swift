@testable import ClearwaterCore
import Foundation
import SystemPackage
import Testing
import TestSupport

/// A store beside the output is replaced whole (`writeStore`): a reader finds the old bytes or
/// the new ones, never a mix, and the file a store replaced is written over by the next write,
/// ending where that store ends.
@Suite struct StoreFileTests {
    func inFolder(_ body: (URL) throws -> Void) throws {
        try withTemporaryFolder("stores") { folder in
            try body(folder.appendingPathComponent("rows"))
        }
    }

    func write(_ text: String, at location: URL) throws {
        try writeStore(at: location) { file in
            // In two writes, as the stores stream theirs.
            let bytes = Array(text.utf8)
            _ = try file.writeAll(bytes[..<(bytes.count / 2)])
            _ = try file.writeAll(bytes[(bytes.count / 2)...])
        }
    }

    func contents(_ url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    }

    func inode(_ url: URL) -> UInt64? {
        FileStamp(path: url.path)?.inode
    }

    @Test func eachStoreIsWrittenOverTheFileTheLastOneReplaced() throws {
        try inFolder { location in
            let spare = URL(fileURLWithPath: location.path + ".spare")
            try write("the first store, a long one", at: location)
            #expect(contents(location) == "the first store, a long one")
            #expect(!FileManager.default.fileExists(atPath: spare.path))
            let first = inode(location)

            try write("the second", at: location)
            #expect(contents(location) == "the second")
            #expect(contents(spare) == "the first store, a long one")
            #expect(inode(spare) == first)
            let second = inode(location)

            // Into the first store's file, cut to this one's length; the second's is now the spare.
            try write("the third store", at: location)
            #expect(contents(location) == "the third store")
            #expect(inode(location) == first)
            #expect(contents(spare) == "the second")
            #expect(inode(spare) == second)
            #expect(!FileManager.default.fileExists(atPath: location.path + ".new"))
        }
    }

    /// A store every rebuild writes again, put in place where there was none, leaves a copy as
    /// its spare, so that the first rebuild after a build into a new folder writes over pages in
    /// memory; so does the manifest of a swap. A store with a spare to exchange with makes no copy.
    @Test func aStoreWrittenWhereNoneWasKeepsACopyAsItsSpareWhenAsked() throws {
        try inFolder { location in
            let spare = URL(fileURLWithPath: location.path + ".spare")
            try writeStore(at: location, keepingSpareCopy: true) { file in _ = try file.writeAll(Array("the first store".utf8)) }
            #expect(contents(location) == "the first store" && contents(spare) == "the first store")
            let (first, copy) = (inode(location), inode(spare))
            #expect(first != copy)
            // Written over the copy, which is then the new store; the first is the spare.
            try writeStore(at: location, keepingSpareCopy: true) { file in _ = try file.writeAll(Array("the second".utf8)) }
            #expect(contents(location) == "the second" && inode(location) == copy)
            #expect(contents(spare) == "the first store" && inode(spare) == first)

            let previous = location.deletingLastPathComponent().appendingPathComponent("previous")
            let pending = try PendingStore.write(at: location, keepingSpareCopy: true) { file in _ = try file.writeAll(Array("the third".utf8)) }
            try pending.commit(keepingPrevious: previous)
            #expect(contents(location) == "the third" && contents(previous) == "the second" && contents(spare) == "the third")
            #expect(inode(spare) != inode(location))
        }
    }

    /// The build manifest of a swap keeps the one it replaces as the spare tree's manifest,
    /// not as a file to write over.
    @Test func aStoreKeptAsAnotherIsMovedThere() throws {
        try inFolder { location in
            let previous = location.deletingLastPathComponent().appendingPathComponent("previous")
            try write("the first", at: location)
            try write("the second", at: location)
            let pending = try PendingStore.write(at: location) { file in _ = try file.writeAll(Array("the third".utf8)) }
            // Until it is committed, readers find the second.
            #expect(contents(location) == "the second")
            try pending.commit(keepingPrevious: previous)
            #expect(contents(location) == "the third")
            #expect(contents(previous) == "the second")
            #expect(!FileManager.default.fileExists(atPath: location.path + ".spare"))
            #expect(!FileManager.default.fileExists(atPath: location.path + ".new"))
        }
    }

    @Test func aWriteThatFailsLeavesTheStoreAsItWas() throws {
        struct Stopped: Error {}
        try inFolder { location in
            try write("the first", at: location)
            try write("the second", at: location)
            #expect(throws: Stopped.self) {
                try writeStore(at: location) { file in
                    _ = try file.writeAll(Array("half of a thi".utf8))
                    throw Stopped()
                }
            }
            #expect(contents(location) == "the second")
            #expect(!FileManager.default.fileExists(atPath: location.path + ".new"))
            // The spare went with the failed write; the next write makes a new file.
            try write("the third", at: location)
            #expect(contents(location) == "the third")
        }
    }
}
