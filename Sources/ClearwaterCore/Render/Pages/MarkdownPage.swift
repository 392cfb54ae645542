/// `/L/PAGE/`: a Markdown page, its children listed when it is a section's own page.
struct MarkdownPage {
    let environment: PageEnvironment
    let page: Page

    func context() -> [String: Any]? {
        guard let (version, isTranslation) = page.version(for: environment.language, languages: environment.languages) else { return nil }
        let children = environment.site.children(of: page.key)
        let parent = parent()
        return [
            "title": version.title,
            "summary": version.summary ?? "",
            "date": version.date?.description ?? "",
            "html": DatasetViews(environment: environment).expand(LinkRewriter(basePath: environment.site.settings.baseURL.path).rewrite(version.html)),
            "untranslated": !isTranslation,
            "contentLang": PageEnvironment.htmlLanguage(version.language),
            "hasChildren": !children.isEmpty,
            "children": children.compactMap { child -> [String: Any]? in
                guard let (childVersion, _) = child.version(for: environment.language, languages: environment.languages) else { return nil }
                return ["title": childVersion.title, "summary": childVersion.summary ?? "", "href": environment.href(.markdown(key: child.key))]
            },
            "parent": parent ?? [:],
            "hasParent": parent != nil,
        ]
    }

    private func parent() -> [String: String]? {
        guard !page.parentKey.isEmpty, let parent = environment.site.page(page.parentKey),
              let (version, _) = parent.version(for: environment.language, languages: environment.languages) else { return nil }
        return ["title": version.title, "href": environment.href(.markdown(key: parent.key))]
    }
}

/// Markdown authors write site links as `/en/targets/`; this puts them under the base path
/// so they work when the site is published in a sub-folder. cmark always quotes
/// attributes with `"`, so matching `href="/` is exact; `//host` links are left alone.
struct LinkRewriter {
    let basePath: String

    /// One pass over the bytes: splitting the page at each attribute with Foundation's
    /// `components(separatedBy:)` was 2 % of a province's full build.
    func rewrite(_ html: String) -> String {
        guard basePath != "/" else { return html }
        let bytes = Array(html.utf8)
        var rewritten: [UInt8] = []
        rewritten.reserveCapacity(bytes.count + 1024)
        var copied = 0
        var index = 0
        while let quote = bytes[index...].firstIndex(of: UInt8(ascii: "\"")) {
            index = quote + 1
            // `href="/` or `src="/`, not `//host`: the slash becomes the base path.
            guard index < bytes.count, bytes[index] == UInt8(ascii: "/"),
                  Self.attributes.contains(where: { bytes[..<quote].suffix($0.count).elementsEqual($0) }),
                  index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "/") else { continue }
            rewritten += bytes[copied..<index]
            rewritten += basePath.utf8
            index += 1
            copied = index
        }
        guard copied > 0 else { return html }
        rewritten += bytes[copied...]
        return String(decoding: rewritten, as: UTF8.self)
    }

    private static let attributes = [Array("href=".utf8), Array("src=".utf8)]
}
