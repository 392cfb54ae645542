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

    func rewrite(_ html: String) -> String {
        guard basePath != "/" else { return html }
        var result = html
        for attribute in ["href=\"", "src=\""] {
            let pieces = result.components(separatedBy: attribute + "/")
            result = pieces.dropFirst().reduce(pieces[0]) { joined, piece in
                joined + attribute + (piece.hasPrefix("/") ? "/" : basePath) + piece
            }
        }
        return result
    }
}
