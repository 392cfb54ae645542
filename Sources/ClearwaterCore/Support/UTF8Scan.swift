extension String.UTF8View {
    /// Whether any byte satisfies `predicate`, read from the string's own storage: walking the
    /// view byte by byte took twice as long, and the open data asks of twelve million cells.
    func containsByte(where predicate: (UInt8) -> Bool) -> Bool {
        withContiguousStorageIfAvailable { $0.contains(where: predicate) } ?? contains(where: predicate)
    }
}
