import CCmark
import Foundation

/// The one place Clearwater talks to libcmark. No C type leaves this file.
public enum CommonMark {
    /// Renders CommonMark to an HTML fragment.
    ///
    /// Safe by default: cmark replaces raw HTML with a comment and drops
    /// `javascript:`, `vbscript:`, `file:` and most `data:` URLs. `allowRawHTML`
    /// is for sites that opt in with `unsafe_html: true`.
    public static func html(from markdown: String, allowRawHTML: Bool = false) -> String {
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        var source = markdown
        return source.withUTF8 { bytes -> String in
            // cmark allocates the result with malloc; we own it and free it here.
            guard let rendered = cmark_markdown_to_html(bytes.baseAddress, bytes.count, options) else { return "" }
            defer { free(rendered) }
            return String(cString: rendered)
        }
    }
}
