/// Splits a Markdown file into its YAML front matter and its body.
///
/// Line ends are found by byte: splitting the file into `Character` lines and joining the body
/// back was more than half of reading a Markdown page.
struct FrontMatter {
    /// The YAML between the `---` lines, if the file has any.
    let yaml: String?
    let body: String
    /// Lines before the YAML starts, so YAML positions map back to the file.
    let yamlLineOffset: Int

    /// `text` has `\n` line ends (the loader turns `\r\n` and `\r` into them).
    init(splitting text: String) {
        let bytes = text.utf8
        func end(ofLineAt start: String.Index) -> String.Index { bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex }
        func line(_ start: String.Index, _ end: String.Index, is marker: String) -> Bool { bytes[start..<end].elementsEqual(marker.utf8) }
        let firstEnd = end(ofLineAt: bytes.startIndex)
        if line(bytes.startIndex, firstEnd, is: "---"), firstEnd < bytes.endIndex {
            let yamlStart = bytes.index(after: firstEnd)
            var start = yamlStart
            while true {
                let lineEnd = end(ofLineAt: start)
                if line(start, lineEnd, is: "---") || line(start, lineEnd, is: "...") {
                    yaml = start == yamlStart ? "" : String(text[yamlStart..<bytes.index(before: start)])
                    body = lineEnd < bytes.endIndex ? String(text[bytes.index(after: lineEnd)...]) : ""
                    yamlLineOffset = 1
                    return
                }
                guard lineEnd < bytes.endIndex else { break }
                start = bytes.index(after: lineEnd)
            }
        }
        yaml = nil
        body = text
        yamlLineOffset = 0
    }
}
