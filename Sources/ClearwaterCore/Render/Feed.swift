import Foundation

/// `/L/feed.xml`: the change log as an Atom feed, so journalists can follow it in a reader.
struct Feed {
    static let limit = 100

    static func path(_ language: String) -> String { language + "/feed.xml" }

    let environment: PageEnvironment

    func file() -> OutputFile {
        let settings = environment.site.settings
        let language = environment.language
        let updates = settings.baseURL.absolute(environment.route.path)
        let entries = ChangeText(environment: environment).entries(limit: Self.limit)
        let updated = entries.first?.change.date ?? environment.site.referenceDay.description
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(PageEnvironment.htmlLanguage(language))">
          <title>\(escape(environment.text(settings.title))) – \(escape(environment.t("updates")))</title>
          <id>\(escape(updates))</id>
          <link rel="alternate" type="text/html" href="\(escape(updates))"/>
          <link rel="self" type="application/atom+xml" href="\(escape(settings.baseURL.absolute(language + "/feed.xml")))"/>
          <updated>\(updated)T00:00:00Z</updated>
          <author><name>\(escape(environment.text(settings.publisher)))</name></author>

        """
        for entry in entries {
            let link = settings.baseURL.absolute(entry.sitePath ?? environment.route.path)
            xml += """
              <entry>
                <title>\(escape(entry.headline)): \(escape(entry.enterprise))</title>
                <id>\(escape(updates))#change-\(entry.number)</id>
                <link rel="alternate" type="text/html" href="\(escape(link))"/>
                <updated>\(entry.change.date)T00:00:00Z</updated>
                <summary>\(escape(entry.detail))</summary>
              </entry>

            """
        }
        xml += "</feed>\n"
        return OutputFile(path: Self.path(language), contents: Array(xml.utf8))
    }

    private func escape(_ text: String) -> String { XMLText.escape(text) }
}
