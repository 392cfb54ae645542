/// Splits a Markdown file into its YAML front matter and its body.
struct FrontMatter {
    /// The YAML between the `---` lines, if the file has any.
    let yaml: String?
    let body: String
    /// Lines before the YAML starts, so YAML positions map back to the file.
    let yamlLineOffset: Int

    init(splitting text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingCarriageReturn == "---",
              let close = lines.dropFirst().firstIndex(where: { $0.trimmingTrailingCarriageReturn == "---" || $0.trimmingTrailingCarriageReturn == "..." }) else {
            yaml = nil
            body = text
            yamlLineOffset = 0
            return
        }
        yaml = lines[1..<close].joined(separator: "\n")
        body = lines[(close + 1)...].joined(separator: "\n")
        yamlLineOffset = 1
    }
}

private extension Substring {
    var trimmingTrailingCarriageReturn: Substring { hasSuffix("\r") ? dropLast() : self }
}
