import Foundation

/// `sitemap.xml` with every language page and its counterparts, so search engines pair them.
enum Sitemap {
    static func file(routes: [Route], settings: SiteSettings) -> OutputFile {
        let router = Router()
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">

        """
        for route in routes where route.language != nil {
            xml += "  <url>\n    <loc>\(escape(settings.baseURL.absolute(route.path)))</loc>\n"
            for language in settings.languages {
                let counterpart = router.route(route.kind, in: language)
                xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(PageEnvironment.htmlLanguage(language))\" href=\"\(escape(settings.baseURL.absolute(counterpart.path)))\"/>\n"
            }
            xml += "  </url>\n"
        }
        xml += "</urlset>\n"
        return OutputFile(path: "sitemap.xml", contents: Array(xml.utf8))
    }

    private static func escape(_ text: String) -> String { XMLText.escape(text) }
}

/// Text and attribute values for the XML files the site writes by hand (sitemap, feeds).
enum XMLText {
    /// Also drops the control characters XML 1.0 forbids, which a CSV cell may carry.
    static func escape(_ text: String) -> String {
        guard text.utf8.containsByte(where: { $0 < 0x20 || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) else {
            return text
        }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
            case "\t", "\n", "\r": output.append(scalar)
            case _ where scalar.value < 0x20: continue
            default: output.append(scalar)
            }
        }
        return String(output)
    }
}
